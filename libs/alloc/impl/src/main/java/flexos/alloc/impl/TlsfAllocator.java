package flexos.alloc.impl;

import flexos.alloc.api.Allocator;
import flexos.alloc.api.HeapStats;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A two-level segregated fit allocator over one {@link MemorySegment}: M. Masmano, I. Ripoll, A. Crespo and
 * J. Real, "TLSF: a New Dynamic Memory Allocator for Real-Time Systems", ECRTS 2004. {@code malloc} and
 * {@code free} take constant time: a free block is found through two bitmap lookups (a first level by power of
 * two, a second level splitting each power of two into {@value #SL_COUNT} classes), and a freed block is merged
 * at once with its free physical neighbours.
 *
 * <p><b>All state lives in the segment.</b> The segment starts with a control block (magic word, lock word,
 * statistics, the bitmaps and the free-list heads); every block carries a 16-byte header (the offset of the
 * previous physical block, then its payload size with a free bit, a previous-is-free bit and a check tag);
 * free blocks hold their free-list links in their payload. Links are offsets from the segment's start, never
 * addresses, so several instances over the same memory, in this JVM or in other processes mapping the same
 * file at other addresses, see and update one heap. {@link #open} attaches to a heap that carries the magic and
 * formats one that does not, deciding which under a compare-and-set on the magic word, so two openers cannot
 * both format. Every operation holds an in-segment spin lock (a compare-and-set on a long), which costs one CAS
 * and one release store when uncontended.
 *
 * <p>Returned blocks are aligned to 16 bytes (the segment must be) and are slices of exactly the requested size.
 * {@link #free} rejects, with {@link IllegalArgumentException}, a segment that does not start at the payload of a
 * block of this heap and one whose block is already free. The checks read the block header, so they catch a
 * wrong pointer with high probability, not certainty: a header forged by writing inside another block can pass.
 *
 * <p>The lock is not robust against a holder that dies while holding it (another process killed mid-operation):
 * the heap then stays locked. A shared heap's users share its fate, as in C.
 */
public final class TlsfAllocator implements Allocator {

    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();

    /** "FLXTLSF1": the heap is formatted. */
    static final long MAGIC = 0x464C58544C534631L;
    /** Written by the one opener that formats the heap, so others wait instead of formatting too. */
    private static final long FORMATTING = 0x464C58544C53463FL;

    // Control block layout (byte offsets from the segment's start).
    private static final long MAGIC_AT = 0;
    private static final long LOCK_AT = 8;
    private static final long CAPACITY_AT = 16;
    private static final long USED_AT = 24;
    private static final long COUNT_AT = 32;
    private static final long FL_COUNT_AT = 40;
    private static final long FL_BITMAP_AT = 48;
    private static final long SL_BITMAPS_AT = 56;

    private static final int ALIGN_LOG2 = 4;
    private static final long ALIGN = 1L << ALIGN_LOG2;
    private static final int SL_LOG2 = 5;
    private static final int SL_COUNT = 1 << SL_LOG2;
    private static final int FL_SHIFT = SL_LOG2 + ALIGN_LOG2;
    private static final long SMALL_BLOCK = 1L << FL_SHIFT;

    /** A block header: the previous physical block's offset, then the size word. */
    private static final long HEADER = 16;
    /** A free block's payload holds two links. */
    private static final long MIN_PAYLOAD = 16;
    private static final long MIN_BLOCK = HEADER + MIN_PAYLOAD;

    // The size word: tag in bits 49..63 plus marker bit 48, payload size in bits 4..47, flags in bits 0..1.
    private static final long FREE = 1;
    private static final long PREV_FREE = 2;
    private static final long SIZE_MASK = 0x0000_FFFF_FFFF_FFF0L;
    private static final long TAG_MASK = 0xFFFF_0000_0000_0000L;
    private static final long MAX_HEAP = 1L << 48;

    private final MemorySegment heap;
    private final long capacity;
    private final int flCount;
    private final long headsAt;
    private final long firstBlock;
    private final long sentinel;

    private TlsfAllocator(MemorySegment heap, long capacity, int flCount) {
        this.heap = heap;
        this.capacity = capacity;
        this.flCount = flCount;
        this.headsAt = SL_BITMAPS_AT + align(flCount * 4L, 8);
        this.firstBlock = align(headsAt + (long) flCount * SL_COUNT * 8, ALIGN);
        this.sentinel = capacity - HEADER;
    }

    /**
     * An allocator over {@code heap}: attaches to the TLSF heap already formatted there, or formats one. Safe to
     * call concurrently on the same memory from several threads or processes.
     *
     * @throws IllegalArgumentException if the segment is not native, not 16-byte aligned, too small to hold a
     *                                  heap, or holds a heap formatted for a different size
     */
    public static TlsfAllocator open(MemorySegment heap) {
        if (!heap.isNative() || heap.address() % ALIGN != 0) {
            throw new IllegalArgumentException("a TLSF heap needs a native segment aligned to " + ALIGN
                    + " bytes; got " + heap);
        }
        long capacity = Math.min(heap.byteSize(), MAX_HEAP) & -ALIGN;
        int flCount = Math.max(1, fls(capacity) - FL_SHIFT + 2);
        TlsfAllocator allocator = new TlsfAllocator(heap, capacity, flCount);
        if (allocator.firstBlock + MIN_BLOCK + HEADER > capacity) {
            throw new IllegalArgumentException("a heap of " + heap.byteSize() + " bytes is too small for a TLSF heap;"
                    + " give it at least " + (allocator.firstBlock + MIN_BLOCK + HEADER) + " bytes");
        }
        long spins = 0;
        while (true) {
            long state = (long) WORD.getAcquire(heap, MAGIC_AT);
            if (state == MAGIC) {
                long formattedFor = heap.get(ValueLayout.JAVA_LONG, CAPACITY_AT);
                if (formattedFor != capacity) {
                    throw new IllegalArgumentException("the segment holds a TLSF heap of " + formattedFor
                            + " bytes but is " + heap.byteSize() + " bytes long: map the whole heap");
                }
                return allocator;
            }
            if (state != FORMATTING && (boolean) WORD.compareAndSet(heap, MAGIC_AT, state, FORMATTING)) {
                allocator.format();
                WORD.setRelease(heap, MAGIC_AT, MAGIC);
                return allocator;
            }
            backOff(++spins);
        }
    }

    /** The smallest segment {@link #open} accepts. */
    public static long minimumHeapBytes() {
        long capacity = 1024;
        while (true) {
            int flCount = Math.max(1, fls(capacity) - FL_SHIFT + 2);
            TlsfAllocator probe = new TlsfAllocator(MemorySegment.NULL, capacity, flCount);
            if (probe.firstBlock + MIN_BLOCK + HEADER <= capacity) {
                return probe.firstBlock + MIN_BLOCK + HEADER;
            }
            capacity *= 2;
        }
    }

    private void format() {
        // The magic word is left alone: it holds FORMATTING, this opener's claim, until the heap is published.
        heap.asSlice(LOCK_AT, firstBlock - LOCK_AT).fill((byte) 0);
        heap.set(ValueLayout.JAVA_LONG, CAPACITY_AT, capacity);
        heap.set(ValueLayout.JAVA_LONG, FL_COUNT_AT, flCount);
        long size = sentinel - firstBlock - HEADER;
        setPrevPhys(firstBlock, 0);
        writeHeader(firstBlock, size, FREE);
        setPrevPhys(sentinel, firstBlock);
        writeHeader(sentinel, 0, PREV_FREE);
        insertFree(firstBlock);
    }

    // ---------------------------------------------------------------- Allocator

    @Override
    public MemorySegment malloc(long size) {
        long adjusted = adjust(size);
        if (adjusted < 0) {
            return MemorySegment.NULL;
        }
        long block;
        lock();
        try {
            block = allocateBlock(adjusted);
        } finally {
            unlock();
        }
        return block == 0 ? MemorySegment.NULL : heap.asSlice(block + HEADER, size);
    }

    @Override
    public MemorySegment calloc(long count, long size) {
        if (count < 0 || size < 0) {
            throw new IllegalArgumentException("calloc(" + count + ", " + size + "): negative count or size");
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(count, size);
        } catch (ArithmeticException overflow) {
            return MemorySegment.NULL;
        }
        MemorySegment block = malloc(bytes);
        if (block.byteSize() > 0) {
            block.fill((byte) 0);
        }
        return block;
    }

    @Override
    public MemorySegment realloc(MemorySegment block, long size) {
        if (isNull(block)) {
            return malloc(size);
        }
        long adjusted = adjust(size);
        long payload = payloadOffset(block);
        long b = payload - HEADER;
        lock();
        try {
            checkAllocated(b, block);
            if (adjusted >= 0 && growInPlace(b, adjusted)) {
                return heap.asSlice(payload, size);
            }
        } finally {
            unlock();
        }
        if (adjusted < 0) {
            return MemorySegment.NULL;
        }
        // Moving copies outside the lock: the old block stays allocated to the caller until it is freed below.
        MemorySegment moved = malloc(size);
        if (isNull(moved)) {
            return MemorySegment.NULL;
        }
        MemorySegment.copy(block, 0, moved, 0, Math.min(block.byteSize(), size));
        free(block);
        return moved;
    }

    @Override
    public void free(MemorySegment block) {
        if (isNull(block)) {
            return;
        }
        long b = payloadOffset(block) - HEADER;
        lock();
        try {
            checkAllocated(b, block);
            releaseBlock(b);
        } finally {
            unlock();
        }
    }

    @Override
    public HeapStats stats() {
        lock();
        try {
            return new HeapStats(capacity, heap.get(ValueLayout.JAVA_LONG, USED_AT),
                    heap.get(ValueLayout.JAVA_LONG, COUNT_AT));
        } finally {
            unlock();
        }
    }

    /**
     * The result of {@link #verify()}.
     *
     * @param blocks      physical blocks, the end sentinel excluded
     * @param freeBlocks  free blocks
     * @param largestFree the payload size of the largest free block
     * @param initialFree the payload size of the single free block of an empty heap
     */
    public record HeapCheck(long blocks, long freeBlocks, long largestFree, long initialFree) {
    }

    /**
     * Walks every block and every free list and checks the heap's invariants: headers intact, neighbours linked,
     * no two free blocks adjacent, every free block in the list its size maps to, bitmaps matching the lists,
     * statistics matching the blocks. Takes time linear in the heap; for tests and diagnostics.
     *
     * @throws IllegalStateException naming the first broken invariant and where
     */
    public HeapCheck verify() {
        lock();
        try {
            return walk();
        } finally {
            unlock();
        }
    }

    // ---------------------------------------------------------------- blocks

    private long allocateBlock(long adjusted) {
        long b = findFree(searchIndex(adjusted));
        if (b == 0) {
            return 0;
        }
        removeFree(b);
        long size = blockSize(b);
        long next = b + HEADER + size;
        if (size - adjusted >= MIN_BLOCK) {
            long rest = b + HEADER + adjusted;
            long restSize = size - adjusted - HEADER;
            setPrevPhys(rest, b);
            writeHeader(rest, restSize, FREE);
            setPrevPhys(next, rest); // next still has PREV_FREE: rest is free now
            insertFree(rest);
            size = adjusted;
        } else {
            setFlags(next, flags(next) & ~PREV_FREE);
        }
        writeHeader(b, size, flags(b) & PREV_FREE);
        addStats(size + HEADER, 1);
        return b;
    }

    private void releaseBlock(long b) {
        long word = sizeWord(b);
        long size = word & SIZE_MASK;
        addStats(-(size + HEADER), -1);
        // Mark the header free before any merge: if it ends up inside a larger free block, a second free of the
        // same pointer still finds the free bit and reports a double free.
        heap.set(ValueLayout.JAVA_LONG, b + 8, word | FREE);
        if ((word & PREV_FREE) != 0) {
            long prev = prevPhys(b);
            removeFree(prev);
            size = blockSize(prev) + HEADER + size;
            b = prev;
        }
        long next = b + HEADER + size;
        long nextWord = sizeWord(next);
        if ((nextWord & FREE) != 0) {
            removeFree(next);
            size += HEADER + (nextWord & SIZE_MASK);
            next = b + HEADER + size;
        }
        writeHeader(b, size, FREE);
        setPrevPhys(next, b);
        setFlags(next, flags(next) | PREV_FREE);
        insertFree(b);
    }

    /** Makes the used block {@code b} hold {@code adjusted} bytes if it can without moving; trims any excess. */
    private boolean growInPlace(long b, long adjusted) {
        long size = blockSize(b);
        if (adjusted > size) {
            long next = b + HEADER + size;
            long nextWord = sizeWord(next);
            long merged = size + HEADER + (nextWord & SIZE_MASK);
            if ((nextWord & FREE) == 0 || merged < adjusted) {
                return false;
            }
            removeFree(next);
            writeHeader(b, merged, flags(b) & PREV_FREE);
            long after = b + HEADER + merged;
            setFlags(after, flags(after) & ~PREV_FREE);
            addStats(merged - size, 0);
            size = merged;
        }
        if (size - adjusted >= MIN_BLOCK) {
            // Split the excess off as a used block and release it, so it merges with a free successor.
            long rest = b + HEADER + adjusted;
            long restSize = size - adjusted - HEADER;
            writeHeader(b, adjusted, flags(b) & PREV_FREE);
            setPrevPhys(rest, b);
            writeHeader(rest, restSize, 0);
            addStats(0, 1);
            releaseBlock(rest);
        }
        return true;
    }

    private long payloadOffset(MemorySegment block) {
        long offset = block.isNative() ? block.address() - heap.address() : -1;
        if (offset < firstBlock + HEADER || offset > sentinel - MIN_PAYLOAD || (offset & (ALIGN - 1)) != 0
                || block.byteSize() > sentinel - offset) {
            throw notAllocatedHere(block);
        }
        return offset;
    }

    private void checkAllocated(long b, MemorySegment block) {
        long word = sizeWord(b);
        long size = word & SIZE_MASK;
        if ((word & TAG_MASK) != tag(b) || size < MIN_PAYLOAD || size > sentinel - b - HEADER
                || block.byteSize() > size) {
            throw notAllocatedHere(block);
        }
        if ((word & FREE) != 0) {
            throw new IllegalArgumentException("double free of block at offset " + (b + HEADER));
        }
    }

    private IllegalArgumentException notAllocatedHere(MemorySegment block) {
        return new IllegalArgumentException("free of a pointer this heap did not allocate: " + block
                + " (heap at 0x" + Long.toHexString(heap.address()) + ", " + capacity + " bytes)");
    }

    // ---------------------------------------------------------------- free lists

    private void insertFree(long b) {
        int index = insertIndex(blockSize(b));
        long headAt = headsAt + index * 8L;
        long head = heap.get(ValueLayout.JAVA_LONG, headAt);
        setNextFree(b, head);
        setPrevFree(b, 0);
        if (head != 0) {
            setPrevFree(head, b);
        }
        heap.set(ValueLayout.JAVA_LONG, headAt, b);
        int fl = index >>> SL_LOG2;
        heap.set(ValueLayout.JAVA_LONG, FL_BITMAP_AT, heap.get(ValueLayout.JAVA_LONG, FL_BITMAP_AT) | (1L << fl));
        long slAt = SL_BITMAPS_AT + fl * 4L;
        heap.set(ValueLayout.JAVA_INT, slAt, heap.get(ValueLayout.JAVA_INT, slAt) | (1 << (index & (SL_COUNT - 1))));
    }

    private void removeFree(long b) {
        long prev = prevFree(b);
        long next = nextFree(b);
        if (next != 0) {
            setPrevFree(next, prev);
        }
        if (prev != 0) {
            setNextFree(prev, next);
            return;
        }
        int index = insertIndex(blockSize(b));
        heap.set(ValueLayout.JAVA_LONG, headsAt + index * 8L, next);
        if (next == 0) {
            int fl = index >>> SL_LOG2;
            long slAt = SL_BITMAPS_AT + fl * 4L;
            int slMap = heap.get(ValueLayout.JAVA_INT, slAt) & ~(1 << (index & (SL_COUNT - 1)));
            heap.set(ValueLayout.JAVA_INT, slAt, slMap);
            if (slMap == 0) {
                heap.set(ValueLayout.JAVA_LONG, FL_BITMAP_AT,
                        heap.get(ValueLayout.JAVA_LONG, FL_BITMAP_AT) & ~(1L << fl));
            }
        }
    }

    /** The head of the first non-empty list at or above {@code index}, or 0. */
    private long findFree(int index) {
        int fl = index >>> SL_LOG2;
        if (fl >= flCount) {
            return 0;
        }
        int slMap = heap.get(ValueLayout.JAVA_INT, SL_BITMAPS_AT + fl * 4L) & (-1 << (index & (SL_COUNT - 1)));
        if (slMap == 0) {
            long flMap = heap.get(ValueLayout.JAVA_LONG, FL_BITMAP_AT) & (-1L << (fl + 1));
            if (flMap == 0) {
                return 0;
            }
            fl = Long.numberOfTrailingZeros(flMap);
            slMap = heap.get(ValueLayout.JAVA_INT, SL_BITMAPS_AT + fl * 4L);
        }
        int sl = Integer.numberOfTrailingZeros(slMap);
        return heap.get(ValueLayout.JAVA_LONG, headsAt + ((long) fl * SL_COUNT + sl) * 8);
    }

    /** The list (first level, second level packed as {@code fl * SL_COUNT + sl}) a free block of {@code size} joins. */
    private static int insertIndex(long size) {
        if (size < SMALL_BLOCK) {
            return (int) (size >>> ALIGN_LOG2);
        }
        int f = fls(size);
        int sl = (int) (size >>> (f - SL_LOG2)) ^ SL_COUNT;
        return ((f - FL_SHIFT + 1) << SL_LOG2) | sl;
    }

    /**
     * The first list whose every block fits {@code size}: rounding the request up to the next class boundary is
     * what lets the search take any list's head without walking it (good fit, not best fit).
     */
    private static int searchIndex(long size) {
        if (size >= SMALL_BLOCK) {
            size += (1L << (fls(size) - SL_LOG2)) - 1;
        }
        return insertIndex(size);
    }

    /** The payload size to reserve for a request, or -1 if no heap this size could hold it. */
    private long adjust(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative allocation size " + size);
        }
        if (size > capacity) {
            return -1;
        }
        return Math.max(MIN_PAYLOAD, align(size, ALIGN));
    }

    // ---------------------------------------------------------------- headers

    private long sizeWord(long b) {
        return heap.get(ValueLayout.JAVA_LONG, b + 8);
    }

    private long blockSize(long b) {
        return sizeWord(b) & SIZE_MASK;
    }

    private long flags(long b) {
        return sizeWord(b) & (FREE | PREV_FREE);
    }

    private void setFlags(long b, long flags) {
        heap.set(ValueLayout.JAVA_LONG, b + 8, (sizeWord(b) & ~(FREE | PREV_FREE)) | flags);
    }

    private void writeHeader(long b, long size, long flags) {
        heap.set(ValueLayout.JAVA_LONG, b + 8, tag(b) | size | flags);
    }

    /**
     * A check value derived from the block's offset, so that bytes that merely look like a header (user data at
     * a wrong pointer, zeroed memory) are rejected by {@link #free}. Bit 48 is always set, so zeroes never pass.
     */
    private static long tag(long b) {
        return ((b * 0x9E3779B97F4A7C15L) & 0xFFFE_0000_0000_0000L) | 0x0001_0000_0000_0000L;
    }

    private long prevPhys(long b) {
        return heap.get(ValueLayout.JAVA_LONG, b);
    }

    private void setPrevPhys(long b, long prev) {
        heap.set(ValueLayout.JAVA_LONG, b, prev);
    }

    private long nextFree(long b) {
        return heap.get(ValueLayout.JAVA_LONG, b + HEADER);
    }

    private void setNextFree(long b, long next) {
        heap.set(ValueLayout.JAVA_LONG, b + HEADER, next);
    }

    private long prevFree(long b) {
        return heap.get(ValueLayout.JAVA_LONG, b + HEADER + 8);
    }

    private void setPrevFree(long b, long prev) {
        heap.set(ValueLayout.JAVA_LONG, b + HEADER + 8, prev);
    }

    private void addStats(long usedDelta, long countDelta) {
        heap.set(ValueLayout.JAVA_LONG, USED_AT, heap.get(ValueLayout.JAVA_LONG, USED_AT) + usedDelta);
        heap.set(ValueLayout.JAVA_LONG, COUNT_AT, heap.get(ValueLayout.JAVA_LONG, COUNT_AT) + countDelta);
    }

    // ---------------------------------------------------------------- lock

    private void lock() {
        if (!(boolean) WORD.compareAndSet(heap, LOCK_AT, 0L, 1L)) {
            lockContended();
        }
    }

    private void lockContended() {
        long spins = 0;
        do {
            backOff(++spins);
        } while ((long) WORD.getOpaque(heap, LOCK_AT) != 0L || !(boolean) WORD.compareAndSet(heap, LOCK_AT, 0L, 1L));
    }

    private void unlock() {
        WORD.setRelease(heap, LOCK_AT, 0L);
    }

    /** Spins briefly (the holder is usually mid-operation on another core), then yields the core to it. */
    private static void backOff(long spins) {
        if (spins < 128) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    // ---------------------------------------------------------------- verification

    private HeapCheck walk() {
        long used = 0;
        long count = 0;
        long blocks = 0;
        long freeBlocks = 0;
        long largestFree = 0;
        boolean prevWasFree = false;
        long prev = 0;
        for (long b = firstBlock; b != sentinel; ) {
            long word = sizeWord(b);
            long size = word & SIZE_MASK;
            if ((word & TAG_MASK) != tag(b)) {
                throw broken("block at " + b + " has a corrupt header");
            }
            if (size < MIN_PAYLOAD || size % ALIGN != 0 || b + HEADER + size > sentinel) {
                throw broken("block at " + b + " has an impossible size " + size);
            }
            if (((word & PREV_FREE) != 0) != prevWasFree) {
                throw broken("block at " + b + " has a wrong previous-free bit");
            }
            if (prevWasFree && prevPhys(b) != prev) {
                throw broken("block at " + b + " links to previous block " + prevPhys(b) + ", not " + prev);
            }
            boolean free = (word & FREE) != 0;
            if (free && prevWasFree) {
                throw broken("free blocks at " + prev + " and " + b + " were not merged");
            }
            if (free) {
                freeBlocks++;
                largestFree = Math.max(largestFree, size);
                if (!listed(b, insertIndex(size))) {
                    throw broken("free block at " + b + " is not in its free list");
                }
            } else {
                used += size + HEADER;
                count++;
            }
            blocks++;
            prevWasFree = free;
            prev = b;
            b += HEADER + size;
        }
        long sentinelWord = sizeWord(sentinel);
        if ((sentinelWord & SIZE_MASK) != 0 || (sentinelWord & FREE) != 0
                || ((sentinelWord & PREV_FREE) != 0) != prevWasFree) {
            throw broken("the end sentinel is corrupt");
        }
        long listed = 0;
        long flMap = heap.get(ValueLayout.JAVA_LONG, FL_BITMAP_AT);
        for (int fl = 0; fl < flCount; fl++) {
            int slMap = heap.get(ValueLayout.JAVA_INT, SL_BITMAPS_AT + fl * 4L);
            if ((slMap != 0) != ((flMap & (1L << fl)) != 0)) {
                throw broken("first-level bitmap disagrees with second-level bitmap " + fl);
            }
            for (int sl = 0; sl < SL_COUNT; sl++) {
                int index = fl * SL_COUNT + sl;
                long head = heap.get(ValueLayout.JAVA_LONG, headsAt + index * 8L);
                if ((head != 0) != ((slMap & (1 << sl)) != 0)) {
                    throw broken("bitmap disagrees with free list " + fl + "/" + sl);
                }
                long back = 0;
                for (long f = head; f != 0; f = nextFree(f)) {
                    if ((sizeWord(f) & FREE) == 0 || insertIndex(blockSize(f)) != index || prevFree(f) != back) {
                        throw broken("free list " + fl + "/" + sl + " holds a bad block at " + f);
                    }
                    back = f;
                    if (++listed > freeBlocks) {
                        throw broken("free lists hold more blocks than the heap has free blocks");
                    }
                }
            }
        }
        if (listed != freeBlocks) {
            throw broken(freeBlocks + " free blocks but " + listed + " listed");
        }
        if (used != heap.get(ValueLayout.JAVA_LONG, USED_AT) || count != heap.get(ValueLayout.JAVA_LONG, COUNT_AT)) {
            throw broken("statistics say " + heap.get(ValueLayout.JAVA_LONG, USED_AT) + " bytes in "
                    + heap.get(ValueLayout.JAVA_LONG, COUNT_AT) + " blocks, the blocks say " + used + " in " + count);
        }
        return new HeapCheck(blocks, freeBlocks, largestFree, sentinel - firstBlock - HEADER);
    }

    private boolean listed(long block, int index) {
        for (long f = heap.get(ValueLayout.JAVA_LONG, headsAt + index * 8L); f != 0; f = nextFree(f)) {
            if (f == block) {
                return true;
            }
        }
        return false;
    }

    private static IllegalStateException broken(String what) {
        return new IllegalStateException("TLSF heap inconsistent: " + what);
    }

    // ---------------------------------------------------------------- arithmetic

    private static boolean isNull(MemorySegment block) {
        return block.isNative() && block.address() == 0;
    }

    private static long align(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }

    /** The index of the highest set bit ("find last set"). */
    private static int fls(long value) {
        return 63 - Long.numberOfLeadingZeros(value);
    }
}
