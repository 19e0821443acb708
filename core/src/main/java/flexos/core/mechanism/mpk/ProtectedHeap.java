package flexos.core.mechanism.mpk;

import flexos.core.mechanism.mpk.cpu.PkeyCalls;
import flexos.core.memory.MemoryRegion;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The private heap of one {@code mpk} compartment: pages of its own ({@code mmap}, page-aligned, zeroed, reserved
 * lazily), tagged with a protection key of its own ({@code pkey_mprotect}). Everything the compartment's allocator
 * keeps lies inside (TLSF keeps its state in the heap it manages), so the key covers the allocator's metadata too.
 *
 * <p>The key is allocated with access disabled for the allocating thread, so the thread that starts the image gets
 * no rights on it: only a thread that enters the compartment does. Closing the region unmaps the pages, then frees
 * the key, in that order: a key freed while pages still carry it would give those pages to whoever allocates the
 * key next.
 *
 * <p>Heaps are listed by base address ({@link #at}, {@link #all}) from the moment they are mapped until they are
 * unmapped, so that a domain finds its key, and a crash report can say whose memory an address was.
 */
final class ProtectedHeap {

    /**
     * One mapped heap.
     *
     * @param image       the image of the compartment
     * @param compartment the compartment it belongs to
     * @param key         its protection key
     * @param base        its first address
     * @param bytes       its size, whole pages
     */
    record Tagged(String image, String compartment, int key, long base, long bytes) {
        boolean contains(long address) {
            return address >= base && address - base < bytes;
        }
    }

    private static final Map<Long, Tagged> MAPPED = new ConcurrentHashMap<>();

    private ProtectedHeap() {
    }

    /**
     * Maps and tags the heap of {@code compartment} of {@code image}.
     *
     * @throws IllegalStateException if no protection key is left (each mpk compartment of every image running in
     *                               this JVM holds one) or the kernel refuses the mapping, saying which
     */
    static MemoryRegion map(String image, String compartment, long bytes) {
        int key;
        try {
            key = PkeyCalls.pkeyAlloc(PkeyCalls.PKEY_DISABLE_ACCESS);
        } catch (PkeyCalls.SystemCallException e) {
            if (e.errno() == PkeyCalls.ENOSPC) {
                throw new IllegalStateException("no protection key is left for mpk compartment " + compartment + ": "
                        + MAPPED.size() + " are held by the mpk compartments of the images running in this JVM, "
                        + "and a CPU has " + MpkMechanism.USABLE_KEYS, e);
            }
            throw new IllegalStateException("cannot allocate a protection key for mpk compartment " + compartment
                    + ": " + e.getMessage(), e);
        }
        long size = PkeyCalls.pages(bytes);
        long base;
        try {
            base = PkeyCalls.mapAnonymous(size);
        } catch (RuntimeException e) {
            PkeyCalls.pkeyFree(key);
            throw new IllegalStateException("cannot map the " + size + "-byte heap of mpk compartment " + compartment
                    + ": " + e.getMessage(), e);
        }
        try {
            PkeyCalls.pkeyMprotect(base, size, PkeyCalls.PROT_READ | PkeyCalls.PROT_WRITE, key);
        } catch (RuntimeException e) {
            PkeyCalls.unmap(base, size);
            PkeyCalls.pkeyFree(key);
            throw new IllegalStateException("cannot tag the heap of mpk compartment " + compartment + " with key "
                    + key + ": " + e.getMessage(), e);
        }
        MAPPED.put(base, new Tagged(image, compartment, key, base, size));
        CompartmentMap.write();
        Arena arena = Arena.ofShared();
        MemorySegment segment = MemorySegment.ofAddress(base).reinterpret(size, arena, ignored -> {
            MAPPED.remove(base);
            PkeyCalls.unmap(base, size);
            PkeyCalls.pkeyFree(key);
            CompartmentMap.write();
        });
        return MemoryRegion.of(compartment, arena, segment);
    }

    /** The mapped heap starting at {@code base}, if any. */
    static Optional<Tagged> at(long base) {
        return Optional.ofNullable(MAPPED.get(base));
    }

    /** Every heap mapped now. */
    static List<Tagged> all() {
        return List.copyOf(MAPPED.values());
    }
}
