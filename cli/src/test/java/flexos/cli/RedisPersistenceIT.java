package flexos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import flexos.cli.RunningImage.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RDB persistence of real images through the {@code vfs} library wherever it is placed (with Redis under fcall, in a
 * module compartment of its own, in a compartment process), and Redis's crash guarantee: a {@code kill -9} of the
 * image during a save loses nothing of the previous snapshot.
 */
class RedisPersistenceIT {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"examples/redis-fcall.yaml", "examples/redis-module-vfs.yaml", "examples/redis-process-vfs.yaml"})
    void aSnapshotSavedByOneImageIsLoadedByTheNext(String config) throws Exception {
        if (config.contains("process")) {
            // A sandboxed compartment process runs under a uid of its own (a new one per image, when the image is
            // root), so the directory it persists into must be open to it, as a user must do for --dir.
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        try (RunningImage image = RunningImage.start(config, "--dir", dir.toString(), "--save", "")) {
            assertEquals("OK", image.cli("SET", "greeting", "hello").output().strip());
            assertEquals("3", image.cli("RPUSH", "list", "a", "b", "c").output().strip());
            assertEquals("OK", image.cli("SAVE").output().strip());
            assertEquals("Background saving started", image.cli("BGSAVE").output().strip());
        }
        assertTrue(Files.exists(dir.resolve("dump.rdb")));
        try (RunningImage image = RunningImage.start(config, "--dir", dir.toString(), "--save", "")) {
            assertEquals("hello", image.cli("GET", "greeting").output().strip());
            assertEquals("a\nb\nc", image.cli("LRANGE", "list", "0", "-1").output().strip());
            assertTrue(image.output().contains("DB loaded from disk: 2 keys"), image.output());
        }
    }

    @Test
    void aKillDuringABackgroundSaveLeavesThePreviousSnapshotWhole() throws Exception {
        try (RunningImage image = RunningImage.start("examples/redis-fcall.yaml", "--dir", dir.toString(), "--save", "")) {
            fill(image, "before", 1000);
            assertEquals("OK", image.cli("SAVE").output().strip());
            long saved = Files.size(dir.resolve("dump.rdb"));
            fill(image, "after", 1000);
            // 2 ms per key: the writer thread holds the temporary file for about 4 s before renaming it.
            assertEquals("OK", image.cli("CONFIG", "SET", "rdb-key-save-delay", "2000").output().strip());
            assertEquals("Background saving started", image.cli("BGSAVE").output().strip());
            assertTrue(waitForTempFile(10_000), "the background save never created its temporary file");
            long pid = image.process().pid();
            Result kill = RunningImage.exec(10, "kill", "-9", Long.toString(pid));
            assertEquals(0, kill.exitCode(), kill.output());
            assertTrue(image.process().waitFor(10, TimeUnit.SECONDS), "the image died of SIGKILL");
            assertEquals(137, image.process().exitValue());
            assertEquals(saved, Files.size(dir.resolve("dump.rdb")), "the snapshot in place is the previous one");
        }
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/redis-check-rdb")), "redis-check-rdb is not installed");
        Result check = RunningImage.exec(60, "redis-check-rdb", dir.resolve("dump.rdb").toString());
        assertEquals(0, check.exitCode(), check.output());
        try (RunningImage image = RunningImage.start("examples/redis-fcall.yaml", "--dir", dir.toString(), "--save", "")) {
            assertEquals("1000", image.cli("DBSIZE").output().strip(), "exactly the keys of the previous snapshot");
        }
    }

    private static void fill(RunningImage image, String prefix, int keys) throws Exception {
        StringBuilder script = new StringBuilder();
        for (int i = 0; i < keys; i++) {
            script.append("SET ").append(prefix).append(':').append(i).append(" value-").append(i).append('\n');
        }
        Path commands = Files.createTempFile("redis-fill-", ".txt");
        try {
            Files.writeString(commands, script);
            Result run = RunningImage.exec(60, "sh", "-c", "redis-cli -p " + image.port() + " < " + commands);
            assertEquals(0, run.exitCode(), run.output());
        } finally {
            Files.delete(commands);
        }
    }

    private boolean waitForTempFile(long millis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.list(dir)) {
                if (files.anyMatch(p -> p.getFileName().toString().startsWith("temp-"))) {
                    return true;
                }
            }
            Thread.sleep(5);
        }
        return false;
    }
}
