package flexos.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code flexos} command: build, run, analyse and explore FlexOS-J images. */
@Command(name = "flexos",
        mixinStandardHelpOptions = true,
        version = "FlexOS-J 0.1.0",
        description = {
            "FlexOS-J: a library OS whose isolation is chosen when an image is built, not when the OS is designed.",
            "",
            "An image is an application plus the LibOS libraries it uses, placed into compartments by a YAML "
                + "configuration; gates between compartments are instantiated from that configuration.",
            ""},
        subcommands = {BuildCommand.class, RunCommand.class, LibrariesCommand.class, AnalyzeCommand.class, ExploreCommand.class,
            DoctorCommand.class,
            AttacksCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit status: 0 success, 1 failure while building or running, 2 bad input (configuration, usage)."})
public final class Flexos {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command tree, for {@link #main} and for tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new Flexos());
    }
}
