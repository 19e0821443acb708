package flexos.explore.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.explore.space.Configuration;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An exploration killed with SIGKILL midway loses no finished measurement and resumes where it stopped. */
class ResumeAfterKillTest {

    @TempDir
    Path dir;

    private Process start(Path db, long delayMs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                FakeMeasurementLoop.class.getName(), db.toString(), Long.toString(delayMs))
                .redirectErrorStream(true).start();
    }

    @Test
    void killedMidwayThenRerunStoresEveryConfigurationOnceAndReusesTheFinishedOnes() throws Exception {
        Path db = dir.resolve("results.db");
        int total = FakeMeasurementLoop.space().size();
        assertEquals(20, total);

        Process first = start(db, 150);
        int printed = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(first.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while (printed < 6 && (line = out.readLine()) != null) {
                if (line.startsWith("measured ")) {
                    printed++;
                }
            }
            // SIGKILL, by this process's handle: no shutdown hook, no chance to flush anything.
            first.destroyForcibly();
            assertTrue(first.waitFor(20, TimeUnit.SECONDS), "the killed child did not exit");
        } finally {
            first.destroyForcibly();
        }
        assertEquals(6, printed, "the child did not get far enough before being killed");
        int afterKill;
        try (ResultsStore store = ResultsStore.open(db, Machine.current())) {
            afterKill = store.all().size();
        }
        assertTrue(afterKill >= printed && afterKill < total,
                "after the kill the store holds " + afterKill + " rows; " + printed + " were reported finished");

        Process second = start(db, 1);
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(second.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
            }
            assertTrue(second.waitFor(60, TimeUnit.SECONDS), "the rerun did not finish");
        } finally {
            second.destroyForcibly();
        }
        assertEquals(0, second.exitValue(), String.join("\n", lines));
        assertEquals("reused " + afterKill, lines.getLast());

        try (ResultsStore store = ResultsStore.open(db, Machine.current())) {
            var rows = store.all();
            assertEquals(total, rows.size());
            Set<Configuration> distinct = new HashSet<>();
            rows.forEach(r -> distinct.add(r.measurement().configuration()));
            assertEquals(new HashSet<>(FakeMeasurementLoop.space()), distinct);
        }
    }
}
