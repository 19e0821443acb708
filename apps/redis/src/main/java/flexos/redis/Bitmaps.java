package flexos.redis;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;

/** SETBIT, GETBIT, BITCOUNT, BITPOS and BITOP over string values, bit 0 being the most significant of byte 0. */
final class Bitmaps {

    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    private static final CommandError BAD_OFFSET = new CommandError("ERR bit offset is not an integer or out of range");
    private static final CommandError BAD_BIT = new CommandError("ERR bit is not an integer or out of range");

    private final Keyspace ks;

    Bitmaps(Keyspace ks) {
        this.ks = ks;
    }

    private long bitOffset(Client c, int i) {
        long v;
        try {
            v = Long.parseLong(c.argString(i));
        } catch (NumberFormatException e) {
            throw BAD_OFFSET;
        }
        if (v < 0 || (v >> 3) >= RequestParser.MAX_BULK) {
            throw BAD_OFFSET;
        }
        return v;
    }

    private MemorySegment stringAt(Client c, int i) {
        Dict.Entry e = ks.lookup(c, i);
        if (e == null) {
            return null;
        }
        if (e.value instanceof MemorySegment s) {
            return s;
        }
        throw CommandError.WRONG_TYPE;
    }

    void setbit(Client c) {
        long offset = bitOffset(c, 2);
        String bitText = c.argString(3);
        if (!bitText.equals("0") && !bitText.equals("1")) {
            throw BAD_BIT;
        }
        int on = bitText.charAt(0) - '0';
        long hash = ks.hashArg(c, 1);
        Database db = ks.db(c);
        Dict.Entry e = db.lookup(c.query, c.argOff[1], c.argLen[1], hash);
        if (e != null && !(e.value instanceof MemorySegment)) {
            throw CommandError.WRONG_TYPE;
        }
        long byteIndex = offset >> 3;
        MemorySegment s = e == null ? null : (MemorySegment) e.value;
        if (s == null || s.byteSize() <= byteIndex) {
            long oldLen = s == null ? 0 : s.byteSize();
            MemorySegment grown = ks.blocks.allocate(byteIndex + 1);
            ks.blocks.memory().memset(grown, 0, (byte) 0, byteIndex + 1);
            if (s != null) {
                ks.blocks.copy(grown, 0, s, 0, oldLen);
            }
            if (e == null) {
                e = ks.add(c, 1, hash, grown);
            } else {
                db.replaceValue(e, grown);
            }
            s = grown;
        }
        int b = s.get(BYTE, byteIndex) & 0xff;
        int mask = 1 << (7 - (int) (offset & 7));
        int old = (b & mask) != 0 ? 1 : 0;
        b = on == 1 ? b | mask : b & ~mask;
        s.set(BYTE, byteIndex, (byte) b);
        ks.modified(c, 1);
        c.addInteger(old);
    }

    void getbit(Client c) {
        long offset = bitOffset(c, 2);
        MemorySegment s = stringAt(c, 1);
        long byteIndex = offset >> 3;
        if (s == null || byteIndex >= s.byteSize()) {
            c.addInteger(0);
            return;
        }
        int b = s.get(BYTE, byteIndex) & 0xff;
        c.addInteger((b >> (7 - (int) (offset & 7))) & 1);
    }

    /** The [first, last] byte or bit range of a BITCOUNT/BITPOS, after Redis's rules, or null when empty. */
    private static long[] range(long start, long end, long total) {
        if (start < 0) {
            start = total + start;
        }
        if (end < 0) {
            end = total + end;
        }
        if (start < 0) {
            start = 0;
        }
        if (end < 0) {
            end = 0;
        }
        if (end >= total) {
            end = total - 1;
        }
        if (start > end) {
            return null;
        }
        return new long[] {start, end};
    }

    private static boolean bitAt(MemorySegment s, long bit) {
        return ((s.get(BYTE, bit >> 3) >> (7 - (int) (bit & 7))) & 1) != 0;
    }

