package flexos.redis;

/**
 * An error reply raised while a command checks its arguments, before it changes anything; the dispatcher writes
 * {@code -<message>}. It has no stack trace because it is an answer to the client, not a fault of the server.
 */
final class CommandError extends RuntimeException {

    static final CommandError NOT_INTEGER = new CommandError("ERR value is not an integer or out of range");
    static final CommandError NOT_FLOAT = new CommandError("ERR value is not a valid float");
    static final CommandError SYNTAX = new CommandError("ERR syntax error");
    static final CommandError WRONG_TYPE =
            new CommandError("WRONGTYPE Operation against a key holding the wrong kind of value");
    static final CommandError NOT_POSITIVE = new CommandError("ERR value is out of range, must be positive");

    CommandError(String message) {
        super(message, null, false, false);
    }
}
