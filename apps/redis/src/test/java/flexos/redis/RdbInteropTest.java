package flexos.redis;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Our snapshots against the real Redis 7.0 (Debian's {@code redis-server} and {@code redis-tools}, which
 * {@code scripts/test-deps.sh} installs): {@code redis-check-rdb} accepts our dump, {@code redis-server} loads it and
 * serves the same values, and we load the dump {@code redis-server} writes. Every redis-server started here is
 * stopped by its PID, whatever the test's outcome. Skipped, visibly, where the binaries are missing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RdbInteropTest {

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private Process redisServer;

    @AfterEach
    void stop() throws Exception {
        if (redisServer != null) {
            redisServer.destroyForcibly();
            redisServer.waitFor(10, TimeUnit.SECONDS);
        }
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private static boolean installed(String command) {
        return Files.isExecutable(Path.of("/usr/bin", command));
    }

    private CommandDriver ourServer(Path directory) {
        Persistence[] persistence = new Persistence[1];
        CommandDriver driver = PersistenceTest.persistentServer(open,
                List.of("--dir", directory.toString(), "--save", ""), persistence);
        persistence[0].loadOnStart();
        return driver;
    }

    /** Keys of every type and encoding Redis 7.0 would give them, with an expiry and a second database. */
    private static void populate(RespCaller r) throws IOException {
        r.call("SET", "s", "plain string");
        r.call("SET", "n", "-12345");
        r.call("SET", "long", "abc".repeat(5000));
        r.call("RPUSH", "l", "a", "1", "-70000", "b");
        for (int i = 0; i < 2000; i++) {
            r.call("RPUSH", "biglist", "item-" + i);
        }
        r.call("SADD", "ints", "5", "-3", "1000000");
        r.call("SADD", "strs", "x", "y", "z");
        r.call("HSET", "h", "f1", "v1", "f2", "22");
        for (int i = 0; i < 150; i++) {
            r.call("HSET", "bighash", "k" + i, "v" + i);
        }
        r.call("ZADD", "z", "1.5", "a", "-2", "b", "10", "c");
        for (int i = 0; i < 200; i++) {
            r.call("ZADD", "bigz", Integer.toString(i), "m" + i);
        }
        r.call("SET", "ttl", "v");
        r.call("PEXPIRE", "ttl", "500000");
        r.call("SELECT", "5");
        r.call("SET", "db5", "five");
        r.call("SELECT", "0");
    }

    private static List<String> observe(RespCaller r) throws IOException {
        List<String> seen = new ArrayList<>();
        seen.add(r.call("GET", "s"));
        seen.add(r.call("GET", "n"));
        seen.add(r.call("STRLEN", "long"));
        seen.add(r.call("LRANGE", "l", "0", "-1"));
        seen.add(r.call("LLEN", "biglist") + r.call("LINDEX", "biglist", "1999"));
        seen.add(r.call("SCARD", "ints") + r.call("SISMEMBER", "ints", "-3"));
        seen.add(r.call("SCARD", "strs") + r.call("SISMEMBER", "strs", "y"));
        seen.add(r.call("HGET", "h", "f2") + r.call("HLEN", "bighash") + r.call("HGET", "bighash", "k149"));
        seen.add(r.call("ZRANGE", "z", "0", "-1", "WITHSCORES"));
        seen.add(r.call("ZCARD", "bigz") + r.call("ZSCORE", "bigz", "m199"));
        seen.add(r.call("TYPE", "ttl"));
        r.call("SELECT", "5");
        seen.add(r.call("GET", "db5"));
        r.call("SELECT", "0");
        return seen;
    }

    /** Sends one command and returns its raw reply: over a socket, or to a detached loop. */
    interface RespCaller {
        String call(String... args) throws IOException;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Debian's redis-server on a free loopback port, its dir {@code directory}, no save points; waits until it serves. */
    private RespConnection startRedisServer(Path directory) throws Exception {
        int port = freePort();
        redisServer = new ProcessBuilder("/usr/bin/redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", directory.toString(), "--save", "", "--appendonly", "no", "--daemonize", "no")
                .redirectErrorStream(true).redirectOutput(directory.resolve("redis-server.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                RespConnection connection = new RespConnection(port);
                open.add(connection);
                String pong = connection.call("PING");
                if (pong.equals("+PONG\r\n")) {
                    return connection;
                }
            } catch (IOException notYet) {
                // still starting (or loading)
            }
            if (System.nanoTime() > deadline || !redisServer.isAlive()) {
                throw new AssertionError("redis-server did not start: "
                        + Files.readString(directory.resolve("redis-server.log")));
            }
            Thread.sleep(50);
        }
    }

    @Test
    void redisCheckRdbAcceptsOurDump() throws Exception {
        assumeTrue(installed("redis-check-rdb"), "redis-check-rdb (Debian's redis-tools) is not installed");
        CommandDriver ours = ourServer(dir);
        populate(ours::call);
        assertEquals("+OK\r\n", ours.call("SAVE"));
        Process check = new ProcessBuilder("/usr/bin/redis-check-rdb", dir.resolve("dump.rdb").toString())
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, check.exitValue(), output);
        assertTrue(output.contains("RDB looks OK!"), output);
        assertTrue(output.contains("redis-ver = '7.0.15'"), output);
    }

    @Test
    void redisServerLoadsOurDumpAndServesTheSameValues() throws Exception {
        assumeTrue(installed("redis-server"), "redis-server (Debian's redis-server) is not installed");
        CommandDriver ours = ourServer(dir);
        populate(ours::call);
        List<String> expected = observe(ours::call);
        assertEquals("+OK\r\n", ours.call("SAVE"));
        RespConnection real = startRedisServer(dir);
        assertEquals(expected, observe(real::call));
        assertEquals(":12\r\n", real.call("DBSIZE"));
        long pttl = Long.parseLong(real.call("PTTL", "ttl").substring(1).trim());
        assertTrue(pttl > 400_000, "the expiry survived: " + pttl);
    }

    @Test
    void weLoadTheDumpRedisServerWrites() throws Exception {
        assumeTrue(installed("redis-server"), "redis-server (Debian's redis-server) is not installed");
        Path theirs = Files.createDirectory(dir.resolve("theirs"));
        RespConnection real = startRedisServer(theirs);
        populate(real::call);
        List<String> expected = observe(real::call);
        assertEquals("+OK\r\n", real.call("SAVE"));
        CommandDriver ours = ourServer(theirs);
        assertEquals(expected, observe(ours::call));
        assertEquals(":12\r\n", ours.call("DBSIZE"));
    }
}
