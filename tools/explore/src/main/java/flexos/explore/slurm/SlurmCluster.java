package flexos.explore.slurm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Slurm commands an exploration uses, run as processes: {@code sbatch} to submit a job array and
 * {@code squeue} to see whether its tasks are still queued or running. The cluster is whichever the commands
 * reach: the {@code SLURM_CONF} of the environment, or the system's configuration.
 *
 * @param sbatch    the sbatch executable
 * @param squeue    the squeue executable
 * @param partition the partition to submit to, or empty for the cluster's default
 * @param timeLimit each task's time limit ({@code --time}), or empty for the partition's
 * @param exclusive whether each task has a node of its own ({@code --exclusive}): measurements must not share one
 */
public record SlurmCluster(Path sbatch, Path squeue, Optional<String> partition, Optional<String> timeLimit,
                           boolean exclusive) {

    /** sbatch and squeue from the PATH. */
    public static SlurmCluster onPath(Optional<String> partition, Optional<String> timeLimit, boolean exclusive) {
        return new SlurmCluster(Path.of("sbatch"), Path.of("squeue"), partition, timeLimit, exclusive);
    }

    /**
     * Submits {@code script} as a job array of {@code tasks} tasks (indexes {@code 0..tasks-1}), one node and one
     * task each, output to {@code logs/task-JOB_INDEX.log}.
     *
     * @return the job's id
     * @throws SlurmException if sbatch fails or prints no job id, with what it printed
     */
    public String submit(Path script, int tasks, Path logs, String name) throws SlurmException {
        List<String> command = new ArrayList<>(List.of(sbatch.toString(), "--parsable", "--job-name=" + name,
                "--array=0-" + (tasks - 1), "--nodes=1", "--ntasks=1",
                "--output=" + logs.resolve("task-%A_%a.log")));
        if (exclusive) {
            command.add("--exclusive");
        }
        partition.ifPresent(p -> command.add("--partition=" + p));
        timeLimit.ifPresent(t -> command.add("--time=" + t));
        command.add(script.toString());
        Run run = run(command, Duration.ofMinutes(2));
        String id = run.output.strip().split(";")[0];
        if (run.exit != 0 || !id.matches("[0-9]+")) {
            throw new SlurmException("sbatch failed (exit " + run.exit + "): " + run.output.strip() + "; the command: "
                    + String.join(" ", command));
        }
        return id;
    }

    /**
     * Whether job {@code id} still has tasks queued or running. A job Slurm no longer knows (finished and purged)
     * has none.
     *
     * @throws SlurmException if squeue cannot be run
     */
    public boolean active(String id) throws SlurmException {
        Run run = run(List.of(squeue.toString(), "-h", "-j", id, "-o", "%T"), Duration.ofMinutes(1));
        if (run.exit != 0) {
            // squeue refuses an id it has purged ("Invalid job id specified"): nothing of it is left to wait for.
            if (run.output.contains("Invalid job id")) {
                return false;
            }
            throw new SlurmException("squeue failed (exit " + run.exit + "): " + run.output.strip());
        }
        return !run.output.isBlank();
    }

    private record Run(String output, int exit) {
    }

    private static Run run(List<String> command, Duration timeout) throws SlurmException {
        try {
            Path out = Files.createTempFile("flexos-slurm-", ".out");
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                    throw new SlurmException(command.getFirst() + " did not answer within " + timeout.toSeconds()
                            + " s");
                }
                return new Run(Files.readString(out, StandardCharsets.UTF_8), p.exitValue());
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new SlurmException("cannot run " + command.getFirst() + ": " + e.getMessage()
                    + " (is Slurm installed, and its commands on the PATH?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SlurmException("interrupted while running " + command.getFirst());
        }
    }
}
