package flexos.explore.measure;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An exploration that is killed while an image runs leaves no image behind: with SIGTERM its shutdown hook stops
 * the image; with SIGKILL (no hook runs) the image's watchdog notices within seconds and stops it. The "image" is
 * a launcher script whose child never listens, so the explorer is always killed mid-measurement.
 */
class ImageRunnerKillTest {

    @TempDir
    Path dir;

    private final List<Long> spawned = new ArrayList<>();

    @AfterEach
    void killWhatTheTestStarted() {
        // Only if the behaviour under test failed: stop what the launcher started, by pid.
        spawned.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    private Path launcher(Path pidFile) throws Exception {
        Path script = dir.resolve("flexos");
        Files.writeString(script, "#!/bin/bash\nsleep 300 &\necho $! > " + pidFile + ".tmp\nmv " + pidFile
                + ".tmp " + pidFile + "\nwait\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    /** Starts an explorer JVM measuring one configuration; returns it once its image has started. */
    private Process explorerWithRunningImage(Path pidFile) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process explorer = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                MeasureOnce.class.getName(), launcher(pidFile).toString(), dir.resolve("work").toString(), "120")
                .redirectErrorStream(true).redirectOutput(dir.resolve("explorer.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(pidFile) && System.nanoTime() < deadline && explorer.isAlive()) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(pidFile), "the image never started: " + Files.readString(dir.resolve("explorer.log")));
        spawned.add(Long.parseLong(Files.readString(pidFile).trim()));
        return explorer;
    }

    private static boolean goneWithin(long pid, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> p = ProcessHandle.of(pid);
            if (p.isEmpty() || !p.get().isAlive()) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Test
    void sigkillOfTheExplorerStopsItsImage() throws Exception {
        Path pidFile = dir.resolve("image.pid");
        Process explorer = explorerWithRunningImage(pidFile);
        long image = spawned.getFirst();
        assertTrue(ProcessHandle.of(image).map(ProcessHandle::isAlive).orElse(false), "the image is not running");
        explorer.destroyForcibly();
        assertTrue(explorer.waitFor(20, TimeUnit.SECONDS));
        assertTrue(goneWithin(image, 15), "image process " + image + " outlived the SIGKILLed explorer");
    }

    @Test
    void sigtermOfTheExplorerStopsItsImageBeforeItExits() throws Exception {
        Path pidFile = dir.resolve("image.pid");
        Process explorer = explorerWithRunningImage(pidFile);
        long image = spawned.getFirst();
        explorer.destroy();
        assertTrue(explorer.waitFor(30, TimeUnit.SECONDS), "the explorer did not exit on SIGTERM");
        // The shutdown hook stops the image before the JVM exits; allow a moment for the kernel to reap it.
        assertTrue(goneWithin(image, 3), "image process " + image + " outlived the SIGTERMed explorer");
        assertFalse(Files.readString(dir.resolve("explorer.log")).contains("Exception"),
                Files.readString(dir.resolve("explorer.log")));
    }
}
