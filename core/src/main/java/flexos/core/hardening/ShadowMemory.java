package flexos.core.hardening;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shadow state of every {@code asan} allocation of one image: for each 16-byte granule of memory an
 * {@code asan} allocator has handed out, whether it is addressable, a redzone, or freed and in quarantine. Memory no
 * {@code asan} allocator manages has no shadow and always passes, so unhardened libraries' blocks cost nothing to
 * check and are never reported.
 *
 * <p>The shadow is kept per 4 KiB page, one byte per granule, created when an allocation first touches the
 * page. A granule's byte is {@code 0} (untracked), {@code 1..16} (that many leading bytes addressable, the rest a
 * redzone), {@link #REDZONE} or {@link #FREED}. Checks read it without a lock: writes happen under the owning
 * allocator's lock and a check racing with a free of the same block is itself the bug being caught.
 */
public final class ShadowMemory {

    static final byte REDZONE = -1;
    static final byte FREED = -2;
    static final int GRANULE_LOG2 = 4;
    static final long GRANULE = 1L << GRANULE_LOG2;
    private static final int PAGE_LOG2 = 12;
    private static final int GRANULES_PER_PAGE = 1 << (PAGE_LOG2 - GRANULE_LOG2);

    private final Map<Long, byte[]> pages = new ConcurrentHashMap<>();
    /** The page a check last looked up: consecutive checks mostly touch the same few pages. */
    private Page lastPage = new Page(-1, null);

    /** An immutable pair, so that a racing reader sees a page number with its own shadow. */
    private record Page(long number, byte[] shadow) {
    }
    /** Live and quarantined allocations by the address of their first user byte. */
    private final Map<Long, SanitizedHeap.Allocation> allocations = new ConcurrentHashMap<>();

    /**
     * Checks that every byte of {@code segment} is addressable, as an access of it by {@code library} through
     * {@code through} (for example {@code libc::memset argument 1}) requires.
     *
     * @throws MemoryFault if a byte lies in a redzone or in a freed block
     */
    public void check(MemorySegment segment, String library, String through) {
        long bad = firstBadByte(segment);
        if (bad >= 0) {
            throw fault(library, through, segment.address(), segment.byteSize(), bad);
        }
    }

    /** The first byte of {@code segment} that is not addressable, or -1; allocates nothing. */
    long firstBadByte(MemorySegment segment) {
        long length = segment.byteSize();
        if (length == 0 || pages.isEmpty() || !segment.isNative()) {
            return -1;
        }
        return firstBadByte(segment.address(), length);
    }

    /** The first byte of {@code [address, address + length)} that is not addressable, or -1. */
    long firstBadByte(long address, long length) {
        long end = address + length;
        long granule = address >>> GRANULE_LOG2;
        long lastGranule = (end - 1) >>> GRANULE_LOG2;
        while (granule <= lastGranule) {
            long page = granule >>> (PAGE_LOG2 - GRANULE_LOG2);
            byte[] shadow = page(page);
            long pageEnd = (page + 1) << (PAGE_LOG2 - GRANULE_LOG2);
            if (shadow == null) {
                granule = pageEnd;
                continue;
            }
            for (long stop = Math.min(pageEnd, lastGranule + 1); granule < stop; granule++) {
                byte state = shadow[(int) (granule & (GRANULES_PER_PAGE - 1))];
                if (state == 0 || state == GRANULE) {
                    continue;
                }
                long start = granule << GRANULE_LOG2;
                long firstTouched = Math.max(start, address);
                if (state < 0) {
                    return firstTouched;
                }
                long lastTouched = Math.min(start + GRANULE, end) - 1;
                if (lastTouched >= start + state) {
                    return Math.max(firstTouched, start + state);
                }
            }
        }
        return -1;
    }

    private byte[] page(long number) {
        Page last = lastPage;
        if (last.number() == number) {
            return last.shadow();
        }
        byte[] shadow = pages.get(number);
        if (shadow != null) { // pages are never removed, so a found page stays valid; an absent one may appear
            lastPage = new Page(number, shadow);
        }
        return shadow;
    }

    /** Marks {@code [address, address + size)} addressable; a partial last granule's tail stays a redzone. */
    void unpoison(long address, long size) {
        long full = size >>> GRANULE_LOG2;
        set(address, full, (byte) GRANULE);
        long tail = size & (GRANULE - 1);
        if (tail != 0) {
            set(address + (full << GRANULE_LOG2), 1, (byte) tail);
        }
    }

    /** Sets the granules covering {@code [address, address + bytes)} ({@code address} granule-aligned) to {@code state}. */
    void poison(long address, long bytes, byte state) {
        set(address, (bytes + GRANULE - 1) >>> GRANULE_LOG2, state);
    }

    private void set(long address, long granules, byte state) {
        long granule = address >>> GRANULE_LOG2;
        for (long i = 0; i < granules; i++, granule++) {
            long page = granule >>> (PAGE_LOG2 - GRANULE_LOG2);
            byte[] shadow = pages.get(page);
            if (shadow == null && state != 0) {
                shadow = pages.computeIfAbsent(page, p -> new byte[GRANULES_PER_PAGE]);
            }
            if (shadow != null) {
                shadow[(int) (granule & (GRANULES_PER_PAGE - 1))] = state;
            }
        }
    }

    void register(SanitizedHeap.Allocation allocation) {
        allocations.put(allocation.userAddress(), allocation);
    }

    void unregister(SanitizedHeap.Allocation allocation) {
        allocations.remove(allocation.userAddress(), allocation);
    }

    /** The allocation whose first user byte is at {@code address}, live or in quarantine, or {@code null}. */
    SanitizedHeap.Allocation allocationAt(long address) {
        return allocations.get(address);
    }

    /** The allocation whose block (redzones included) holds {@code address}, or {@code null}; for reports only. */
    SanitizedHeap.Allocation allocationAround(long address) {
        SanitizedHeap.Allocation best = null;
        for (SanitizedHeap.Allocation a : allocations.values()) {
            if (address >= a.blockAddress() && address < a.blockAddress() + a.blockSize()
                    && (best == null || a.blockAddress() > best.blockAddress())) {
                best = a;
            }
        }
        return best;
    }

    MemoryFault fault(String library, String through, long address, long length, long bad) {
        SanitizedHeap.Allocation a = allocationAround(bad);
        if (a == null) {
            return new MemoryFault(MemoryFault.Kind.HEAP_BUFFER_OVERFLOW, library, bad, length
                    + "-byte access through " + through + " reaches poisoned address 0x" + Long.toHexString(bad));
        }
        long base = a.heapAddress();
        String access = length + "-byte access through " + through + " at heap offsets [" + (address - base) + ", "
                + (address + length - base) + ")";
        if (a.freed()) {
            return new MemoryFault(MemoryFault.Kind.USE_AFTER_FREE, library, bad - base, access + " touches offset "
                    + (bad - base) + " inside " + a.describe() + ", already freed (held in quarantine)");
        }
        long user = a.userAddress();
        String where = bad < user ? (user - bad) + " bytes left of " : (bad - (user + a.size())) + " bytes right of ";
        return new MemoryFault(MemoryFault.Kind.HEAP_BUFFER_OVERFLOW, library, bad - base, access + " touches offset "
                + (bad - base) + ", " + where + a.describe());
    }
}
