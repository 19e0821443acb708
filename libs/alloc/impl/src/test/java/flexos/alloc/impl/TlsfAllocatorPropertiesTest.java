package flexos.alloc.impl;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Random malloc/calloc/realloc/free sequences, checked against a model of the live blocks after every step. */
class TlsfAllocatorPropertiesTest {

    private static final long HEAP = 1 << 16;

    sealed interface Op {
    }

    record Malloc(int size) implements Op {
    }

    record Calloc(int count, int size) implements Op {
    }

    record Realloc(int pick, int size) implements Op {
    }

    record Free(int pick) implements Op {
    }

    /** A live block and the byte its every byte should hold. */
    private record Live(MemorySegment block, byte fill) {
    }

    @Provide
    Arbitrary<List<Op>> programs() {
        Arbitrary<Integer> size = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 64),
                Arbitraries.integers().between(0, 2_000),
                Arbitraries.integers().between(0, 20_000));
        Arbitrary<Integer> pick = Arbitraries.integers().between(0, 1_000);
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, size.map(Malloc::new)),
                net.jqwik.api.Tuple.of(1, net.jqwik.api.Combinators.combine(
                        Arbitraries.integers().between(0, 40), Arbitraries.integers().between(0, 100)).as(Calloc::new)),
                net.jqwik.api.Tuple.of(2, net.jqwik.api.Combinators.combine(pick, size).as(Realloc::new)),
                net.jqwik.api.Tuple.of(3, pick.map(Free::new)));
        return op.list().ofMinSize(1).ofMaxSize(120);
    }

    @Property(tries = 200)
    void heapMatchesTheModel(@ForAll("programs") List<Op> program) {
        try (Arena arena = Arena.ofConfined()) {
            TlsfAllocator tlsf = TlsfAllocator.open(arena.allocate(HEAP, 4096));
            List<Live> live = new ArrayList<>();
            byte nextFill = 1;
            for (Op op : program) {
                switch (op) {
                    case Malloc(int size) -> {
                        MemorySegment block = tlsf.malloc(size);
                        if (!block.equals(MemorySegment.NULL)) {
                            assertEquals(size, block.byteSize());
                            block.fill(nextFill);
                            live.add(new Live(block, nextFill++));
                        }
                    }
                    case Calloc(int count, int size) -> {
                        MemorySegment block = tlsf.calloc(count, size);
                        if (!block.equals(MemorySegment.NULL)) {
                            assertEquals((long) count * size, block.byteSize());
                            for (long i = 0; i < block.byteSize(); i++) {
                                assertEquals(0, block.get(ValueLayout.JAVA_BYTE, i), "calloc'd byte " + i);
                            }
                            block.fill(nextFill);
                            live.add(new Live(block, nextFill++));
                        }
                    }
                    case Realloc(int pick, int size) when !live.isEmpty() -> {
                        int index = pick % live.size();
                        Live old = live.get(index);
                        MemorySegment block = tlsf.realloc(old.block(), size);
                        if (block.equals(MemorySegment.NULL)) {
                            assertFilled(old);
                        } else {
                            assertEquals(size, block.byteSize());
                            long kept = Math.min(size, old.block().byteSize());
                            for (long i = 0; i < kept; i++) {
                                assertEquals(old.fill(), block.get(ValueLayout.JAVA_BYTE, i), "byte " + i + " survives realloc");
                            }
                            block.fill(old.fill());
                            live.set(index, new Live(block, old.fill()));
                        }
                    }
                    case Free(int pick) when !live.isEmpty() -> {
                        Live gone = live.remove(pick % live.size());
                        assertFilled(gone);
                        tlsf.free(gone.block());
                    }
                    default -> {
                    }
                }
                checkAgainstModel(tlsf, live);
            }
            for (Live l : live) {
                tlsf.free(l.block());
            }
            TlsfAllocator.HeapCheck check = tlsf.verify();
            assertEquals(1, check.freeBlocks(), "freeing everything coalesces into one block");
            assertEquals(check.initialFree(), check.largestFree());
            assertEquals(0, tlsf.stats().used());
        }
    }

    private static void checkAgainstModel(TlsfAllocator tlsf, List<Live> live) {
        List<Live> sorted = new ArrayList<>(live);
        sorted.sort(Comparator.comparingLong(l -> l.block().address()));
        for (int i = 1; i < sorted.size(); i++) {
            MemorySegment a = sorted.get(i - 1).block();
            MemorySegment b = sorted.get(i).block();
            // 16 header bytes sit between consecutive payloads, so even empty blocks never share an address
            assertTrue(a.address() + Math.max(a.byteSize(), 1) <= b.address(), a + " overlaps " + b);
        }
        long minUsed = 0;
        for (Live l : live) {
            assertEquals(0, l.block().address() % 16);
            assertFilled(l);
            minUsed += 16 + Math.max(16, (l.block().byteSize() + 15) & -16);
        }
        var stats = tlsf.stats();
        assertEquals(live.size(), stats.allocations());
        assertEquals(HEAP, stats.capacity());
        // a block holds its rounded request, plus at most one 16-byte slot too small to split off
        assertTrue(stats.used() >= minUsed && stats.used() <= minUsed + 16L * live.size(),
                "used " + stats.used() + " for model minimum " + minUsed);
        tlsf.verify();
    }

    private static void assertFilled(Live l) {
        MemorySegment block = l.block();
        for (long i = 0; i < block.byteSize(); i++) {
            if (block.get(ValueLayout.JAVA_BYTE, i) != l.fill()) {
                throw new AssertionError("block " + block + " was overwritten at byte " + i);
            }
        }
    }
}
