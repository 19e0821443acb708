package flexos.explore.slurm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import flexos.explore.search.Measurement;
import flexos.explore.search.MeasurementOracle;
import flexos.explore.space.Configuration;
import flexos.explore.store.Machine;
import flexos.explore.store.MeasurementJson;
import flexos.explore.store.ResultsStore;
import flexos.explore.store.StoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Measures configurations on a Slurm cluster: a batch of configurations is one job array, one configuration per
 * task, each task on a node of its own ({@link SlurmCluster#exclusive()}), so that measurements never share a
 * machine. Each task runs {@code flexos explore --run-task FILE}, which measures its configuration exactly as a
 * local exploration would (the same options, so the same measuring command) and writes the measurement as JSON
 * next to {@code FILE}. The exploring process waits for the job, reads the results and returns them; the
 * results store records them as it records local measurements.
 *
 * <p>Resuming: every submission is committed to the results store before the exploring process waits for it. A
 * rerun after an interruption finds the submission, and if its result is there, collects it; if its job is still
 * queued or running, waits for it; only if the job is gone without a result does it submit again. The directory
 * must be on a file system that the nodes and the exploring machine share.
 */
public final class SlurmExecutor implements MeasurementOracle {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SlurmCluster cluster;
    private final ResultsStore store;
    private final String command;
    private final Path flexos;
    private final List<String> taskArguments;
    private final Path dir;
    private final Duration poll;
    private final Duration timeout;
    private final Map<Measurement, Machine> machines = new HashMap<>();

    /**
     * @param command       the measuring command every task records (the local image runner's)
     * @param flexos        the flexos launcher each task runs, by an absolute path the nodes share
     * @param taskArguments the {@code flexos explore} arguments that make a task measure as this exploration does
     * @param dir           where task files, results and logs go, shared with the nodes
     * @param poll          how often to ask Slurm whether a job is done
     * @param timeout       how long to wait for one job at most
     */
    public SlurmExecutor(SlurmCluster cluster, ResultsStore store, String command, Path flexos,
                         List<String> taskArguments, Path dir, Duration poll, Duration timeout) {
        this.cluster = cluster;
        this.store = store;
        this.command = command;
        this.flexos = flexos.toAbsolutePath();
        this.taskArguments = List.copyOf(taskArguments);
        this.dir = dir.toAbsolutePath();
        this.poll = poll;
        this.timeout = timeout;
    }

    @Override
    public String command() {
        return command;
    }

    @Override
    public Measurement measure(Configuration configuration) {
        return measureAll(List.of(configuration), 1).getFirst();
    }

    /** One more round in a fresh task, its samples added to {@code previous}. */
    @Override
    public Measurement remeasure(Measurement previous) {
        if (!previous.ok()) {
            return previous;
        }
        Measurement round = measureAll(List.of(previous.configuration()), 2).getFirst();
        if (!round.ok()) {
            return previous;
        }
        Map<String, List<Double>> samples = new LinkedHashMap<>();
        round.estimates().forEach((metric, e) -> samples.put(metric, e.samples()));
        Measurement merged = previous.withMore(samples, round.duration());
        machines.put(merged, machines.getOrDefault(round, Machine.current()));
        return merged;
    }

    /** The machine a measurement returned by this executor was made on. */
    public Optional<Machine> machineOf(Measurement m) {
        return Optional.ofNullable(machines.get(m));
    }

    /**
     * Measures {@code configurations} as one job array (resuming what an interrupted exploration submitted) and
     * returns their measurements in order; a task that leaves no result is a failed measurement with its log's
     * tail. Never throws for one configuration: Slurm failing to submit or answer fails them all, with the reason.
     */
    public List<Measurement> measureAll(List<Configuration> configurations, int round) {
        Instant started = Instant.now();
        Map<Configuration, ResultsStore.Submission> pending = new LinkedHashMap<>();
        List<Configuration> toSubmit = new ArrayList<>();
        try {
            for (Configuration c : configurations) {
                Optional<ResultsStore.Submission> s = store.pendingSubmission(c, command, round);
                if (s.isPresent() && (Files.exists(s.get().result()) || cluster.active(s.get().job()))) {
                    pending.put(c, s.get());
                } else {
                    toSubmit.add(c);
                }
            }
            if (!toSubmit.isEmpty()) {
                submit(toSubmit, round).forEach(s -> pending.put(s.configuration(), s));
            }
            awaitJobs(pending.values().stream().map(ResultsStore.Submission::job).distinct().toList());
        } catch (SlurmException e) {
            return configurations.stream().map(c -> Measurement.failed(c, e.getMessage(), command, started,
                    Duration.between(started, Instant.now()))).toList();
        }
        List<Measurement> out = new ArrayList<>();
        for (Configuration c : configurations) {
            ResultsStore.Submission s = pending.get(c);
            out.add(collect(s, started));
            store.collected(s);
        }
        return out;
    }

    private List<ResultsStore.Submission> submit(List<Configuration> configurations, int round)
            throws SlurmException {
        Path batch = dir.resolve("batch-" + UUID.randomUUID());
        try {
            Files.createDirectories(batch);
            for (int i = 0; i < configurations.size(); i++) {
                ObjectNode task = JSON.createObjectNode();
                task.put("config", configurations.get(i).key());
                task.put("round", round);
                task.put("result", batch.resolve("result-" + i + ".json").toString());
                task.put("work_dir", batch.resolve("work-" + i).toString());
                taskArguments.forEach(task.putArray("arguments")::add);
                Files.writeString(batch.resolve("task-" + i + ".json"), task.toString());
            }
            Path script = batch.resolve("task.sh");
            Files.writeString(script, "#!/bin/bash\n# One measurement of a flexos exploration: the task file names "
                    + "the configuration. The checkout runs as the exploration built it.\nexport FLEXOS_NO_BUILD=1\n"
                    + "exec " + shellQuote(flexos.toString()) + " explore --run-task "
                    + shellQuote(batch.toString()) + "/task-\"$SLURM_ARRAY_TASK_ID\".json\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new SlurmException("cannot write the job's files in " + batch + ": " + e.getMessage());
        }
        String job = cluster.submit(batch.resolve("task.sh"), configurations.size(), batch, "flexos-explore");
        List<ResultsStore.Submission> out = new ArrayList<>();
        for (int i = 0; i < configurations.size(); i++) {
            ResultsStore.Submission s = new ResultsStore.Submission(job, i, configurations.get(i), command, round,
                    batch.resolve("result-" + i + ".json"));
            store.recordSubmission(s);
            out.add(s);
        }
        return out;
    }

    private void awaitJobs(List<String> jobs) throws SlurmException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String job : jobs) {
            while (cluster.active(job)) {
                if (System.nanoTime() > deadline) {
                    throw new SlurmException("job " + job + " has not finished within " + timeout.toMinutes()
                            + " min; it keeps running: rerun the same exploration to collect it");
                }
                try {
                    Thread.sleep(poll.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SlurmException("interrupted while waiting for job " + job + "; it keeps running: rerun "
                            + "the same exploration to collect it");
                }
            }
        }
    }

    private Measurement collect(ResultsStore.Submission s, Instant started) {
        try {
            if (Files.exists(s.result())) {
                MeasurementJson.Made made = MeasurementJson.read(Files.readString(s.result(), StandardCharsets.UTF_8));
                machines.put(made.measurement(), made.machine());
                return made.measurement();
            }
        } catch (IOException | StoreException e) {
            return Measurement.failed(s.configuration(), "the result of Slurm task " + s.job() + "_" + s.task()
                    + " cannot be read: " + e.getMessage(), command, started, Duration.between(started, Instant.now()));
        }
        return Measurement.failed(s.configuration(), "Slurm task " + s.job() + "_" + s.task() + " left no result"
                + logTail(s), command, started, Duration.between(started, Instant.now()));
    }

    private static String logTail(ResultsStore.Submission s) {
        Path log = s.result().resolveSibling("task-" + s.job() + "_" + s.task() + ".log");
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "; last lines of " + log + ":\n  " + String.join("\n  ",
                    lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "; its log " + log + " is missing";
        }
    }

    /**
     * The task's side: measures the task file's configuration with {@code oracle} and writes the measurement,
     * atomically, to the file's {@code result}.
     */
    public static void runTask(Path taskFile, MeasurementOracle oracle) throws IOException {
        var task = JSON.readTree(Files.readString(taskFile, StandardCharsets.UTF_8));
        Measurement m = oracle.measure(Configuration.fromKey(task.path("config").asText()));
        Path result = Path.of(task.path("result").asText());
        Path partial = result.resolveSibling(result.getFileName() + ".partial");
        Files.writeString(partial, MeasurementJson.write(m, Machine.current()));
        Files.move(partial, result, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The task file's arguments and work directory, for the task's {@code flexos explore}. */
    public static List<String> taskArguments(Path taskFile) throws IOException {
        var task = JSON.readTree(Files.readString(taskFile, StandardCharsets.UTF_8));
        List<String> args = new ArrayList<>();
        task.path("arguments").forEach(a -> args.add(a.asText()));
        args.add("--work-dir");
        args.add(task.path("work_dir").asText());
        return args;
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
