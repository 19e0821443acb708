package flexos.explore.measure;

import flexos.explore.search.Measurement;
import flexos.explore.search.MeasurementOracle;
import flexos.explore.space.Configuration;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Measures a configuration for real: writes it as a configuration file, starts
 * {@code FLEXOS run CONFIG -- --port PORT}, waits (bounded) until the port accepts connections, warms the image up
 * for a duration, runs the {@link Workload} in runs of about a duration each until the {@link SamplingPlan} has
 * enough samples (each run one sample per metric), and stops the image ({@link MeasurementSettings}). Measuring again
 * ({@link #remeasure}) starts the image anew and adds a round of samples.
 *
 * <p>Failures are results, not exceptions: an image that exits or never opens its port, a client that fails, or an
 * image that dies under load yields a {@link Measurement.Status#FAILED} measurement with the reason and the tail of
 * the image's log. The image is always stopped by its process handle and its descendants' handles (the launcher
 * script may start the JVM as a child): destroy, wait, then destroy forcibly. Nothing is ever killed by name.
 *
 * <p>No image outlives the exploration, however it ends:
 * <ul>
 *   <li>normally: each image is stopped after its measurement;</li>
 *   <li>Ctrl-C or SIGTERM: a shutdown hook stops the image being measured;</li>
 *   <li>SIGKILL (no hook runs): each image runs under a small watchdog shell ({@link #WATCHDOG}), started in a
 *       session and process group of its own with {@code setsid}, that polls the exploring JVM's pid once a second
 *       and, once it is gone, terminates its process group (the image and everything it started), then kills it
 *       5 seconds later.</li>
 * </ul>
 * Images run with {@code FLEXOS_NO_BUILD=1}: every configuration is measured with the build the exploration
 * started with, and a source edited meanwhile cannot make an image rebuild the project (or fail to).
 */
public final class ImageRunner implements MeasurementOracle {

    /**
     * The watchdog around an image: {@code bash -c WATCHDOG watchdog EXPLORER_PID COMMAND...}. It runs the image in
     * the background and exits with its status; SIGTERM stops the image first; a background loop stops the whole
     * process group (or, without {@code setsid}, the image alone) when the explorer's pid no longer exists.
     */
    static final String WATCHDOG = """
            explorer=$1; shift
            "$@" &
            image=$!
            if [ "${FLEXOS_IMAGE_GROUP:-}" = 1 ]; then target="-- -$$"; else target="$image"; fi
            trap 'kill -TERM "$image" 2>/dev/null; wait "$image"; exit 143' TERM INT
            (
              trap '' TERM INT
              while kill -0 "$explorer" 2>/dev/null; do sleep 1; done
              kill -TERM $target 2>/dev/null
              sleep 5
              kill -KILL $target 2>/dev/null
            ) &
            watcher=$!
            wait "$image"
            status=$?
            kill -KILL "$watcher" 2>/dev/null
            exit $status
            """;

    /** The images being measured right now, stopped by the shutdown hook if the JVM is asked to exit. */
    private static final java.util.Set<Process> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(ImageRunner::stop),
                "flexos-explore-stop-images"));
    }

    private final Path flexos;
    private final Workload workload;
    private final String image;
    private final String application;
    private final Path workDir;
    private final Duration startTimeout;
    private final Duration runTimeout;
    private final MeasurementSettings settings;

    /**
     * @param flexos       the {@code flexos} launcher script
     * @param workload     the client to run
     * @param image        the image's name, written into each configuration file
     * @param application  the application library, or {@code null} to let the catalog decide
     * @param workDir      where configuration files and image logs go
     * @param startTimeout how long an image may take to open its port
     * @param runTimeout   how long one client run may take
     * @param settings     warm-up, run length, how many runs, pinning
     */
    public ImageRunner(Path flexos, Workload workload, String image, String application, Path workDir,
                       Duration startTimeout, Duration runTimeout, MeasurementSettings settings) {
        this.flexos = flexos;
        this.workload = workload;
        this.image = image;
        this.application = application;
        this.workDir = workDir;
        this.startTimeout = startTimeout;
        this.runTimeout = runTimeout;
        this.settings = settings;
        if (settings.pinning().isPresent() && onPath("taskset") == null) {
            throw new IllegalArgumentException("pinning to CPUs needs taskset (Debian's util-linux), which is not on "
                    + "the PATH");
        }
    }

    @Override
    public String command() {
        return flexos + " run CONFIG -- --port PORT; " + workload.describe() + "; " + settings.describe();
    }

    @Override
    public Measurement measure(Configuration configuration) {
        Instant started = Instant.now();
        Round round = round(configuration);
        return round.error != null ? failed(configuration, round.error, started)
                : Measurement.sampled(configuration, round.samples, settings.plan().confidence(), command(), started,
                        Duration.between(started, Instant.now()));
    }

    /**
     * Starts the image anew and takes another round of samples; a round that fails leaves {@code previous} as it
     * was, with the reason appended to nothing (a failed round is not a sample).
     */
    @Override
    public Measurement remeasure(Measurement previous) {
        if (!previous.ok()) {
            return previous;
        }
        Instant started = Instant.now();
        Round round = round(previous.configuration());
        return round.error != null ? previous
                : previous.withMore(round.samples, Duration.between(started, Instant.now()));
    }

    /** One round's samples per metric, or why there are none. */
    private record Round(Map<String, List<Double>> samples, String error) {
    }

    private Round round(Configuration configuration) {
        Process process = null;
        Path log = null;
        try {
            Files.createDirectories(workDir);
            Path config = Files.createTempFile(workDir, "config-", ".yaml");
            Files.writeString(config, ConfigurationYaml.write(configuration, image, application));
            log = workDir.resolve(config.getFileName().toString().replace(".yaml", ".log"));
            int port = freePort();
            List<String> command = new ArrayList<>(pinned(settings.pinning().map(MeasurementSettings.Pinning::image)));
            command.addAll(List.of(flexos.toString(), "run", config.toString(), "--", "--port",
                    Integer.toString(port)));
            process = start(command, log);
            String notStarted = awaitPort(process, port);
            if (notStarted != null) {
                return new Round(Map.of(), notStarted + tail(log));
            }
            long warmUpEnd = System.nanoTime() + settings.warmUp().toNanos();
            long requests = MeasurementSettings.CALIBRATION_REQUESTS;
            boolean warm = false;
            Map<String, List<Double>> samples = new TreeMap<>();
            while (!settings.plan().enough(samples)) {
                List<String> client = new ArrayList<>(pinned(settings.pinning()
                        .map(MeasurementSettings.Pinning::client)));
                client.addAll(workload.command(port, requests));
                ClientRun run = ClientRun.of(client, workDir, runTimeout);
                if (!process.isAlive()) {
                    return new Round(Map.of(), "the image crashed " + (warm ? "under load" : "during warm-up")
                            + " (exit code " + process.exitValue() + ")" + tail(log));
                }
                if (run.timedOut()) {
                    return new Round(Map.of(), "the client did not finish within " + runTimeout.toSeconds()
                            + " s: " + String.join(" ", client));
                }
                Map<String, Double> metrics = workload.parse(run.output());
                if (warm) {
                    metrics.forEach((k, v) -> samples.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
                }
                requests = requestsFor(metrics);
                warm = System.nanoTime() >= warmUpEnd;
            }
            return new Round(samples, null);
        } catch (WorkloadException e) {
            return new Round(Map.of(), e.getMessage() + (log == null ? "" : tail(log)));
        } catch (IOException e) {
            return new Round(Map.of(), "cannot start the image: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Round(Map.of(), "interrupted");
        } finally {
            if (process != null) {
                stop(process);
                RUNNING.remove(process);
            }
        }
    }

    /** Starts {@code command} under the watchdog, output to {@code log}, registered for the shutdown hook. */
    static Process start(List<String> command, Path log) throws IOException {
        List<String> line = new ArrayList<>();
        Path setsid = onPath("setsid");
        if (setsid != null) {
            // -w: should setsid have to fork, it still waits, so the Process we hold lives as long as the image.
            line.add(setsid.toString());
            line.add("-w");
        }
        line.addAll(List.of("bash", "-c", WATCHDOG, "flexos-image-watchdog",
                Long.toString(ProcessHandle.current().pid())));
        line.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("FLEXOS_NO_BUILD", "1");
        builder.environment().put("FLEXOS_IMAGE_GROUP", setsid != null ? "1" : "0");
        Process process = builder.start();
        RUNNING.add(process);
        return process;
    }

    private static Path onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Requests per test for a run of about {@code settings.run()}, from the last run's throughputs: the tests run
     * one after the other, so the run lasts the sum of requests / throughput.
     */
    long requestsFor(Map<String, Double> throughputs) {
        double secondsPerRequest = 0;
        for (double rate : throughputs.values()) {
            secondsPerRequest += rate > 0 ? 1 / rate : 0;
        }
        double seconds = settings.run().toNanos() / 1e9;
        long n = secondsPerRequest > 0 ? (long) (seconds / secondsPerRequest) : MeasurementSettings.MIN_REQUESTS;
        return Math.max(MeasurementSettings.MIN_REQUESTS, n);
    }

    private static List<String> pinned(Optional<String> cpus) {
        return cpus.map(c -> List.of("taskset", "-c", c)).orElse(List.of());
    }

    private Measurement failed(Configuration c, String error, Instant started) {
        return Measurement.failed(c, error, command(), started, Duration.between(started, Instant.now()));
    }

    /** Null once the port accepts a connection, or why the image did not start. */
    private String awaitPort(Process process, int port) throws InterruptedException {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return "the image did not start: it exited with code " + process.exitValue();
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return null;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        return "the image did not start: port " + port + " did not accept connections within "
                + startTimeout.toSeconds() + " s";
    }

    /** Stops the image and everything it started: politely, then forcibly, each by its handle. */
    static void stop(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            for (ProcessHandle d : descendants) {
                if (d.isAlive()) {
                    d.destroyForcibly();
                }
                d.onExit().get(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            descendants.forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            descendants.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> last = lines.subList(Math.max(0, lines.size() - 10), lines.size());
            return last.isEmpty() ? "" : "; last lines of " + log + ":\n  " + String.join("\n  ", last);
        } catch (IOException e) {
            return "";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    /** One bounded run of a client process, its output captured through a file so that it can never block. */
    record ClientRun(String output, boolean timedOut, int exitCode) {

        static ClientRun of(List<String> command, Path workDir, Duration timeout)
                throws IOException, InterruptedException, WorkloadException {
            Path out = Files.createTempFile(workDir, "client-", ".out");
            Process p;
            try {
                p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            } catch (IOException e) {
                throw new WorkloadException("cannot run the client " + command.getFirst() + ": " + e.getMessage());
            }
            boolean finished;
            try {
                finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } finally {
                if (p.isAlive()) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            Files.deleteIfExists(out);
            return new ClientRun(output, !finished, finished ? p.exitValue() : -1);
        }
    }
}
