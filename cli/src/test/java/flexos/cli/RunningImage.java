package flexos.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An image started with the real {@code ./flexos run} script, as a user starts it. Closing it stops the process
 * by its handle (SIGTERM, then SIGKILL after a grace period), whatever happened in the test.
 */
final class RunningImage implements AutoCloseable {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private final Process process;
    private final int port;
    private final StringBuffer output = new StringBuffer();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();

    private RunningImage(Process process, int port) {
        this.process = process;
        this.port = port;
        Thread reader = new Thread(this::readOutput, "image-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code config} on a free port and waits until the application says it is ready. */
    static RunningImage start(String config) throws Exception {
        return start(config, new String[0]);
    }

    /** Starts {@code config} on a free port with more application arguments ({@code --dir D}) and waits for it. */
    static RunningImage start(String config, String... appArgs) throws Exception {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("flexos").toString(), "run",
                ROOT.resolve(config).toString(), "--port", Integer.toString(port), "-o",
                ROOT.resolve("cli/target/it-build").toString()));
        if (appArgs.length > 0) {
            command.add("--");
            command.addAll(List.of(appArgs));
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("FLEXOS_NO_BUILD", "1");
        builder.redirectErrorStream(true);
        RunningImage image = new RunningImage(builder.start(), port);
        try {
            image.ready.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            image.close();
            throw new AssertionError("the image did not become ready: " + e + "\n" + image.output(), e);
        }
        return image;
    }

    /** Runs a command to completion (bounded) and returns its exit status and output. */
    static Result exec(long timeoutSeconds, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("FLEXOS_NO_BUILD", "1");
        Process process = builder.start();
        CompletableFuture<String> text = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        });
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
        }
        return new Result(process.exitValue(), text.join());
    }

    record Result(int exitCode, String output) {
    }

    int port() {
        return port;
    }

    Process process() {
        return process;
    }

    String output() {
        return output.toString();
    }

    /** redis-cli against this image, one command, raw output. */
    Result cli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        return exec(30, command.toArray(String[]::new));
    }

    private void readOutput() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.append(line).append('\n');
                if (line.contains("ready to accept connections")) {
                    ready.complete(null);
                }
            }
        } catch (IOException e) {
            output.append("(output closed: ").append(e).append(")\n");
        }
        ready.completeExceptionally(new IllegalStateException("the image exited"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        // Stop the whole tree: the script execs java, but a failed exec could leave a child.
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            all.forEach(ProcessHandle::destroyForcibly);
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
