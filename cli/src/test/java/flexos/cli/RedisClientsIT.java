package flexos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import flexos.cli.RunningImage.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Real clients against the Redis image started by {@code ./flexos run}: Debian's redis-py (python3-redis) and Jedis
 * from Maven Central, each doing what applications do with them: pipelines, transactions, scan iterators, pub/sub.
 */
class RedisClientsIT {

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
    void redisPyDoesWhatApplicationsDo() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(python), "Debian's /usr/bin/python3 is missing (scripts/test-deps.sh installs it)");
        Path script = Path.of(RedisClientsIT.class.getResource("/clients/redis_py_uses.py").toURI());
        Result run = RunningImage.exec(120, python.toString(), script.toString(), Integer.toString(image.port()));
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("ALL PASSED"), run.output());
    }

    private static Jedis jedis() {
        Jedis j = new Jedis("127.0.0.1", image.port(), 10_000);
        return j;
    }

    @Test
    void jedisPipelinesAndTransactions() {
        try (Jedis j = jedis()) {
            Pipeline p = j.pipelined();
            for (int i = 0; i < 200; i++) {
                p.set("jk" + i, Integer.toString(i));
            }
            Response<String> last = p.get("jk199");
            p.sync();
            assertEquals("199", last.get());

            Transaction t = j.multi();
            t.incr("jcounter");
            t.incrBy("jcounter", 5);
            List<Object> results = t.exec();
            assertEquals(List.of(1L, 6L), results);

            j.set("jw", "1");
            j.watch("jw");
            try (Jedis other = jedis()) {
                other.set("jw", "2");
            }
            Transaction failing = j.multi();
            failing.set("jw", "3");
            assertNull(failing.exec(), "EXEC after a WATCHed key changed returns null");
            assertEquals("2", j.get("jw"));

            JedisDataException wrong = assertThrows(JedisDataException.class, () -> j.hget("jk1", "f"));
            assertTrue(wrong.getMessage().startsWith("WRONGTYPE"), wrong.getMessage());
        }
    }

    @Test
    void jedisScanIteratesEveryKeyOnce() {
        try (Jedis j = jedis()) {
            for (int i = 0; i < 300; i++) {
                j.set("jscan:" + i, "v");
            }
            Set<String> seen = new HashSet<>();
            String cursor = ScanParams.SCAN_POINTER_START;
            ScanParams params = new ScanParams().match("jscan:*").count(40);
            int rounds = 0;
            do {
                ScanResult<String> page = j.scan(cursor, params);
                seen.addAll(page.getResult());
                cursor = page.getCursor();
            } while (!cursor.equals("0") && ++rounds < 10_000);
            assertEquals(300, seen.size());
            j.hset("jh", Map.of("a", "1", "b", "2"));
            assertEquals(Map.of("a", "1", "b", "2"), j.hgetAll("jh"));
        }
    }

    @Test
    void jedisPubSubDeliversMessages() throws Exception {
        CompletableFuture<String> received = new CompletableFuture<>();
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                received.complete(channel + ":" + message);
                unsubscribe();
            }

            @Override
            public void onSubscribe(String channel, int subscribedChannels) {
                try (Jedis publisher = jedis()) {
                    publisher.publish("jchan", "hi");
                }
            }
        };
        Thread subscriber = new Thread(() -> {
            try (Jedis j = jedis()) {
                j.subscribe(listener, "jchan");
            }
        }, "jedis-subscriber");
        subscriber.setDaemon(true);
        subscriber.start();
        assertEquals("jchan:hi", received.get(20, TimeUnit.SECONDS));
        subscriber.join(10_000);
    }

    @Test
    void jedisBlockingPopWaitsForAPush() throws Exception {
        try (Jedis j = jedis()) {
            Thread pusher = new Thread(() -> {
                try (Jedis other = jedis()) {
                    Thread.sleep(200);
                    other.rpush("jqueue", "job");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            pusher.start();
            assertEquals(List.of("jqueue", "job"), j.blpop(10, "jqueue"));
            pusher.join(10_000);
        }
    }

    @Test
    void jedisEvalRunsAScriptAtomicallyWithKeysAndArgs() {
        try (Jedis j = jedis()) {
            j.del("jcounter");
            Object result = j.eval("redis.call('incrby', KEYS[1], ARGV[1]); return redis.call('get', KEYS[1])",
                    List.of("jcounter"), List.of("41"));
            assertEquals("41", result);
            String sha = j.scriptLoad("return tonumber(ARGV[1]) + 1");
            assertEquals(43L, j.evalsha(sha, List.of(), List.of("42")));
        }
    }

    /**
     * The network stack in a module compartment of its own, and a client that pipelines 20 MB of GETs without
     * reading a reply, then goes away: the image used to stop with {@code NetException: unknown socket}.
     */
    @Test
    void theSplitImageSurvivesAClientThatPipelinesWithoutReading() throws Exception {
        try (RunningImage split = RunningImage.start("examples/redis-module-netsplit.yaml")) {
            assertEquals("OK", split.cli("SET", "k", "x".repeat(1000)).output().strip());
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 2000; i++) {
                batch.append("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n");
            }
            byte[] bytes = batch.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            try (java.net.Socket greedy = new java.net.Socket("127.0.0.1", split.port())) {
                java.io.OutputStream out = greedy.getOutputStream();
                for (int round = 0; round < 10; round++) {
                    out.write(bytes);
                }
                out.flush();
            } catch (java.io.IOException e) {
                // The server may close a client that does not read; what matters is that it keeps serving.
            }
            Thread.sleep(500);
            assertEquals("PONG", split.cli("PING").output().strip(), split.output());
            assertTrue(split.process().isAlive(), split.output());
            assertTrue(!split.output().contains("NetException"), split.output());
        }
    }
}
