package flexos.alloc.api;

import java.lang.foreign.MemorySegment;

/**
 * malloc/free over one heap. Every block is a bounds-checked {@link MemorySegment} slice of the heap, so a library
 * can reach only the blocks it was given.
 *
 * <p>Failure is part of the contract: an exhausted heap returns {@link MemorySegment#NULL} (as C's
 * {@code malloc} returns {@code NULL}) rather than throwing, so a caller can answer with an error of its own.
 * Handing {@link #free} a segment this heap did not allocate, or one already freed, throws
 * {@link IllegalArgumentException}.
 *
 * <p>Instances are safe for use by several threads.
 */
public interface Allocator {

    /** A block of exactly {@code size} bytes (content unspecified), or {@link MemorySegment#NULL} if none fits. */
    MemorySegment malloc(long size);

    /** A zeroed block of {@code count * size} bytes, or {@link MemorySegment#NULL}. */
    MemorySegment calloc(long count, long size);

    /**
     * A block of {@code size} bytes holding the first {@code min(old, size)} bytes of {@code block}, which is freed
     * unless the result is {@link MemorySegment#NULL}, in which case {@code block} stays valid.
     * {@code realloc(MemorySegment.NULL, n)} is {@code malloc(n)}.
     */
    MemorySegment realloc(MemorySegment block, long size);

    /** Returns {@code block} to the heap. {@code free(MemorySegment.NULL)} does nothing. */
    void free(MemorySegment block);

    /** Bytes in use, bytes free, and the heap's size. */
    HeapStats stats();
}
