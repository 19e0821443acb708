package flexos.alloc.impl;

import flexos.alloc.api.HeapStats;
import flexos.alloc.api.SharedAllocator;

import java.lang.foreign.MemorySegment;

/**
 * The {@link SharedAllocator} face of a heap: a distinct type, so that an allocator over a private heap can never
 * be handed out where shared memory is expected.
 */
final class SharedHeapAllocator implements SharedAllocator {

    private final TlsfAllocator heap;

    SharedHeapAllocator(TlsfAllocator heap) {
        this.heap = heap;
    }

    @Override
    public MemorySegment malloc(long size) {
        return heap.malloc(size);
    }

    @Override
    public MemorySegment calloc(long count, long size) {
        return heap.calloc(count, size);
    }

    @Override
    public MemorySegment realloc(MemorySegment block, long size) {
        return heap.realloc(block, size);
    }

    @Override
    public void free(MemorySegment block) {
        heap.free(block);
    }

    @Override
    public HeapStats stats() {
        return heap.stats();
    }
}
