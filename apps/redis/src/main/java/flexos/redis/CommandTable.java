package flexos.redis;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a command by the bytes of its name in the query buffer, ignoring case, without making a String: a hash of
 * the case-folded bytes picks a slot of a small open-addressed table, then the bytes are compared.
 */
final class CommandTable {

    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    private static final int SLOTS = 512;

    private final Command[] slots = new Command[SLOTS];
    private final byte[][] names = new byte[SLOTS][];
    private final List<Command> all = new ArrayList<>();

    void add(Command command) {
        byte[] name = command.nameBytes();
        int i = fold(name) & (SLOTS - 1);
        while (slots[i] != null) {
            if (slots[i].name().equals(command.name())) {
                throw new IllegalArgumentException("command " + command.name() + " is defined twice");
            }
            i = (i + 1) & (SLOTS - 1);
        }
        slots[i] = command;
        names[i] = name;
        all.add(command);
    }

    void add(String name, int arity, Command.Handler handler) {
        add(new Command(name, arity, handler));
    }

    List<Command> all() {
        return List.copyOf(all);
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
