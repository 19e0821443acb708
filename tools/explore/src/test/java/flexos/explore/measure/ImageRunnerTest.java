package flexos.explore.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.explore.search.Measurement;
import flexos.explore.space.Configuration;
import flexos.explore.space.Notation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image runner against stand-in launchers: a script taking {@code run CONFIG -- --port PORT} like
 * {@code flexos}, which serves with a real redis-server, or fails in the ways an image can fail.
 */
class ImageRunnerTest {

    /** The Redis profile's workload arguments. */
    static final List<String> PAPER_ARGUMENTS = List.of("-t", "get,set", "-P", "16", "-c", "30");

    @TempDir
    Path dir;

    final Notation notation = flexos.explore.TestNotations.redisImage(Set.of("asan"));
    final Configuration config = notation.parse("R1 N1 S2 L3H");

    private Path launcher(String body) throws Exception {
        Path script = dir.resolve("flexos");
        Files.writeString(script, "#!/bin/bash\ncp \"$2\" \"" + dir.resolve("seen.yaml") + "\"\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    /** Short runs: what is tested is the procedure, not the numbers. */
    static final MeasurementSettings QUICK = new MeasurementSettings(Duration.ofMillis(200), Duration.ofMillis(200),
            new SamplingPlan(3, 4, 0.5, 0.95), java.util.Optional.empty());

    private ImageRunner runner(Path flexos, Duration startTimeout) {
        return new ImageRunner(flexos, new RedisBenchmark(Path.of("redis-benchmark"), PAPER_ARGUMENTS),
                "explore-redis", "redis", dir.resolve("work"), startTimeout, Duration.ofSeconds(60), QUICK);
    }

    @Test
    void measuresARealRedisAndStopsItAfterwards() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/redis-server"))
                && Files.isExecutable(Path.of("/usr/bin/redis-benchmark")),
                "this test drives the real redis-server and redis-benchmark; ./run-tests installs them");
        Path pidFile = dir.resolve("server.pid");
        // Not exec: the server is a child of the script, as the JVM may be a child of the flexos script.
        Path flexos = launcher("redis-server --port \"$5\" --bind 127.0.0.1 --save '' --appendonly no &\n"
                + "echo $! > " + pidFile + "\nwait");
        ImageRunner runner = runner(flexos, Duration.ofSeconds(20));
        Measurement m = runner.measure(config);
        assertTrue(m.ok(), m.error());
        assertTrue(m.metrics().get("get") > 1000, m.metrics().toString());
        assertTrue(m.metrics().containsKey("set"));
        int runs = m.estimates().get("get").samples().size();
        assertTrue(runs >= 3 && runs <= 4 && m.estimates().get("get").hasInterval(), m.estimates().toString());
        // Measuring again starts the image anew and adds a round of samples to the same measurement.
        long firstServer = Long.parseLong(Files.readString(pidFile).trim());
        Measurement again = runner.remeasure(m);
        assertEquals(2, again.rounds());
        assertTrue(again.estimates().get("get").samples().size() >= runs + 3, again.estimates().toString());
        assertNotEquals(firstServer, Long.parseLong(Files.readString(pidFile).trim()));
        long serverPid = Long.parseLong(Files.readString(pidFile).trim());
        assertFalse(ProcessHandle.of(serverPid).map(ProcessHandle::isAlive).orElse(false),
                "redis-server " + serverPid + " was left running");
        String yaml = Files.readString(dir.resolve("seen.yaml"));
        assertTrue(yaml.contains("  - name: c1\n    mechanism: fcall\n    default: true"), yaml);
        assertTrue(yaml.contains("  net:\n    compartment: c3\n    harden: [asan]"), yaml);
        assertTrue(yaml.contains("application: redis"), yaml);
    }

    @Test
    void anImageThatExitsIsRecordedAsNotStarted() throws Exception {
        Measurement m = runner(launcher("echo 'config error: no such mechanism' >&2; exit 3"),
                Duration.ofSeconds(10)).measure(config);
        assertFalse(m.ok());
        assertTrue(m.error().contains("did not start: it exited with code 3"), m.error());
        assertTrue(m.error().contains("no such mechanism"), m.error());
    }

    @Test
    void anImageThatNeverListensIsStoppedAfterTheTimeout() throws Exception {
        Path pidFile = dir.resolve("sleeper.pid");
        Path flexos = launcher("sleep 300 &\necho $! > " + pidFile + "\nwait");
        long start = System.nanoTime();
        Measurement m = runner(flexos, Duration.ofSeconds(2)).measure(config);
        assertFalse(m.ok());
        assertTrue(m.error().contains("did not accept connections within 2 s"), m.error());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 20);
        long sleeper = Long.parseLong(Files.readString(pidFile).trim());
        assertFalse(ProcessHandle.of(sleeper).map(ProcessHandle::isAlive).orElse(false), "child left running");
    }

    @Test
    void redisBenchmarkCsvOutputIsParsedIntoRequestsPerSecond() throws Exception {
        RedisBenchmark b = new RedisBenchmark(Path.of("redis-benchmark"), PAPER_ARGUMENTS);
        var metrics = b.parse("""
                "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms"
                "SET","952380.94","0.452","0.072","0.351"
                "GET","1538461.50","0.237","0.080","0.199"
                """);
        assertEquals(952380.94, metrics.get("set"), 1e-6);
        assertEquals(1538461.50, metrics.get("get"), 1e-6);
        assertThrows(WorkloadException.class, () -> b.parse("Could not connect to Redis at 127.0.0.1:1"));
        assertEquals(List.of("redis-benchmark", "-h", "127.0.0.1", "-p", "7", "-t", "get,set", "-P", "16", "-c", "30",
                "-n", "100000", "--csv"), b.command(7, 100_000));
        assertEquals("redis-benchmark -h 127.0.0.1 -p PORT -t get,set -P 16 -c 30 -n N --csv", b.describe());
    }
}
