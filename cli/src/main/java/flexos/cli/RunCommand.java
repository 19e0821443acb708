package flexos.cli;

import flexos.core.config.ConfigException;
import flexos.core.image.Image;
import flexos.core.image.ImageBuildException;
import flexos.core.image.ImagePlan;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flexos run}: builds an image when its plan is missing or stale, then runs it in the foreground. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {
            "Build the image if needed, then start it and run its application in the foreground until it exits "
                + "or receives SIGINT/SIGTERM, which stop it cleanly (sockets closed, memory freed).",
            "Arguments after CONFIG (or after --) are passed to the application, e.g. --port 6380."})
final class RunCommand implements Callable<Integer> {

    /** How long a stop request may take before the JVM exits anyway. */
    private static final long STOP_GRACE_SECONDS = 10;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "The image configuration (YAML).")
    private Path config;

    @Parameters(index = "1..*", paramLabel = "APP-ARG", description = "Arguments for the application.")
    private List<String> appArgs = new ArrayList<>();

    @Option(names = "--port", paramLabel = "N", description = "Shorthand for the application argument --port N.")
    private Integer port;

    @Option(names = "--bind", paramLabel = "ADDR", description = "Shorthand for the application argument --bind ADDR.")
    private String bind;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "build",
            description = "Where built images are kept (default: ${DEFAULT-VALUE}).")
    private Path output;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        ImageLoader loader = new ImageLoader();
        ImagePlan plan;
        try {
            plan = loader.plan(config);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return ExitCodes.BAD_INPUT;
        } catch (ImageBuildException e) {
            err.println("flexos run: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        BuildOutput built = new BuildOutput(output, plan.config().name());
        if (!built.isCurrentFor(config)) {
            built.write(plan);
            err.println("flexos: built image " + plan.config().name() + " -> " + built.file());
        }
        plan.warnings().forEach(w -> err.println("flexos: warning: " + w));
        err.flush();
        return runInForeground(loader, plan, err);
    }

    private int runInForeground(ImageLoader loader, ImagePlan plan, PrintWriter err) {
        Image image;
        try {
            image = Image.start(plan);
        } catch (ImageBuildException e) {
            err.println("flexos run: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // A signal must stop the application and still let the image free its memory and close its sockets,
        // so the hook only asks, then waits for the main thread to finish closing.
        Thread hook = new Thread(() -> {
            image.requestStop();
            try {
                stopped.await(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "flexos-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return image.run(applicationArguments());
        } catch (Exception e) {
            err.println("flexos run: " + plan.config().application() + " failed: " + e);
            err.flush();
            return ExitCodes.FAILURE;
        } finally {
            try {
                image.close();
            } catch (RuntimeException e) {
                err.println("flexos run: while stopping the image: " + e);
            }
            stopped.countDown();
            removeHook(hook);
        }
    }

    private List<String> applicationArguments() {
        List<String> args = new ArrayList<>();
        if (port != null) {
            args.add("--port");
            args.add(port.toString());
        }
        if (bind != null) {
            args.add("--bind");
            args.add(bind);
        }
        args.addAll(appArgs);
        return args;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already exiting because of a signal: the hook is running and waits for us.
        }
    }
}
