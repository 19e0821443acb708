package flexos.redis;

import java.util.ArrayList;
import java.util.List;

/**
 * The server's command line, in redis-server's manner: {@code --port N} (default 6379; 0 picks a free port),
 * {@code --bind ADDR} (default 127.0.0.1), and {@code --<parameter> <value>} for any parameter CONFIG SET accepts
 * (for example {@code --requirepass secret} or {@code --maxmemory 100mb}), applied before the server listens.
 */
record ServerOptions(String bind, int port, List<String[]> parameters) {

    static final int DEFAULT_PORT = 6379;
    static final String DEFAULT_BIND = "127.0.0.1";

    ServerOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535, got " + port);
        }
        if (bind.isBlank()) {
            throw new IllegalArgumentException("--bind needs an address, for example 127.0.0.1");
        }
        parameters = List.copyOf(parameters);
    }

    ServerOptions(String bind, int port) {
        this(bind, port, List.of());
    }

    /** Parses the arguments; anything else is an {@link IllegalArgumentException} naming the bad argument. */
    static ServerOptions parse(List<String> args) {
        String bind = DEFAULT_BIND;
        int port = DEFAULT_PORT;
        List<String[]> parameters = new ArrayList<>();
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
                default -> {
                    if (!arg.startsWith("--") || arg.length() == 2) {
                        throw new IllegalArgumentException("unknown argument '" + arg + "': the redis server accepts "
                                + "--port N, --bind ADDR and --<config-parameter> VALUE");
                    }
                    String value = valueOf(args, i++, arg, "a value (the redis server takes --<config-parameter> VALUE)");
                    parameters.add(new String[] {arg.substring(2), value});
                }
            }
        }
        return new ServerOptions(bind, port, parameters);
    }

    /** Sets each {@code --parameter value} through {@code config}, as CONFIG SET would. */
    void apply(ServerConfig config) {
        for (String[] p : parameters) {
            ServerConfig.Parameter parameter = config.lookup(p[0]);
            if (parameter == null) {
                throw new IllegalArgumentException("unknown argument '--" + p[0] + "': it is not a configuration "
                        + "parameter this server implements (see CONFIG GET *)");
            }
            try {
                parameter.set(p[1]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--" + p[0] + " " + p[1] + ": " + e.getMessage(), e);
            }
        }
    }

    private static String valueOf(List<String> args, int i, String option, String what) {
        if (i + 1 >= args.size()) {
            throw new IllegalArgumentException(option + " needs " + what);
        }
        return args.get(i + 1);
    }
}
