package flexos.redis;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server as users meet it: started on a free port over the real alloc, libc, sched and net libraries, and
 * spoken to with raw RESP bytes, with the real {@code redis-cli} and with {@code redis-benchmark}.
 */
class ServerEndToEndTest {

    private LibOsFixture fixture;
    private long usedBeforeRun;

    @BeforeEach
    void build() {
        fixture = new LibOsFixture(256L << 20);
        usedBeforeRun = fixture.allocator().stats().used();
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private long used() {
        return fixture.allocator().stats().used();
    }

    private static void awaitValue(long expected, LongSupplier actual, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (actual.getAsLong() != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(expected, actual.getAsLong(), what);
    }

    @Test
    void printsOneReadyLineAndFreesEverythingWhenStopped() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        RunningServer running;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            running = new RunningServer(fixture.redis());
        } finally {
            System.setOut(original);
        }
        try (RunningServer server = running; RespConnection c = new RespConnection(server.port)) {
            assertEquals("redis: ready to accept connections on 127.0.0.1:" + server.port + "\n",
                    captured.toString(StandardCharsets.UTF_8));
            assertEquals("+OK\r\n", c.call("SET", "k", "v"));
            server.server.requestStop();
            assertEquals(0, server.awaitExit(Duration.ofSeconds(20)));
            assertTrue(c.closedByServer());
        }
        assertEquals(usedBeforeRun, used(), "every block is freed when run() returns");
    }

    @Test
    void rawRespPipeliningAndInline() throws Exception {
        try (RunningServer server = new RunningServer(fixture.redis());
             RespConnection c = new RespConnection(server.port)) {
            c.send(RespConnection.request("SET", "a", "1") + RespConnection.request("INCR", "a")
                    + "PING\r\n" + "set b \"x y\"\r\n" + RespConnection.request("GET", "b"));
            assertEquals("+OK\r\n", c.readReply());
            assertEquals(":2\r\n", c.readReply());
            assertEquals("+PONG\r\n", c.readReply());
            assertEquals("+OK\r\n", c.readReply());
            assertEquals("$3\r\nx y\r\n", c.readReply());
            assertEquals("+OK\r\n", c.call("QUIT"));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void aMalformedClientIsClosedAndOthersAreStillServed() throws Exception {
        try (RunningServer server = new RunningServer(fixture.redis());
             RespConnection good = new RespConnection(server.port);
             RespConnection bad = new RespConnection(server.port)) {
            assertEquals("+OK\r\n", good.call("SET", "k", "v"));
            bad.send("*1\r\n$x\r\n");
            assertEquals("-ERR Protocol error: invalid bulk length\r\n", bad.readReply());
            assertTrue(bad.closedByServer());
            assertEquals("$1\r\nv\r\n", good.call("GET", "k"));
            try (RespConnection worse = new RespConnection(server.port)) {
                worse.send("*2\r\n+foo\r\n");
                assertEquals("-ERR Protocol error: expected '$', got '+'\r\n", worse.readReply());
                assertTrue(worse.closedByServer());
            }
            assertEquals("+PONG\r\n", good.call("PING"));
        }
    }

    @Test
    void repliesLargerThanTheSocketBufferAreAllDelivered() throws Exception {
        try (RunningServer server = new RunningServer(fixture.redis());
             RespConnection c = new RespConnection(server.port)) {
            String value = "v".repeat(100_000);
            assertEquals("+OK\r\n", c.call("SET", "big", value));
            StringBuilder pipeline = new StringBuilder();
            int requests = 200;
            for (int i = 0; i < requests; i++) {
                pipeline.append(RespConnection.request("GET", "big"));
            }
            pipeline.append(RespConnection.request("PING"));
            // 20 MB of replies: far more than the socket takes at once, so the server must wait for WRITABLE.
            c.send(pipeline.toString());
            String expected = "$100000\r\n" + value + "\r\n";
            for (int i = 0; i < requests; i++) {
                assertEquals(expected, c.readReply(), "reply " + i);
            }
            assertEquals("+PONG\r\n", c.readReply());
        }
    }

    @Test
    void keysAndConnectionsGiveTheirMemoryBack() throws Exception {
        try (RunningServer server = new RunningServer(fixture.redis())) {
            long baseline = used();
            List<RespConnection> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    clients.add(new RespConnection(server.port));
                }
                RespConnection c = clients.getFirst();
                for (int i = 0; i < 200; i++) {
                    c.call("SET", "key:" + i, "value:" + i);
                    c.call("RPUSH", "list", "element:" + i);
                    c.call("SADD", "set", "member:" + i);
                    c.call("HSET", "hash", "field:" + i, "v" + i);
                    c.call("ZADD", "zset", Integer.toString(i), "m" + i);
                }
                c.call("SET", "ttl", "v", "EX", "100");
                assertTrue(used() > baseline);
                long withClients = used();
                assertEquals("+OK\r\n", c.call("FLUSHALL"));
                assertTrue(used() < withClients);
                for (RespConnection other : clients.subList(1, clients.size())) {
                    assertEquals("+PONG\r\n", other.call("PING"));
                }
            } finally {
                for (RespConnection c : clients) {
                    c.close();
                }
            }
            awaitValue(baseline, this::used, "allocator use after FLUSHALL and disconnects");
        }
        assertEquals(usedBeforeRun, used());
    }

