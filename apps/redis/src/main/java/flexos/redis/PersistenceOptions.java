package flexos.redis;

import java.util.ArrayList;
import java.util.List;

/**
 * The persistence part of the server's command line, as redis-server takes it: {@code --dir DIR} (a host directory
 * that must exist; without it snapshots go to a file system in memory and nothing reaches the host),
 * {@code --dbfilename NAME} (default {@code dump.rdb}), {@code --save "SECONDS CHANGES ..."} or {@code --save ""},
 * {@code --appendonly no} ({@code yes} is refused: this server has no AOF), and
 * {@code --enable-protected-configs yes|no|local} (whether CONFIG SET may change {@code dir} and
 * {@code dbfilename}; Redis's default is no).
 *
 * @param dir          the host directory, or null for the memory file system
 * @param dbfilename   the snapshot's file name
 * @param save         the save points, as CONFIG SET save takes them; null for the default
 * @param protectedConfigs whether CONFIG SET may change protected parameters
 * @param rest         the arguments this record does not own, in order, for {@link ServerOptions}
 */
record PersistenceOptions(String dir, String dbfilename, String save, boolean protectedConfigs, List<String> rest) {

    /** Redis 7.0's save points when no configuration names any. */
    static final String REDIS_DEFAULT_SAVE = "3600 1 300 100 60 10000";

    PersistenceOptions {
        rest = List.copyOf(rest);
    }

    /** Takes the persistence options out of {@code args}; a bad value is an {@link IllegalArgumentException}. */
    static PersistenceOptions parse(List<String> args) {
        String dir = null;
        String dbfilename = "dump.rdb";
        String save = null;
        boolean protectedConfigs = false;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--dir" -> dir = value(args, ++i, arg, "a directory that exists");
                case "--dbfilename" -> {
                    dbfilename = value(args, ++i, arg, "a file name such as dump.rdb");
                    String problem = Persistence.badFileName(dbfilename);
                    if (problem != null) {
                        throw new IllegalArgumentException("--dbfilename " + problem);
                    }
                }
                case "--save" -> {
                    save = value(args, ++i, arg, "save points such as \"3600 1 300 100\", or \"\"");
                    if (SavePoints.parse(save) == null) {
                        throw new IllegalArgumentException("--save expects pairs of seconds and changes, such as"
                                + " \"3600 1 300 100\", or \"\" for none; got '" + save + "'");
                    }
                }
                case "--appendonly" -> {
                    String value = value(args, ++i, arg, "yes or no");
                    if (value.equalsIgnoreCase("yes")) {
                        throw new IllegalArgumentException("--appendonly yes: this server has no append-only file;"
                                + " it persists RDB snapshots only (use --save)");
                    }
                    if (!value.equalsIgnoreCase("no")) {
                        throw new IllegalArgumentException("--appendonly expects yes or no, got '" + value + "'");
                    }
                }
                case "--enable-protected-configs" -> {
                    String value = value(args, ++i, arg, "yes, no or local");
                    switch (value.toLowerCase(java.util.Locale.ROOT)) {
                        // Every connection of this server comes from loopback, so "local" is "yes".
                        case "yes", "local" -> protectedConfigs = true;
                        case "no" -> protectedConfigs = false;
                        default -> throw new IllegalArgumentException(
                                "--enable-protected-configs expects yes, no or local, got '" + value + "'");
                    }
                }
                default -> rest.add(arg);
            }
        }
        return new PersistenceOptions(dir, dbfilename, save, protectedConfigs, rest);
    }

    private static String value(List<String> args, int i, String option, String what) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs " + what);
        }
        return args.get(i);
    }
}
