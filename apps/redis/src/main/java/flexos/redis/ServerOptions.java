package flexos.redis;

import java.util.List;

/**
 * The server's command line: {@code --port N} (default 6379; 0 picks a free port) and {@code --bind ADDR} (default
 * 127.0.0.1).
 */
record ServerOptions(String bind, int port) {

    static final int DEFAULT_PORT = 6379;
    static final String DEFAULT_BIND = "127.0.0.1";

    ServerOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535, got " + port);
        }
        if (bind.isBlank()) {
            throw new IllegalArgumentException("--bind needs an address, for example 127.0.0.1");
        }
    }

    /** Parses the arguments; anything else is an {@link IllegalArgumentException} naming the bad argument. */
    static ServerOptions parse(List<String> args) {
        String bind = DEFAULT_BIND;
        int port = DEFAULT_PORT;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--port" -> {
                    String value = valueOf(args, i++, arg, "a port number (0 picks a free port)");
                    try {
                        port = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--port expects a number between 0 and 65535, got '"
                                + value + "'");
                    }
                }
                case "--bind" -> bind = valueOf(args, i++, arg, "an address such as 127.0.0.1");
                default -> throw new IllegalArgumentException("unknown argument '" + arg
                        + "': the redis server accepts --port N and --bind ADDR");
            }
        }
        return new ServerOptions(bind, port);
    }

    private static String valueOf(List<String> args, int i, String option, String what) {
        if (i + 1 >= args.size()) {
            throw new IllegalArgumentException(option + " needs " + what);
        }
        return args.get(i + 1);
    }
}
