package flexos.core.hardening;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The three fault classes of {@code asan}, each caught by a {@link SanitizedHeap} and each missed by the plain
 * allocator underneath it, which, like TLSF, hands a freed block straight back to the next request of its size.
 */
class SanitizedHeapTest {

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment heap = arena.allocate(1 << 16, 16);
    private final ReusingAllocator raw = new ReusingAllocator(heap);
    private final ShadowMemory shadow = new ShadowMemory();
    private final SanitizedHeap asan = new SanitizedHeap("buggy", heap, raw::malloc, raw::free, shadow, 4096);

    @AfterEach
    void close() {
        arena.close();
    }

    @Test
    void anOverflowByOffsetIntoTheNextBlockIsReportedWithTheBlockAndTheOffset() {
        MemorySegment block = asan.malloc(16);
        long offset = block.address() - heap.address();
        MemorySegment tooLong = heap.asSlice(offset, 17); // C-like code: base + offset, one byte too many
        MemoryFault fault = assertThrows(MemoryFault.class, () -> shadow.check(tooLong, "buggy", "memset"));
        assertEquals(MemoryFault.Kind.HEAP_BUFFER_OVERFLOW, fault.kind());
        assertEquals(offset + 16, fault.faultOffset());
        assertTrue(fault.getMessage().contains("buggy") && fault.getMessage().contains("16-byte block at heap offset "
                + offset) && fault.getMessage().contains("0 bytes right of"), fault.getMessage());
        shadow.check(heap.asSlice(offset, 16), "buggy", "memset"); // the block itself is fine
    }

    @Test
    void anOverflowIntoAPartialGranuleIsCaughtToTheByte() {
        MemorySegment block = asan.malloc(5);
        long offset = block.address() - heap.address();
        shadow.check(heap.asSlice(offset, 5), "buggy", "read");
        MemoryFault fault = assertThrows(MemoryFault.class,
                () -> shadow.check(heap.asSlice(offset + 3, 3), "buggy", "read"));
        assertEquals(offset + 5, fault.faultOffset());
    }

    @Test
    void withoutAsanTheSameOverflowSilentlyCorruptsTheNeighbour() {
        MemorySegment mine = raw.malloc(16);
        MemorySegment neighbour = raw.malloc(16);
        neighbour.fill((byte) 7);
        long offset = mine.address() - heap.address();
        heap.asSlice(offset, 17).fill((byte) 0); // nothing stops it
        assertEquals(0, neighbour.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0));
    }

    @Test
    void aUseAfterFreeThroughAKeptSliceIsReportedAndTheBlockIsNotReused() {
        MemorySegment block = asan.malloc(32);
        asan.free(block);
        MemorySegment next = asan.malloc(32);
        assertNotEquals(block.address(), next.address(), "a quarantined block must not be handed out again");
        MemoryFault fault = assertThrows(MemoryFault.class, () -> shadow.check(block, "buggy", "memcpy"));
        assertEquals(MemoryFault.Kind.USE_AFTER_FREE, fault.kind());
        assertTrue(fault.getMessage().contains("already freed"), fault.getMessage());
    }

    @Test
    void withoutAsanAKeptSliceWritesIntoTheNextOwnersBlock() {
        MemorySegment block = raw.malloc(32);
        raw.free(block);
        MemorySegment next = raw.malloc(32);
        next.fill((byte) 1);
        block.fill((byte) 9); // the stale slice is still accessible in Java
        assertEquals(9, next.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0));
    }

    @Test
    void aDoubleFreeIsReportedEvenWhenTheBlockWouldHaveBeenReused() {
        MemorySegment block = asan.malloc(48);
        asan.free(block);
        MemorySegment other = asan.malloc(48);
        MemoryFault fault = assertThrows(MemoryFault.class, () -> asan.free(block));
        assertEquals(MemoryFault.Kind.DOUBLE_FREE, fault.kind());
        asan.free(other); // the other owner's block is untouched and still freeable
    }

    @Test
    void withoutAsanADoubleFreeAfterReuseFreesSomeoneElsesBlock() {
        MemorySegment block = raw.malloc(48);
        raw.free(block);
        MemorySegment other = raw.malloc(48);
        raw.free(block); // accepted: it is other's block now
        MemorySegment third = raw.malloc(48);
        assertEquals(other.address(), third.address(), "other's live block was handed out a second time");
    }

    @Test
    void aFreeOfAPointerInsideABlockIsABadFree() {
        MemorySegment block = asan.malloc(64);
        MemoryFault fault = assertThrows(MemoryFault.class, () -> asan.free(block.asSlice(16)));
        assertEquals(MemoryFault.Kind.INVALID_FREE, fault.kind());
    }

    @Test
    void quarantineIsBoundedAndEvictedBlocksReturnToTheAllocator() {
        for (int i = 0; i < 200; i++) {
            asan.free(asan.malloc(100));
        }
        assertTrue(asan.quarantinedBytes() <= 4096, "quarantine holds " + asan.quarantinedBytes());
        assertTrue(raw.freed > 0);
    }

    @Test
    void reallocKeepsTheContentAndQuarantinesTheOldBlock() {
        MemorySegment block = asan.malloc(8);
        block.copyFrom(MemorySegment.ofArray(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        MemorySegment grown = asan.realloc(block, 40);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, grown.asSlice(0, 8).toArray(
                java.lang.foreign.ValueLayout.JAVA_BYTE));
        assertThrows(MemoryFault.class, () -> shadow.check(block, "buggy", "read"));
    }

    @Test
    void memoryNoAsanAllocatorHandedOutIsNeverReported() {
        asan.malloc(16);
        MemorySegment plain = raw.malloc(64);
        shadow.check(plain, "buggy", "memset");
        shadow.check(MemorySegment.ofArray(new byte[10]), "buggy", "memset");
    }

    /** A bump allocator whose free lists hand a freed block straight back to the next request of its size. */
    static final class ReusingAllocator {
        private final MemorySegment heap;
        private final Map<Long, ArrayDeque<MemorySegment>> freeBySize = new HashMap<>();
        private long top = 16;
        int freed;

        ReusingAllocator(MemorySegment heap) {
            this.heap = heap;
        }

        MemorySegment malloc(long size) {
            ArrayDeque<MemorySegment> free = freeBySize.get(size);
            if (free != null && !free.isEmpty()) {
                return free.pop();
            }
            long at = top;
            if (at + size > heap.byteSize()) {
                return MemorySegment.NULL;
            }
            top = (at + size + 15) & -16;
            return heap.asSlice(at, size);
        }

        void free(MemorySegment block) {
            freed++;
            freeBySize.computeIfAbsent(block.byteSize(), s -> new ArrayDeque<>()).push(block);
        }
    }
}
