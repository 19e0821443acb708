package flexos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.explore.store.Machine;
import flexos.explore.store.ResultsStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flexos explore --executor slurm} against a real single-node Slurm cluster that the test starts
 * ({@link LocalSlurm}): the measurements run as a job array, one configuration per task, and land in the results
 * store; a rerun reuses them; an exploration killed while its job runs is collected, not resubmitted, by the rerun.
 */
class ExploreSlurmIT {

    @TempDir
    Path dir;

    /** Two configurations, measured briefly: what is tested is the executor, not the numbers. */
    List<String> command(Path db) {
        return List.of(RunningImage.ROOT.resolve("flexos").toString(), "explore", "redis", "--executor", "slurm",
                "--search", "exhaustive", "--budget", "get>=1", "--db", db.toString(),
                "--flexos", RunningImage.ROOT.resolve("flexos").toString(),
                "--layout", "redis libc sched net", "--layout", "redis libc | sched net", "--hardening", "none",
                "--partition", LocalSlurm.PARTITION, "--time-limit", "10", "--warmup", "0.3", "--run-seconds", "0.3",
                "--min-runs", "2", "--max-runs", "3", "--precision", "0.5", "--quiet",
                "--work-dir", dir.resolve("work").toString(), "--slurm-dir", dir.resolve("slurm").toString());
    }

    record Result(int exit, String output) {
    }

    Process start(LocalSlurm slurm, Path db, Path log) throws Exception {
        // In the temporary directory: the images the tasks run write build/IMAGE/image.plan where they start.
        ProcessBuilder builder = new ProcessBuilder(command(db)).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(slurm.environment());
        builder.environment().put("FLEXOS_NO_BUILD", "1");
        return builder.start();
    }

    Result run(LocalSlurm slurm, Path db) throws Exception {
        Path log = Files.createTempFile(dir, "explore-", ".log");
        Process p = start(slurm, db, log);
        try {
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the exploration did not finish: " + Files.readString(log));
        } finally {
            p.destroyForcibly();
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    @BeforeEach
    void needsSlurm() {
        String why = LocalSlurm.unavailable();
        Assumptions.assumeTrue(why == null, why);
    }

    @Test
    void measuresAsAJobArrayStoresTheResultsAndResumes() throws Exception {
        try (LocalSlurm slurm = new LocalSlurm(dir.resolve("cluster"))) {
            Path db = dir.resolve("results.db");
            Result first = run(slurm, db);
            assertEquals(0, first.exit(), first.output() + "\nslurmctld: " + slurm.log("slurmctld.log"));
            assertTrue(first.output().contains("answer ("), first.output());
            int submittedFirst;
            try (ResultsStore store = ResultsStore.open(db, Machine.current())) {
                submittedFirst = store.submissions().size();
                // A configuration whose interval straddles the limit gets a second round, a task of its own.
                List<ResultsStore.Submission> submitted = store.submissions().stream().filter(s -> s.round() == 1)
                        .toList();
                assertEquals(2, submitted.size(), "one array, one task per configuration: " + submitted);
                assertEquals(1, submitted.stream().map(ResultsStore.Submission::job).distinct().count());
                assertEquals(Set.of(0, 1), submitted.stream().map(ResultsStore.Submission::task)
                        .collect(Collectors.toSet()));
                var rows = store.all();
                assertTrue(rows.size() >= 2 && rows.stream().allMatch(r -> r.measurement().ok()), rows.toString());
            }
            Result again = run(slurm, db);
            assertEquals(0, again.exit(), again.output());
            assertTrue(again.output().contains("2 measurements reused"), again.output());
            try (ResultsStore store = ResultsStore.open(db, Machine.current())) {
                assertEquals(submittedFirst, store.submissions().size(), "nothing submitted again");
            }
        }
    }

    @Test
    void anExplorationKilledWhileItsJobRunsCollectsThatJobWhenRerun() throws Exception {
        try (LocalSlurm slurm = new LocalSlurm(dir.resolve("cluster"))) {
            Path db = dir.resolve("results.db");
            Path log = dir.resolve("killed.log");
            Process p = start(slurm, db, log);
            List<ResultsStore.Submission> submitted = new ArrayList<>();
            try {
                // Wait (bounded) until the array is submitted and recorded, then kill the explorer outright.
                for (int i = 0; i < 600 && submitted.isEmpty() && p.isAlive(); i++) {
                    Thread.sleep(100);
                    if (Files.exists(db)) {
                        try (ResultsStore store = ResultsStore.open(db, Machine.current())) {
                            submitted.addAll(store.submissions());
                        } catch (RuntimeException busy) {
                            // the explorer is creating the file; look again
                        }
                    }
                }
                assertTrue(!submitted.isEmpty(), "no job was submitted: " + Files.readString(log));
            } finally {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            Result rerun = run(slurm, db);
            assertEquals(0, rerun.exit(), rerun.output() + "\nkilled run: " + Files.readString(log));
            try (ResultsStore store = ResultsStore.open(db, Machine.current())) {
                List<ResultsStore.Submission> first = store.submissions().stream().filter(s -> s.round() == 1)
                        .toList();
                assertEquals(2, first.size(), "the rerun waited for the running job instead of submitting: " + first);
                assertTrue(first.stream().allMatch(s -> s.job().equals(submitted.getFirst().job())), first.toString());
                assertTrue(store.all().stream().map(r -> r.measurement().configuration()).distinct().count() == 2);
            }
        }
    }
}
