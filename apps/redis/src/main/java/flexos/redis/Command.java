package flexos.redis;

import java.nio.charset.StandardCharsets;

/**
 * A command of the table: its lower-case name, its Redis arity (n: exactly n arguments including the name; -n: at
 * least n) and what it does.
 */
record Command(String name, int arity, Handler handler) {

    /** Runs a command whose arguments are in the client and whose arity has been checked; replies into the client. */
    @FunctionalInterface
    interface Handler {
        void execute(Client c);
    }

    Command {
        if (!name.equals(name.toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("command names are lower case: " + name);
        }
    }

    byte[] nameBytes() {
        return name.getBytes(StandardCharsets.US_ASCII);
    }

    boolean arityAccepts(int argc) {
        return arity >= 0 ? argc == arity : argc >= -arity;
    }
}
