package flexos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.cli.RunningImage.Result;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Redis image started by {@code ./flexos run} on the example all-in-one configuration, driven by the real
 * {@code redis-cli} and {@code redis-benchmark}.
 */
class RedisImageIT {

    private static RunningImage image;

    @BeforeAll
    static void start() throws Exception {
        image = RunningImage.start("examples/redis-fcall.yaml");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (image != null) {
            image.close();
        }
    }

    @Test
    void servesWhatRedisCliUsersTypeFirst() throws Exception {
        assertEquals("PONG", image.cli("PING").output().strip());
        assertEquals("OK", image.cli("SET", "greeting", "hello").output().strip());
        assertEquals("hello", image.cli("GET", "greeting").output().strip());
        assertEquals("1", image.cli("EXISTS", "greeting").output().strip());
        assertEquals("1", image.cli("INCR", "visits").output().strip());
        assertEquals("1", image.cli("EXPIRE", "greeting", "100").output().strip());
        int ttl = Integer.parseInt(image.cli("TTL", "greeting").output().strip());
        assertTrue(ttl > 90 && ttl <= 100, "ttl " + ttl);
        assertTrue(image.cli("KEYS", "*").output().contains("visits"));
        assertTrue(image.cli("INFO").output().contains("redis_version:"));
        assertEquals("hi there", image.cli("ECHO", "hi there").output().strip());
        assertEquals("1", image.cli("DEL", "visits").output().strip());
        assertEquals("OK", image.cli("SELECT", "3").output().strip());
    }

    @Test
    void answersMistakesWithRedisOwnErrors() throws Exception {
        // redis-cli prints an error reply without its "(error)" decoration when its output is not a terminal.
        image.cli("LPUSH", "a-list", "x");
        assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value",
                image.cli("GET", "a-list").output().strip());
        assertEquals("ERR wrong number of arguments for 'get' command", image.cli("GET").output().strip());
        assertTrue(image.cli("NOSUCHCOMMAND", "x").output().startsWith("ERR unknown command 'NOSUCHCOMMAND'"));
    }

    @Test
    void runsTheFullDefaultRedisBenchmarkWithoutErrors() throws Exception {
        Result run = RunningImage.exec(300, "redis-benchmark", "-p", Integer.toString(image.port()), "-q", "-n", "5000", "-c", "10");
        assertEquals(0, run.exitCode(), run.output());
        for (String test : List.of("PING_INLINE", "PING_MBULK", "SET", "GET", "INCR", "LPUSH", "RPUSH", "LPOP", "RPOP", "SADD",
                "HSET", "SPOP", "ZADD", "ZPOPMIN", "LRANGE_100", "LRANGE_600", "MSET")) {
            // redis-benchmark names some tests with a note: "LRANGE_100 (first 100 elements): ...".
            assertTrue(run.output().contains(test + ": ") || run.output().contains(test + " ("),
                    test + " missing from:\n" + run.output());
        }
        assertFalse(run.output().toLowerCase().contains("error"), run.output());
        assertTrue(image.process().isAlive(), image.output());
    }

    @Test
    void aMalformedClientIsDroppedAndOthersKeepBeingServed() throws Exception {
        try (Socket good = new Socket("127.0.0.1", image.port()); Socket bad = new Socket("127.0.0.1", image.port())) {
            bad.setSoTimeout(10_000);
            good.setSoTimeout(10_000);
            bad.getOutputStream().write("*1\r\n$abc\r\n".getBytes(StandardCharsets.US_ASCII));
            String reply = new String(bad.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(reply.startsWith("-ERR Protocol error"), reply);

            OutputStream out = good.getOutputStream();
            out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = good.getInputStream();
            assertEquals("+PONG\r\n", new String(in.readNBytes(7), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aBadConfigurationExitsWithStatus2ThroughTheRealScript() throws Exception {
        Result run = RunningImage.exec(60, RunningImage.ROOT.resolve("flexos").toString(), "build",
                RunningImage.ROOT.resolve("core/src/test/resources/config/bad/unknown-mechanism.yaml").toString());
        assertEquals(2, run.exitCode(), run.output());
        assertTrue(run.output().contains("unknown-mechanism.yaml:"), run.output());
    }

    @Test
    void sigtermStopsTheImageAndFreesItsPort() throws Exception {
        try (RunningImage second = RunningImage.start("examples/redis-fcall-netsplit.yaml")) {
            assertEquals("PONG", second.cli("PING").output().strip());
            second.process().destroy();
            assertTrue(second.process().waitFor(15, TimeUnit.SECONDS), "the image did not stop on SIGTERM");
            assertThrowsConnect(second.port());
        }
    }

    private static void assertThrowsConnect(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            throw new AssertionError("port " + port + " still accepts connections after the image stopped");
        } catch (ConnectException expected) {
            // The listening socket was closed with the image.
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
