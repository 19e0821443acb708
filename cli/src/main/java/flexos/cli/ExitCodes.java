package flexos.cli;

/** The exit statuses of every {@code flexos} subcommand. */
final class ExitCodes {
    static final int OK = 0;
    /** The input was valid, but building or running failed. */
    static final int FAILURE = 1;
    /** The input was wrong: a configuration mistake or a usage error. Picocli uses 2 for usage errors too. */
    static final int BAD_INPUT = 2;

    private ExitCodes() {
    }
}
