package flexos.redis;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keys and values live in the compartment heap, are freed with their keys, and an exhausted heap is an error reply. */
class MemoryAccountingTest {

    @Test
    void flushAllReturnsTheHeapToItsBaseline() {
        try (LibOsFixture fixture = new LibOsFixture(64L << 20); CommandDriver r = new CommandDriver(fixture)) {
            long baseline = fixture.allocator().stats().used();
            for (int i = 0; i < 500; i++) {
                r.call("SET", "key:" + i, "value:" + i, "EX", "1000");
                r.call("LPUSH", "list:" + (i % 7), "e" + i);
                r.call("SADD", "set", "m" + i);
                r.call("HSET", "hash", "f" + i, "v" + i);
                r.call("ZADD", "zset", Integer.toString(i % 13), "m" + i);
                r.call("SELECT", Integer.toString(i % 16));
            }
            r.call("SELECT", "0");
            r.call("SPOP", "set", "10");
            r.call("ZPOPMIN", "zset", "10");
            r.call("INCR", "counter");
            assertTrue(fixture.allocator().stats().used() > baseline + 500 * 20);
            assertEquals("+OK\r\n", r.call("FLUSHALL"));
            assertEquals(baseline, fixture.allocator().stats().used());
        }
    }

    @Test
    void overwritingAndDeletingLeakNothing() {
        try (LibOsFixture fixture = new LibOsFixture(16L << 20); CommandDriver r = new CommandDriver(fixture)) {
            long baseline = fixture.allocator().stats().used();
            for (int i = 0; i < 200; i++) {
                r.call("SET", "k", "x".repeat(i));
                r.call("APPEND", "k", "tail");
                r.call("HSET", "h", "f", "v" + i);
                r.call("ZADD", "z", Integer.toString(i), "m");
                r.call("RPUSH", "l", "a");
                r.call("RPOP", "l");
            }
            r.call("DEL", "k", "h", "z", "l");
            assertEquals(baseline, fixture.allocator().stats().used());
        }
    }

    @Test
    void anExhaustedHeapAnswersOomAndKeepsServing() {
        try (LibOsFixture fixture = new LibOsFixture(2L << 20); CommandDriver r = new CommandDriver(fixture)) {
            String value = "v".repeat(64 * 1024);
            String oom = "-OOM command not allowed when used memory > 'maxmemory'.\r\n";
            String reply = "";
            int stored = 0;
            for (int i = 0; i < 100 && !reply.equals(oom); i++) {
                reply = r.call("SET", "k" + i, value);
                if (reply.equals("+OK\r\n")) {
                    stored++;
                }
            }
            assertEquals(oom, reply);
            assertTrue(stored > 0);
            assertEquals("+PONG\r\n", r.call("PING"));
            assertEquals(":" + stored + "\r\n", r.call("DBSIZE"));
            assertEquals("+OK\r\n", r.call("FLUSHALL"));
            assertEquals("+OK\r\n", r.call("SET", "k", value));
        }
    }

    @Test
    void activeExpiryDeletesKeysNobodyReads() throws InterruptedException {
        try (LibOsFixture fixture = new LibOsFixture(16L << 20); CommandDriver r = new CommandDriver(fixture)) {
            long baseline = fixture.allocator().stats().used();
            for (int i = 0; i < 300; i++) {
                r.call("SET", "k" + i, "v", "PX", "20");
            }
            r.call("SET", "stays", "v");
            Thread.sleep(50);
            ActiveExpiry expiry = new ActiveExpiry(r.loop.keyspace(), r.loop.stats());
            for (int run = 0; run < 100 && r.loop.keyspace().databases[0].size() > 1; run++) {
                expiry.run();
            }
            assertEquals(1, r.loop.keyspace().databases[0].size());
            assertEquals(300, r.loop.keyspace().expiredKeys());
            r.call("DEL", "stays");
            assertEquals(baseline, fixture.allocator().stats().used());
        }
    }
}
