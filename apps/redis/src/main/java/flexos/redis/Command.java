package flexos.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A command of the table: what {@code COMMAND INFO} and {@code COMMAND DOCS} tell about it (its arity, flags, key
 * positions, group, version and a one-line summary of our own), what it does, and its call statistics for
 * {@code INFO commandstats}. A container command ({@code CONFIG}, {@code CLIENT}...) holds subcommands and no handler
 * of its own.
 *
 * <p>Arity is Redis's: n means exactly n arguments including the name, -n at least n. Key positions are Redis's
 * (first, last, step), last -1 meaning the last argument; {@link #keyCountArg} is the position of a {@code numkeys}
 * argument for commands whose keys follow one (ZUNIONSTORE, LMPOP...), or 0.
 */
final class Command {

    /** Runs a command whose arguments are in the client and whose arity has been checked; replies into the client. */
    @FunctionalInterface
    interface Handler {
        void execute(Client c);
    }

    final String name;
    final String fullName;
    final int arity;
    final Set<String> flags;
    final int firstKey;
    final int lastKey;
    final int keyStep;
    final int keyCountArg;
    final String group;
    final String since;
    final String summary;
    final Handler handler;
    final Command parent;
    final Map<String, Command> subcommands = new LinkedHashMap<>();
    final boolean write;
    final boolean readonly;
    final boolean denyOom;
    final boolean noAuth;
    final boolean allowedInPubSub;
    final boolean noMulti;
    final boolean blocking;
    final boolean admin;
    final boolean loadingOk;

    long calls;
    long micros;
    long rejectedCalls;
    long failedCalls;

    private Command(String name, Command parent, int arity, Set<String> flags, int firstKey, int lastKey, int keyStep,
                    int keyCountArg, String group, String since, String summary, Handler handler) {
        this.name = name;
        this.parent = parent;
        this.fullName = parent == null ? name : parent.name + "|" + name;
        this.arity = arity;
        this.flags = flags;
        this.firstKey = firstKey;
        this.lastKey = lastKey;
        this.keyStep = keyStep;
        this.keyCountArg = keyCountArg;
        this.group = group;
        this.since = since;
        this.summary = summary;
        this.handler = handler;
        this.write = flags.contains("write");
        this.readonly = flags.contains("readonly");
        this.denyOom = flags.contains("denyoom");
        this.noAuth = flags.contains("no_auth");
        this.allowedInPubSub = flags.contains("pubsub_ok");
        this.noMulti = flags.contains("no_multi");
        this.blocking = flags.contains("blocking");
        this.admin = flags.contains("admin");
        this.loadingOk = flags.contains("loading");
    }

    /** Flags that are ours only, used by the dispatcher, and not shown by COMMAND INFO. */
    private static final Set<String> INTERNAL_FLAGS = Set.of("pubsub_ok");

    /**
     * Parses {@code "name arity flags first last step group since | summary"}, where flags are comma-separated
     * ({@code -} for none) and {@code step} may be {@code N+k} for "step N, numkeys at argument k".
     *
     * @throws IllegalArgumentException naming the line if it does not have that shape
     */
    static Command parse(String line, Command parent, Handler handler) {
        int bar = line.indexOf('|', line.indexOf(' '));
        if (bar < 0) {
            throw new IllegalArgumentException("command spec without '| summary': " + line);
        }
        String[] f = line.substring(0, bar).trim().split("\\s+");
        if (f.length != 8) {
            throw new IllegalArgumentException("command spec needs 8 fields before '|': " + line);
        }
        String name = f[0];
        if (!name.equals(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("command names are lower case: " + name);
        }
        Set<String> flags = f[2].equals("-") ? Set.of() : Set.of(f[2].split(","));
        String step = f[5];
        int keyCountArg = 0;
        int plus = step.indexOf('+');
        if (plus >= 0) {
            keyCountArg = Integer.parseInt(step.substring(plus + 1));
            step = step.substring(0, plus);
        }
        return new Command(name, parent, Integer.parseInt(f[1]), flags, Integer.parseInt(f[3]),
                Integer.parseInt(f[4]), Integer.parseInt(step), keyCountArg, f[6], f[7],
                line.substring(bar + 1).trim(), handler);
    }

    /** The command's name (a subcommand's own name, without its container's). */
    String name() {
        return name;
    }

    byte[] nameBytes() {
        return name.getBytes(StandardCharsets.US_ASCII);
    }

    boolean arityAccepts(int argc) {
        return arity >= 0 ? argc == arity : argc >= -arity;
    }

    boolean isContainer() {
        return !subcommands.isEmpty();
    }

    /** The flags COMMAND INFO shows, in a stable order. */
    List<String> shownFlags() {
        return new ArrayList<>(new TreeSet<>(flags.stream().filter(f -> !INTERNAL_FLAGS.contains(f)).toList()));
    }

    /** Redis's ACL categories, derived from the group and flags as redis-server derives most of them. */
    List<String> aclCategories() {
        List<String> out = new ArrayList<>();
        if (write) {
            out.add("@write");
        }
        if (readonly) {
            out.add("@read");
        }
        String category = switch (group) {
            case "string" -> "@string";
            case "list" -> "@list";
            case "hash" -> "@hash";
            case "set" -> "@set";
            case "sorted-set" -> "@sortedset";
            case "generic" -> "@keyspace";
            case "connection" -> "@connection";
            case "pubsub" -> "@pubsub";
            case "transactions" -> "@transaction";
            case "bitmap" -> "@bitmap";
            case "scripting" -> "@scripting";
            default -> null;
        };
        if (category != null) {
            out.add(category);
        }
        if (admin) {
            out.add("@admin");
            out.add("@dangerous");
        } else if (flags.contains("dangerous")) {
            out.add("@dangerous");
        }
        out.add(flags.contains("fast") ? "@fast" : "@slow");
        if (blocking) {
            out.add("@blocking");
        }
        return out;
    }

    /**
     * The positions of the key arguments of {@code args} (the whole request), for COMMAND GETKEYS and for
     * invalidating WATCHed keys; empty when the command takes no key.
     */
    int[] keyPositions(int argc, java.util.function.IntToLongFunction numberAt) {
        if (keyCountArg > 0) {
            if (keyCountArg >= argc) {
                return new int[0];
            }
            long n = numberAt.applyAsLong(keyCountArg);
            if (n <= 0 || keyCountArg + n >= argc + 0L) {
                return new int[0];
            }
            int[] out = new int[(int) n + (firstKey > 0 ? 1 : 0)];
            int k = 0;
            if (firstKey > 0) {
                out[k++] = firstKey;
            }
            for (int i = 0; i < n; i++) {
                out[k++] = keyCountArg + 1 + i;
            }
            return out;
        }
        if (firstKey <= 0) {
            return new int[0];
        }
        int last = lastKey < 0 ? argc + lastKey : lastKey;
        if (last >= argc) {
            last = argc - 1;
        }
        int[] out = new int[Math.max(0, (last - firstKey) / keyStep + 1)];
        int k = 0;
        for (int i = firstKey; i <= last && k < out.length; i += keyStep) {
            out[k++] = i;
        }
        return Arrays.copyOf(out, k);
    }

    @Override
    public String toString() {
        return fullName;
    }
}
