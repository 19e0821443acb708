package flexos.cli;

import flexos.core.mechanism.Mechanism;
import flexos.core.mechanism.mpk.PkeyFaultReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flexos doctor}: which mechanisms this machine can run, and why; with {@code --crash-report}, what stopped
 * an image whose JVM crashed (the launcher runs it when a JVM writes a crash report).
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Say which isolation mechanisms this machine can run, and why not where it cannot.",
            "With --crash-report FILE, explain a JVM crash report: for a protection-key fault (mpk), which "
                + "compartment touched whose memory. ./flexos runs this itself when an image's JVM crashes."})
final class DoctorCommand implements Callable<Integer> {

    private static final Pattern MODEL = Pattern.compile("^model name\\s*:\\s*(.+)$", Pattern.MULTILINE);

    @Spec
    private CommandSpec spec;

    @Option(names = "--crash-report", paramLabel = "FILE",
            description = "A JVM crash report (hs_err file) to explain instead.")
    private Path crashReport;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (crashReport != null) {
            return explain(out, spec.commandLine().getErr());
        }
        out.println("machine: " + cpuModel().orElse("(no model name in /proc/cpuinfo)") + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch") + ", Java " + Runtime.version());
        ImageLoader loader = new ImageLoader();
        int width = loader.mechanisms().names().stream().mapToInt(String::length).max().orElse(8);
        for (Mechanism mechanism : loader.mechanisms().all()) {
            Mechanism.Availability here = mechanism.availability();
            String verdict = here.available() ? "available" : "unavailable";
            out.printf("%-" + width + "s  %s%s%n", mechanism.name(), verdict,
                    here.reason().isEmpty() ? "" : ": " + here.reason());
        }
        out.flush();
        return ExitCodes.OK;
    }

    private int explain(PrintWriter out, PrintWriter err) {
        if (!Files.isReadable(crashReport)) {
            err.println("flexos doctor: cannot read the crash report " + crashReport);
            err.flush();
            return ExitCodes.BAD_INPUT;
        }
        Optional<PkeyFaultReport> fault = PkeyFaultReport.read(crashReport);
        fault.ifPresent(PkeyFaultReport::discardMap);
        out.println("flexos: " + fault.map(PkeyFaultReport::explain).orElse("the JVM crashed, but not on a "
                + "protection-key fault; see " + crashReport));
        out.flush();
        return ExitCodes.OK;
    }

    private static Optional<String> cpuModel() {
        try {
            Matcher model = MODEL.matcher(Files.readString(Path.of("/proc/cpuinfo")));
            return model.find() ? Optional.of(model.group(1).trim()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
