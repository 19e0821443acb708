/** The {@code flexos} command. Libraries are found as services on the module path, so the CLI names none of them. */
module flexos.cli {
    requires flexos.core;
    requires info.picocli;
    requires flexos.attacks;
    requires flexos.analyze;
    requires flexos.explore;

    opens flexos.cli to info.picocli;

    uses flexos.core.component.Library;
}
