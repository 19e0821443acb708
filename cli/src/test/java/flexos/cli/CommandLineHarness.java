package flexos.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the {@code flexos} command tree in-process and keeps what it printed and its exit status. */
record CommandLineHarness(int exitCode, String out, String err) {

    static CommandLineHarness run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = Flexos.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int exitCode = command.execute(args);
        return new CommandLineHarness(exitCode, out.toString(), err.toString());
    }
}
