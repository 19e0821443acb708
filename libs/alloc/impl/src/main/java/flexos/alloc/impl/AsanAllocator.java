package flexos.alloc.impl;

import flexos.alloc.api.Allocator;
import flexos.alloc.api.HeapStats;
import flexos.core.hardening.SanitizedHeap;

import java.lang.foreign.MemorySegment;

/**
 * The {@code asan} allocator a hardened library gets instead of its compartment's plain one: the same
 * {@link Allocator} contract over a {@link SanitizedHeap}, which surrounds every block with redzones, records its
 * shadow state and quarantines freed blocks. A double free or a free of a wrong pointer throws
 * {@link flexos.core.hardening.MemoryFault} rather than {@link IllegalArgumentException}, naming the library and
 * the block. {@link #stats()} are those of the underlying heap, so they include redzones and quarantined blocks.
 */
final class AsanAllocator implements Allocator {

    private final SanitizedHeap heap;
    private final Allocator raw;

    AsanAllocator(Allocator raw, SanitizedHeap heap) {
        this.raw = raw;
        this.heap = heap;
    }

    @Override
    public MemorySegment malloc(long size) {
        return heap.malloc(size);
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
        MemorySegment block = heap.malloc(bytes);
        if (block.byteSize() > 0) {
            block.fill((byte) 0);
        }
        return block;
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
        return raw.stats();
    }
}
