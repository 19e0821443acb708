package flexos.redis;

import flexos.alloc.api.Allocator;
import flexos.libc.api.HashRoutines;
import flexos.libc.api.MemoryRoutines;

import java.lang.foreign.MemorySegment;

/**
 * The server's off-heap blocks: every key, value, element and I/O buffer is a block of the compartment's heap obtained
 * here through the {@link Allocator} gate, and every byte moved between blocks goes through the libc gate. Keeping both
 * behind one small class is what lets an image harden or isolate exactly these calls.
 *
 * <p>{@link #allocate} never returns {@code NULL}: it throws {@link HeapExhausted}, so a command unwinds before it
 * changes anything. Zero-length blocks are the shared {@link #EMPTY} segment, which is never freed, because C's
 * {@code malloc(0)} is not a block one can rely on.
 */
final class Blocks {

    /** The block of every empty key, value or element. */
    static final MemorySegment EMPTY = MemorySegment.ofArray(new byte[0]);

    private final Allocator allocator;
    private final MemoryRoutines memory;
    private final HashRoutines hashes;

    Blocks(Allocator allocator, MemoryRoutines memory, HashRoutines hashes) {
        this.allocator = allocator;
        this.memory = memory;
        this.hashes = hashes;
    }

    Allocator allocator() {
        return allocator;
    }

    MemoryRoutines memory() {
        return memory;
    }

    /** A block of {@code size} bytes. */
    MemorySegment allocate(long size) {
        if (size == 0) {
            return EMPTY;
        }
        MemorySegment block = allocator.malloc(size);
        if (block.byteSize() == 0) {
            throw HeapExhausted.INSTANCE;
        }
        return block;
    }

    /** A block of {@code size} bytes, or {@code null} if the heap is full. */
    MemorySegment allocateOrNull(long size) {
        MemorySegment block = allocator.malloc(size);
        return block.byteSize() == 0 ? null : block;
    }

    /** {@code block} grown or shrunk to {@code size} bytes, or {@code null} (with {@code block} intact) if the heap is full. */
    MemorySegment resize(MemorySegment block, long size) {
        MemorySegment grown = allocator.realloc(block, size);
        return grown.byteSize() == 0 ? null : grown;
    }

    /** A new block holding a copy of {@code src[offset, offset+length)}. */
    MemorySegment copyOf(MemorySegment src, long offset, long length) {
        MemorySegment block = allocate(length);
        if (length > 0) {
            memory.memcpy(block, 0, src, offset, length);
        }
        return block;
    }

    void free(MemorySegment block) {
        if (block.byteSize() != 0) {
            allocator.free(block);
        }
    }

    long hash(MemorySegment s, long offset, long length) {
        return hashes.hash(s, offset, length);
    }

    /** Whether {@code block} holds exactly the bytes {@code s[offset, offset+length)}. */
    boolean sameBytes(MemorySegment block, MemorySegment s, long offset, long length) {
        return block.byteSize() == length
                && (length == 0 || memory.memcmp(block, 0, length, s, offset, length) == 0);
    }

    int compare(MemorySegment a, MemorySegment b) {
        return memory.memcmp(a, 0, a.byteSize(), b, 0, b.byteSize());
    }

    void copy(MemorySegment dst, long dstOffset, MemorySegment src, long srcOffset, long length) {
        if (length > 0) {
            memory.memcpy(dst, dstOffset, src, srcOffset, length);
        }
    }
}