    void bitcount(Client c) {
        boolean isBit = false;
        long start = 0;
        long end = -1;
        if (c.argc == 5) {
            String unit = c.argString(4).toLowerCase(Locale.ROOT);
            if (unit.equals("bit")) {
                isBit = true;
            } else if (!unit.equals("byte")) {
                throw CommandError.SYNTAX;
            }
        }
        if (c.argc == 4 || c.argc == 5) {
            start = ks.argLong(c, 2);
            end = ks.argLong(c, 3);
        } else if (c.argc != 2) {
            throw CommandError.SYNTAX;
        }
        MemorySegment s = stringAt(c, 1);
        if (s == null) {
            c.addInteger(0);
            return;
        }
        long total = isBit ? s.byteSize() * 8 : s.byteSize();
        long[] r = range(start, end, total);
        if (r == null) {
            c.addInteger(0);
            return;
        }
        long count = 0;
        if (isBit) {
            for (long bit = r[0]; bit <= r[1]; bit++) {
                if (bitAt(s, bit)) {
                    count++;
                }
            }
        } else {
            for (long i = r[0]; i <= r[1]; i++) {
                count += Integer.bitCount(s.get(BYTE, i) & 0xff);
            }
        }
        c.addInteger(count);
    }

    void bitpos(Client c) {
        String bitText = c.argString(2);
        if (!bitText.equals("0") && !bitText.equals("1")) {
            throw new CommandError("ERR The bit argument must be 1 or 0.");
        }
        boolean want = bitText.equals("1");
        boolean isBit = false;
        boolean endGiven = false;
        long start = 0;
        long end = -1;
        if (c.argc > 6) {
            throw CommandError.SYNTAX;
        }
        if (c.argc == 6) {
            String unit = c.argString(5).toLowerCase(Locale.ROOT);
            if (unit.equals("bit")) {
                isBit = true;
            } else if (!unit.equals("byte")) {
                throw CommandError.SYNTAX;
            }
        }
        if (c.argc >= 4) {
            start = ks.argLong(c, 3);
        }
        if (c.argc >= 5) {
            end = ks.argLong(c, 4);
            endGiven = true;
        }
        MemorySegment s = stringAt(c, 1);
        if (s == null) {
            c.addInteger(want ? -1 : 0);
            return;
        }
        long total = isBit ? s.byteSize() * 8 : s.byteSize();
        long[] r = range(start, end, total);
        if (r == null) {
            c.addInteger(-1);
            return;
        }
        long firstBit = isBit ? r[0] : r[0] * 8;
        long lastBit = isBit ? r[1] : r[1] * 8 + 7;
        for (long bit = firstBit; bit <= lastBit; bit++) {
            if (bitAt(s, bit) == want) {
                c.addInteger(bit);
                return;
            }
        }
        // Looking for a clear bit without an end: the string is as if padded with zeros on the right.
        c.addInteger(!want && !endGiven ? lastBit + 1 : -1);
    }

    void bitop(Client c) {
        String op = c.argString(1).toLowerCase(Locale.ROOT);
        if (!op.equals("and") && !op.equals("or") && !op.equals("xor") && !op.equals("not")) {
            throw CommandError.SYNTAX;
        }
        if (op.equals("not") && c.argc != 4) {
            throw new CommandError("ERR BITOP NOT must be called with a single source key.");
        }
        int sources = c.argc - 3;
        byte[][] values = new byte[sources][];
        int maxLen = 0;
        for (int k = 0; k < sources; k++) {
            MemorySegment s = stringAt(c, 3 + k);
            values[k] = s == null ? new byte[0] : Values.bytes(s);
            maxLen = Math.max(maxLen, values[k].length);
        }
        byte[] out = new byte[maxLen];
        for (int i = 0; i < maxLen; i++) {
            int acc = i < values[0].length ? values[0][i] & 0xff : 0;
            if (op.equals("not")) {
                acc = ~acc & 0xff;
            }
            for (int k = 1; k < sources; k++) {
                int v = i < values[k].length ? values[k][i] & 0xff : 0;
                acc = switch (op) {
                    case "and" -> acc & v;
                    case "or" -> acc | v;
                    default -> acc ^ v;
                };
            }
            out[i] = (byte) acc;
        }
        Database db = ks.db(c);
        Dict.Entry e = ks.lookup(c, 2);
        if (maxLen == 0) {
            if (e != null) {
                db.delete(e);
                ks.modified(c, 2);
            }
            c.addInteger(0);
            return;
        }
        MemorySegment value = ks.blocks.copyOf(MemorySegment.ofArray(out), 0, out.length);
        if (e == null) {
            ks.add(c, 2, ks.hashArg(c, 2), value);
        } else {
            db.replaceValue(e, value);
            db.persist(e);
        }
        ks.modified(c, 2);
        c.addInteger(maxLen);
    }
}