    @Test
    void shutdownCommandStopsTheServer() throws Exception {
        RunningServer server = new RunningServer(fixture.redis());
        try (RespConnection c = new RespConnection(server.port)) {
            c.call("SET", "k", "v");
            c.send(RespConnection.request("SHUTDOWN", "NOSAVE"));
            assertTrue(c.closedByServer());
            assertEquals(0, server.awaitExit(Duration.ofSeconds(20)));
        } finally {
            server.close();
        }
        assertEquals(usedBeforeRun, used());
    }

    @Test
    void badArgumentsAreRejectedWithAClearMessage() {
        RedisServer server = fixture.redis();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> server.run(List.of("--port", "seventy")));
        assertTrue(e.getMessage().contains("--port"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> server.run(List.of("--verbose")));
        assertTrue(e.getMessage().contains("--verbose"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> server.run(List.of("--port", "70000")));
        assertTrue(e.getMessage().contains("65535"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> server.run(List.of("--bind")));
        assertTrue(e.getMessage().contains("--bind"), e.getMessage());
    }

    // ---- the real clients ----

    private record Outcome(int exit, String output) {
    }

    private static Outcome runTool(Duration timeout, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            byte[] out;
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
            }
            out = p.getInputStream().readAllBytes();
            return new Outcome(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void redisCliTalksToTheServer() throws Exception {
        try (RunningServer server = new RunningServer(fixture.redis())) {
            String port = Integer.toString(server.port);
            Duration t = Duration.ofSeconds(20);
            assertEquals("PONG\n", runTool(t, "redis-cli", "-p", port, "PING").output());
            assertEquals("OK\n", runTool(t, "redis-cli", "-p", port, "SET", "greeting", "hello world").output());
            assertEquals("hello world\n", runTool(t, "redis-cli", "-p", port, "GET", "greeting").output());
            assertEquals("3\n", runTool(t, "redis-cli", "-p", port, "RPUSH", "l", "a", "b", "c").output());
            assertEquals("a\nb\nc\n", runTool(t, "redis-cli", "-p", port, "LRANGE", "l", "0", "-1").output());
            // redis-cli prints an error reply followed by an empty line when its output is not a terminal.
            assertEquals("ERR unknown command 'NOSUCH', with args beginning with: 'x' \n\n",
                    runTool(t, "redis-cli", "-p", port, "NOSUCH", "x").output());
            assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value\n\n",
                    runTool(t, "redis-cli", "-p", port, "GET", "l").output());
            String info = runTool(t, "redis-cli", "-p", port, "INFO", "server").output();
            assertTrue(info.contains("redis_version:7.0.15"), info);
        }
    }

    @Test
    void redisBenchmarkDefaultSuiteRunsWithoutErrors() throws Exception {
        try (RunningServer server = new RunningServer(fixture.redis())) {
            Outcome outcome = runTool(Duration.ofSeconds(120), "redis-benchmark", "-p",
                    Integer.toString(server.port), "-q", "-n", "2000", "-c", "5");
            assertEquals(0, outcome.exit(), outcome.output());
            String report = outcome.output().replace('\r', '\n');
            for (String test : List.of("PING_INLINE", "PING_MBULK", "SET:", "GET:", "INCR:", "LPUSH:", "RPUSH:",
                    "LPOP:", "RPOP:", "SADD:", "HSET:", "SPOP:", "ZADD:", "ZPOPMIN:", "LRANGE_100", "LRANGE_600",
                    "MSET")) {
                assertTrue(report.contains(test), test + " missing from:\n" + report);
            }
            for (String line : report.split("\n")) {
                assertFalse(line.toLowerCase().contains("error") || line.contains("ERR"), line);
            }
            assertTrue(server.isRunning());
        }
    }
}
