package flexos.core.hardening;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * The {@code asan} allocation discipline over an ordinary allocator: every block gets {@value #REDZONE}-byte
 * redzones on both sides, its shadow state is recorded in a {@link ShadowMemory}, and a freed block goes into a
 * FIFO quarantine instead of back to the allocator, so that a stale slice of it still points at poisoned memory
 * and a second free of it is recognised. The quarantine holds at most {@code quarantineBytes}; the oldest blocks
 * leave it first and only then return to the underlying allocator (as in AddressSanitizer, a use after that is
 * no longer detected).
 *
 * <p>One instance serves one hardened library ({@code owner}). Safe for several threads.
 */
public final class SanitizedHeap {

    /** Bytes of redzone on each side of a block: a multiple of the 16-byte granule. */
    public static final long REDZONE = 32;
    /** The default quarantine size. */
    public static final long DEFAULT_QUARANTINE_BYTES = 1 << 20;

    /** One block handed out by an {@code asan} allocator. */
    static final class Allocation {
        private final SanitizedHeap heap;
        private final MemorySegment block;
        private final long userAddress;
        private final long size;
        private volatile boolean freed;

        Allocation(SanitizedHeap heap, MemorySegment block, long size) {
            this.heap = heap;
            this.block = block;
            this.userAddress = block.address() + REDZONE;
            this.size = size;
        }

        long userAddress() {
            return userAddress;
        }

        long size() {
            return size;
        }

        long blockAddress() {
            return block.address();
        }

        long blockSize() {
            return block.byteSize();
        }

        long heapAddress() {
            return heap.heap.address();
        }

        boolean freed() {
            return freed;
        }

        String describe() {
            return "the " + size + "-byte block at heap offset " + (userAddress - heapAddress()) + " allocated by "
                    + heap.owner;
        }
    }

    private final String owner;
    private final MemorySegment heap;
    private final LongFunction<MemorySegment> rawMalloc;
    private final Consumer<MemorySegment> rawFree;
    private final ShadowMemory shadow;
    private final long quarantineBytes;
    private final ArrayDeque<Allocation> quarantine = new ArrayDeque<>();
    private long quarantined;

    /**
     * @param owner           the hardened library, named in reports
     * @param heap            the heap {@code rawMalloc} allocates from, so that reports give offsets in it
     * @param rawMalloc       the underlying malloc: a block of exactly the size asked, or {@link MemorySegment#NULL}
     * @param rawFree         the underlying free
     * @param shadow          the image's shadow state
     * @param quarantineBytes how many freed bytes (redzones included) to hold back from reuse
     */
    public SanitizedHeap(String owner, MemorySegment heap, LongFunction<MemorySegment> rawMalloc,
            Consumer<MemorySegment> rawFree, ShadowMemory shadow, long quarantineBytes) {
        this.owner = owner;
        this.heap = heap;
        this.rawMalloc = rawMalloc;
        this.rawFree = rawFree;
        this.shadow = shadow;
        this.quarantineBytes = quarantineBytes;
    }

    public String owner() {
        return owner;
    }

    /** A block of exactly {@code size} bytes between two redzones, or {@link MemorySegment#NULL}. */
    public synchronized MemorySegment malloc(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative allocation size " + size);
        }
        long aligned = (size + ShadowMemory.GRANULE - 1) & -ShadowMemory.GRANULE;
        long rawSize = aligned + 2 * REDZONE;
        if (rawSize < 0) {
            return MemorySegment.NULL;
        }
        MemorySegment block = rawMalloc.apply(rawSize);
        if (isNull(block) && !quarantine.isEmpty()) {
            // Quarantine must not turn into an out-of-memory the unhardened library would not have had.
            drain(0);
            block = rawMalloc.apply(rawSize);
        }
        if (isNull(block)) {
            return MemorySegment.NULL;
        }
        Allocation allocation = new Allocation(this, block, size);
        shadow.poison(block.address(), REDZONE, ShadowMemory.REDZONE);
        shadow.unpoison(allocation.userAddress, size);
        shadow.poison(allocation.userAddress + aligned, REDZONE, ShadowMemory.REDZONE);
        shadow.register(allocation);
        return block.asSlice(REDZONE, size);
    }

    /**
     * Puts {@code block} in quarantine. {@code free(MemorySegment.NULL)} does nothing.
     *
     * @throws MemoryFault {@code double-free} if the block is already freed, {@code bad-free} if no allocation of
     *                     this heap starts there
     */
    public synchronized void free(MemorySegment block) {
        if (isNull(block)) {
            return;
        }
        Allocation allocation = owned(block, "free");
        allocation.freed = true;
        shadow.poison(allocation.userAddress, Math.max(allocation.size, 1), ShadowMemory.FREED);
        quarantine.addLast(allocation);
        quarantined += allocation.blockSize();
        drain(quarantineBytes);
    }

    /** {@code malloc}, copy, {@code free}; the old block goes into quarantine like any freed block. */
    public synchronized MemorySegment realloc(MemorySegment block, long size) {
        if (isNull(block)) {
            return malloc(size);
        }
        Allocation old = owned(block, "realloc");
        MemorySegment moved = malloc(size);
        if (isNull(moved)) {
            return MemorySegment.NULL;
        }
        MemorySegment.copy(old.block, REDZONE, moved, 0, Math.min(old.size, size));
        free(block);
        return moved;
    }

    /** Blocks and bytes held in quarantine. */
    public synchronized long quarantinedBytes() {
        return quarantined;
    }

    private Allocation owned(MemorySegment block, String operation) {
        long address = block.isNative() ? block.address() : -1;
        Allocation allocation = address < 0 ? null : shadow.allocationAt(address);
        long offset = address - heap.address();
        if (allocation == null || allocation.heap != this) {
            throw new MemoryFault(MemoryFault.Kind.INVALID_FREE, owner, offset, operation + " of heap offset " + offset
                    + ", where no block allocated by " + owner + " starts");
        }
        if (allocation.freed) {
            throw new MemoryFault(MemoryFault.Kind.DOUBLE_FREE, owner, offset, operation + " of "
                    + allocation.describe() + ", which was already freed (held in quarantine)");
        }
        return allocation;
    }

    private void drain(long keep) {
        while (quarantined > keep && !quarantine.isEmpty()) {
            Allocation oldest = quarantine.removeFirst();
            quarantined -= oldest.blockSize();
            shadow.unregister(oldest);
            shadow.poison(oldest.blockAddress(), oldest.blockSize(), (byte) 0);
            rawFree.accept(oldest.block);
        }
    }

    private static boolean isNull(MemorySegment block) {
        return block.isNative() && block.address() == 0;
    }
}
