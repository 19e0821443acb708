package flexos.alloc.impl;

import flexos.alloc.api.HeapStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TlsfAllocatorTest {

    private final Arena arena = Arena.ofShared();

    @AfterEach
    void close() {
        arena.close();
    }

    private MemorySegment heap(long bytes) {
        return arena.allocate(bytes, 4096);
    }

    @Test
    void blocksAreAlignedExactlySizedAndDisjoint() {
        TlsfAllocator tlsf = TlsfAllocator.open(heap(1 << 16));
        MemorySegment a = tlsf.malloc(1);
        MemorySegment b = tlsf.malloc(100);
        MemorySegment c = tlsf.malloc(0);
        assertEquals(1, a.byteSize());
        assertEquals(100, b.byteSize());
        assertEquals(0, c.byteSize());
        for (MemorySegment s : List.of(a, b, c)) {
            assertEquals(0, s.address() % 16, "block at " + s + " is not 16-byte aligned");
        }
        assertTrue(a.address() + a.byteSize() <= b.address() || b.address() + b.byteSize() <= a.address());
        assertEquals(new HeapStats(1 << 16, (16 + 16) + (112 + 16) + (16 + 16), 3), tlsf.stats());
        tlsf.free(c);
        tlsf.free(a);
        tlsf.free(b);
        assertEquals(0, tlsf.stats().used());
        TlsfAllocator.HeapCheck check = tlsf.verify();
        assertEquals(1, check.freeBlocks());
        assertEquals(check.initialFree(), check.largestFree());
    }

    @Test
    void exhaustionReturnsNullAndTheHeapKeepsWorking() {
        TlsfAllocator tlsf = TlsfAllocator.open(heap(1 << 16));
        List<MemorySegment> blocks = new ArrayList<>();
        MemorySegment block;
        while (!(block = tlsf.malloc(1000)).equals(MemorySegment.NULL)) {
            blocks.add(block);
        }
        assertTrue(blocks.size() > 50, "a 64 KiB heap holds more than 50 blocks of 1000 bytes");
        assertEquals(MemorySegment.NULL, tlsf.malloc(1 << 20));
        assertEquals(MemorySegment.NULL, tlsf.malloc(Long.MAX_VALUE));
        assertEquals(MemorySegment.NULL, tlsf.calloc(Long.MAX_VALUE, 2));
        tlsf.verify();
        tlsf.free(blocks.remove(blocks.size() / 2));
        MemorySegment again = tlsf.malloc(1000);
        assertNotEquals(MemorySegment.NULL, again);
        again.fill((byte) 7);
        blocks.add(again);
        blocks.forEach(tlsf::free);
        assertEquals(new HeapStats(1 << 16, 0, 0), tlsf.stats());
        assertNotEquals(MemorySegment.NULL, tlsf.malloc(60_000), "the whole heap is one block again");
    }

    @Test
    void doubleFreeIsReportedWithTheBlockOffset() {
        MemorySegment heap = heap(1 << 14);
        TlsfAllocator tlsf = TlsfAllocator.open(heap);
        MemorySegment a = tlsf.malloc(64);
        MemorySegment b = tlsf.malloc(64);
        tlsf.free(a);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tlsf.free(a));
        assertEquals("double free of block at offset " + (a.address() - heap.address()), e.getMessage());
        // a freed block that merged into its free neighbour is still recognised
        tlsf.free(b);
        assertThrows(IllegalArgumentException.class, () -> tlsf.free(b));
        assertEquals(0, tlsf.stats().allocations());
        tlsf.verify();
    }

    @Test
    void foreignPointersAreRejected() {
        MemorySegment heap = heap(1 << 14);
        TlsfAllocator tlsf = TlsfAllocator.open(heap);
        MemorySegment block = tlsf.malloc(256);
        block.fill((byte) 0x55);
        List<MemorySegment> foreign = List.of(
                arena.allocate(64, 16),                         // another region
                block.asSlice(16, 64),                          // inside a block, aligned
                block.asSlice(3, 8),                            // inside a block, unaligned
                heap.asSlice(0, 16),                            // the control block
                heap.asSlice(heap.byteSize() - 16, 16),         // the end sentinel
                MemorySegment.ofArray(new byte[32]),            // not native at all
                heap.asSlice(block.address() - heap.address(), 512)); // longer than the block
        for (MemorySegment f : foreign) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tlsf.free(f), f::toString);
            assertTrue(e.getMessage().startsWith("free of a pointer this heap did not allocate"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> tlsf.realloc(f, 10));
        }
        assertEquals(1, tlsf.stats().allocations());
        tlsf.free(block);
        tlsf.verify();
    }

    @Test
    void reallocGrowsInPlaceIntoAFreeSuccessorAndKeepsContents() {
        TlsfAllocator tlsf = TlsfAllocator.open(heap(1 << 16));
        MemorySegment a = tlsf.malloc(100);
        for (int i = 0; i < 100; i++) {
            a.set(ValueLayout.JAVA_BYTE, i, (byte) i);
        }
        MemorySegment grown = tlsf.realloc(a, 5000);
        assertEquals(a.address(), grown.address(), "the free space after the block is used in place");
        assertEquals(5000, grown.byteSize());
        MemorySegment fence = tlsf.malloc(16);
        MemorySegment moved = tlsf.realloc(grown, 9000);
        assertNotEquals(grown.address(), moved.address(), "a used successor forces a move");
        for (int i = 0; i < 100; i++) {
            assertEquals((byte) i, moved.get(ValueLayout.JAVA_BYTE, i));
        }
        assertThrows(IllegalArgumentException.class, () -> tlsf.free(grown), "the moved-from block was freed");
        MemorySegment shrunk = tlsf.realloc(moved, 10);
        assertEquals(moved.address(), shrunk.address());
        assertEquals((byte) 9, shrunk.get(ValueLayout.JAVA_BYTE, 9));
        assertEquals(2, tlsf.stats().allocations());
        assertEquals((16 + 16) + (16 + 16), tlsf.stats().used(), "shrinking returned the excess to the heap");
        MemorySegment failed = tlsf.realloc(shrunk, 1 << 20);
        assertEquals(MemorySegment.NULL, failed);
        assertEquals((byte) 9, shrunk.get(ValueLayout.JAVA_BYTE, 9), "a failed realloc leaves the block valid");
        tlsf.free(shrunk);
        tlsf.free(fence);
        assertEquals(1, tlsf.verify().freeBlocks());
        assertEquals(tlsf.malloc(7).byteSize(), tlsf.realloc(MemorySegment.NULL, 7).byteSize());
    }

    @Test
    void callocZeroesRecycledMemory() {
        TlsfAllocator tlsf = TlsfAllocator.open(heap(1 << 14));
        MemorySegment dirty = tlsf.malloc(800);
        dirty.fill((byte) -1);
        tlsf.free(dirty);
        MemorySegment clean = tlsf.calloc(100, 8);
        assertEquals(800, clean.byteSize());
        assertEquals(-1, clean.mismatch(MemorySegment.ofArray(new byte[800])), "calloc returns zeroes");
        assertThrows(IllegalArgumentException.class, () -> tlsf.calloc(-1, 8));
        assertThrows(IllegalArgumentException.class, () -> tlsf.malloc(-1));
    }

    @Test
    void twoInstancesOverOneSegmentShareOneHeap() {
        MemorySegment shared = heap(1 << 16);
        TlsfAllocator first = TlsfAllocator.open(shared);
        MemorySegment a = first.malloc(1000);
        a.fill((byte) 42);
        TlsfAllocator second = TlsfAllocator.open(shared);
        assertEquals(first.stats(), second.stats(), "the second opener attached instead of formatting");
        MemorySegment b = second.malloc(1000);
        assertFalse(a.address() < b.address() + b.byteSize() && b.address() < a.address() + a.byteSize());
        assertEquals(42, a.get(ValueLayout.JAVA_BYTE, 999));
        second.free(a);
        first.free(b);
        assertThrows(IllegalArgumentException.class, () -> first.free(a), "the other instance's free is seen");
        assertEquals(new HeapStats(1 << 16, 0, 0), first.stats());
        assertEquals(1, second.verify().freeBlocks());
    }

    @Test
    void attachingWithTheWrongSizeOrATinySegmentIsRefused() {
        MemorySegment shared = heap(1 << 16);
        TlsfAllocator.open(shared);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TlsfAllocator.open(shared.asSlice(0, 1 << 15)));
        assertTrue(e.getMessage().contains("holds a TLSF heap of 65536 bytes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TlsfAllocator.open(heap(256)));
        assertThrows(IllegalArgumentException.class, () -> TlsfAllocator.open(heap(1 << 12).asSlice(8)));
        TlsfAllocator smallest = TlsfAllocator.open(heap(TlsfAllocator.minimumHeapBytes()));
        assertNotEquals(MemorySegment.NULL, smallest.malloc(16));
    }

    @Test
    void concurrentOpenersFormatOnce() throws Exception {
        MemorySegment shared = heap(1 << 16);
        try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
            List<CompletableFuture<MemorySegment>> blocks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                blocks.add(CompletableFuture.supplyAsync(() -> TlsfAllocator.open(shared).malloc(500), pool));
            }
            for (CompletableFuture<MemorySegment> block : blocks) {
                assertNotEquals(MemorySegment.NULL, block.get(10, TimeUnit.SECONDS));
            }
        }
        TlsfAllocator check = TlsfAllocator.open(shared);
        assertEquals(3, check.stats().allocations(), "no opener formatted over another's allocation");
        check.verify();
    }

    @Test
    void threadsSharingAHeapLeaveItConsistent() throws Exception {
        MemorySegment shared = heap(1 << 20);
        int threads = 3;
        int opsPerThread = 20_000;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                byte mark = (byte) (t + 1);
                TlsfAllocator tlsf = TlsfAllocator.open(shared); // one instance per thread, as per compartment
                done.add(CompletableFuture.runAsync(() -> churn(tlsf, mark, opsPerThread), pool));
            }
            for (CompletableFuture<Void> d : done) {
                d.get(60, TimeUnit.SECONDS);
            }
        }
        TlsfAllocator tlsf = TlsfAllocator.open(shared);
        assertEquals(0, tlsf.stats().allocations());
        TlsfAllocator.HeapCheck check = tlsf.verify();
        assertEquals(1, check.freeBlocks());
        assertEquals(check.initialFree(), check.largestFree());
    }

    /** Mallocs, reallocs and frees blocks marked with this thread's byte; another thread's write would show. */
    private static void churn(TlsfAllocator tlsf, byte mark, int ops) {
        SplittableRandom random = new SplittableRandom(mark);
        List<MemorySegment> live = new ArrayList<>();
        for (int i = 0; i < ops; i++) {
            int choice = random.nextInt(10);
            if (choice < 5 || live.isEmpty()) {
                MemorySegment block = tlsf.malloc(1 + random.nextInt(600));
                if (!block.equals(MemorySegment.NULL)) {
                    block.fill(mark);
                    live.add(block);
                }
            } else if (choice < 7) {
                int index = random.nextInt(live.size());
                MemorySegment block = tlsf.realloc(live.get(index), 1 + random.nextInt(1200));
                if (!block.equals(MemorySegment.NULL)) {
                    block.fill(mark);
                    live.set(index, block);
                }
            } else {
                MemorySegment block = live.remove(random.nextInt(live.size()));
                assertMarked(block, mark);
                tlsf.free(block);
            }
        }
        for (MemorySegment block : live) {
            assertMarked(block, mark);
            tlsf.free(block);
        }
    }

    private static void assertMarked(MemorySegment block, byte mark) {
        for (long i = 0; i < block.byteSize(); i++) {
            if (block.get(ValueLayout.JAVA_BYTE, i) != mark) {
                throw new AssertionError("block " + block + " was overwritten at " + i);
            }
        }
    }
}
