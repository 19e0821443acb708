package flexos.redis;

import flexos.alloc.api.Allocator;
import flexos.libc.api.HashRoutines;
import flexos.libc.api.MemoryRoutines;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The incrementally rehashed table behaves like a map through any sequence of inserts and removes. */
class DictTest {

    @Property(tries = 40)
    void behavesLikeAMapWhileGrowingAndShrinking(
            @ForAll @Size(max = 600) List<@IntRange(min = 0, max = 300) Integer> operations) {
        try (LibOsFixture f = new LibOsFixture(8L << 20)) {
            Blocks blocks = new Blocks(f.get(Allocator.class), f.get(MemoryRoutines.class), f.get(HashRoutines.class));
            Dict dict = new Dict(blocks);
            Map<String, MemorySegment> model = new HashMap<>();
            long baseline = f.allocator().stats().used();
            for (int op : operations) {
                // Even numbers add key op/2, odd numbers remove key op/2: keys are added and removed repeatedly.
                String key = "key-" + op / 2;
                byte[] bytes = key.getBytes(StandardCharsets.US_ASCII);
                MemorySegment probe = MemorySegment.ofArray(bytes);
                long hash = dict.hash(probe, 0, bytes.length);
                Dict.Entry found = dict.find(probe, 0, bytes.length, hash);
                assertEquals(model.containsKey(key), found != null, key);
                if (op % 2 == 0 && found == null) {
                    MemorySegment block = blocks.copyOf(probe, 0, bytes.length);
                    dict.insert(block, hash);
                    model.put(key, block);
                } else if (op % 2 == 1 && found != null) {
                    Dict.Entry removed = dict.remove(probe, 0, bytes.length, hash);
                    assertNotNull(removed);
                    assertNull(dict.find(probe, 0, bytes.length, hash));
                    blocks.free(removed.key);
                    model.remove(key);
                }
                assertEquals(model.size(), dict.size());
            }
            int[] visited = {0};
            dict.forEach(e -> visited[0]++);
            assertEquals(model.size(), visited[0]);
            model.values().forEach(blocks::free);
            assertEquals(baseline, f.allocator().stats().used());
        }
    }

    @Property(tries = 20)
    void randomEntryAlwaysReturnsAMember(@ForAll @IntRange(min = 1, max = 500) int size) {
        try (LibOsFixture f = new LibOsFixture(8L << 20)) {
            Blocks blocks = new Blocks(f.get(Allocator.class), f.get(MemoryRoutines.class), f.get(HashRoutines.class));
            Dict dict = new Dict(blocks);
            for (int i = 0; i < size; i++) {
                byte[] bytes = ("m" + i).getBytes(StandardCharsets.US_ASCII);
                MemorySegment block = blocks.copyOf(MemorySegment.ofArray(bytes), 0, bytes.length);
                dict.insert(block, dict.hash(block, 0, block.byteSize()));
            }
            Xorshift random = new Xorshift(size);
            for (int i = 0; i < 50; i++) {
                Dict.Entry e = dict.randomEntry(random);
                assertNotNull(dict.find(e.key, 0, e.key.byteSize(), e.hash));
            }
        }
    }
}
