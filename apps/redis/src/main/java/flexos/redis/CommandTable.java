package flexos.redis;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The command table. Finds a command by the bytes of its name in the query buffer, ignoring case, without making a
 * String: a hash of the case-folded bytes picks a slot of a small open-addressed table, then the bytes are compared.
 * Each command is declared with its {@link Command#parse spec line}, so what COMMAND INFO and COMMAND DOCS report is
 * the table the server dispatches with.
 */
final class CommandTable {

    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    private static final int SLOTS = 1024;

    private final Command[] slots = new Command[SLOTS];
    private final byte[][] names = new byte[SLOTS][];
    private final List<Command> all = new ArrayList<>();

    /** Adds a top-level command described by {@code spec} (see {@link Command#parse}). */
    Command add(String spec, Command.Handler handler) {
        Command command = Command.parse(spec, null, handler);
        byte[] name = command.nameBytes();
        int i = fold(name) & (SLOTS - 1);
        while (slots[i] != null) {
            if (slots[i].name.equals(command.name)) {
                throw new IllegalArgumentException("command " + command.name + " is defined twice");
            }
            i = (i + 1) & (SLOTS - 1);
        }
        slots[i] = command;
        names[i] = name;
        all.add(command);
        return command;
    }

    /** Adds a subcommand of the container {@code parent} (added before with a {@code null} handler). */
    Command addSub(String parent, String spec, Command.Handler handler) {
        Command container = byName(parent);
        if (container == null) {
            throw new IllegalArgumentException("no command " + parent + " to add subcommands to");
        }
        Command sub = Command.parse(spec, container, handler);
        if (container.subcommands.putIfAbsent(sub.name, sub) != null) {
            throw new IllegalArgumentException("subcommand " + sub.fullName + " is defined twice");
        }
        return sub;
    }

    List<Command> all() {
        return List.copyOf(all);
    }

    /** Every command and subcommand, for INFO commandstats. */
    List<Command> allWithSubcommands() {
        List<Command> out = new ArrayList<>();
        for (Command c : all) {
            out.add(c);
            out.addAll(c.subcommands.values());
        }
        return out;
    }

    /** The command named {@code name} (any case; {@code parent|sub} for a subcommand), or {@code null}. */
    Command byName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        int bar = lower.indexOf('|');
        String top = bar < 0 ? lower : lower.substring(0, bar);
        byte[] bytes = top.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Command c = find(MemorySegment.ofArray(bytes), 0, bytes.length);
        if (c == null || bar < 0) {
            return c;
        }
        return c.subcommands.get(lower.substring(bar + 1));
    }

    private static int fold(byte[] name) {
        int h = name.length;
        for (byte b : name) {
            h = h * 31 + (b | 0x20);
        }
        return h ^ (h >>> 9);
    }

    /** The command named by {@code s[offset, offset+length)}, in any case, or {@code null}. */
    Command find(MemorySegment s, long offset, int length) {
        if (length == 0 || length > 32) {
            return null;
        }
        int h = length;
        for (int k = 0; k < length; k++) {
            h = h * 31 + (s.get(BYTE, offset + k) | 0x20);
        }
        int i = (h ^ (h >>> 9)) & (SLOTS - 1);
        for (Command c; (c = slots[i]) != null; i = (i + 1) & (SLOTS - 1)) {
            if (matches(names[i], s, offset, length)) {
                return c;
            }
        }
        return null;
    }

    private static boolean matches(byte[] name, MemorySegment s, long offset, int length) {
        if (name.length != length) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            int b = s.get(BYTE, offset + k);
            if (b >= 'A' && b <= 'Z') {
                b += 32;
            }
            if (b != name[k]) {
                return false;
            }
        }
        return true;
    }
}
