package flexos.cli;

import flexos.core.config.ConfigException;
import flexos.core.image.ImageBuildException;
import flexos.core.image.ImagePlan;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flexos build}: checks a configuration and writes the image's plan. */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = "Check an image configuration and build the image: resolve the libraries the application "
                + "uses, place them into compartments, and plan a gate for every call that crosses compartments. "
                + "The plan is written to DIR/<image>/image.plan and printed.")
final class BuildCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "The image configuration (YAML).")
    private Path config;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "build",
            description = "Where images are written (default: ${DEFAULT-VALUE}).")
    private Path output;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            ImagePlan plan = new ImageLoader().plan(config);
            BuildOutput built = new BuildOutput(output, plan.config().name());
            built.write(plan);
            PrintWriter out = spec.commandLine().getOut();
            out.print(plan.describe());
            out.println("built " + built.file());
            out.flush();
            return ExitCodes.OK;
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return ExitCodes.BAD_INPUT;
        } catch (ImageBuildException e) {
            err.println("flexos build: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
    }
}
