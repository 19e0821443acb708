package flexos.core.mechanism.process;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A position in a message, and the primitive writes and reads of the message format.
 *
 * <p>Writes: past the end of a slot's area they throw {@link IndexOutOfBoundsException} (the area is a
 * bounds-checked segment), which tells the writer that the message does not fit the slot and must cross in chunks;
 * a {@linkplain #staging staging} cursor instead grows its private buffer, up to its limit.
 *
 * <p>Reads never trust the bytes: every read first checks that the bytes lie before {@link #limit}, every count is
 * checked against the caller's bound and against the bytes left, and a violation throws {@link ProtocolViolation}
 * before anything is allocated. The other process may change the bytes while they are read; each field is read once.
 */
final class Cursor {

    MemorySegment area;
    long pos;
    /** Reads stop here: the end of the area, or of the message received in chunks. */
    long limit;
    /** The private memory of a staging cursor or of a message received in chunks; null for a slot's cursor. */
    private Arena owner;
    private final long maxBytes;

    Cursor(MemorySegment area, long pos) {
        this.area = area;
        this.pos = pos;
        this.limit = area.byteSize();
        this.maxBytes = area.byteSize();
    }

    private Cursor(Arena owner, MemorySegment area, long maxBytes) {
        this.owner = owner;
        this.area = area;
        this.limit = area.byteSize();
        this.maxBytes = maxBytes;
    }

    /** A cursor over {@code bytes} of fresh private memory, for a message received in chunks. */
    static Cursor received(long bytes) {
        Arena arena = Arena.ofShared();
        return new Cursor(arena, arena.allocate(Math.max(8, bytes), 64).asSlice(0, bytes), bytes);
    }

    /** A cursor that writes into private memory, growing it up to {@code maxBytes}, for a message too large for a slot. */
    static Cursor staging(long initialBytes, long maxBytes) {
        Arena arena = Arena.ofShared();
        long size = Math.min(initialBytes, maxBytes);
        return new Cursor(arena, arena.allocate(size, 64), maxBytes);
    }

    /** Whether this cursor's memory is its own (a staged or received message), not a slot's. */
    boolean isPrivate() {
        return owner != null;
    }

    /** Frees a staging or received cursor's memory; its slices are invalid afterwards. Nothing for a slot's cursor. */
    void release() {
        if (owner != null) {
            owner.close();
            owner = null;
        }
    }

    /** Makes room for {@code n} more bytes: grows a staging cursor; for a slot's cursor, throws if they do not fit. */
    void ensure(long n) {
        long end = pos + n;
        if (end <= area.byteSize()) {
            return;
        }
        if (owner == null || end > maxBytes) {
            throw new IndexOutOfBoundsException("message of " + end + " bytes does not fit " + area.byteSize());
        }
        long size = Math.min(maxBytes, Math.max(end, 2 * area.byteSize()));
        Arena bigger = Arena.ofShared();
        MemorySegment grown = bigger.allocate(size, 64);
        MemorySegment.copy(area, 0, grown, 0, pos);
        owner.close();
        owner = bigger;
        area = grown;
        limit = size;
    }

    void putByte(int v) {
        ensure(1);
        area.set(ValueLayout.JAVA_BYTE, pos, (byte) v);
        pos += 1;
    }

    void putInt(int v) {
        ensure(4);
        area.set(ValueLayout.JAVA_INT_UNALIGNED, pos, v);
        pos += 4;
    }

    void putLong(long v) {
        ensure(8);
        area.set(ValueLayout.JAVA_LONG_UNALIGNED, pos, v);
        pos += 8;
    }

    void putString(String s) {
        int n = s.length();
        putInt(n);
        ensure(2L * n);
        long at = pos;
        MemorySegment a = area;
        for (int i = 0; i < n; i++) {
            a.set(ValueLayout.JAVA_CHAR_UNALIGNED, at + 2L * i, s.charAt(i));
        }
        pos = at + 2L * n;
    }

    void putBytes(MemorySegment from, long offset, long size) {
        ensure(size);
        MemorySegment.copy(from, offset, area, pos, size);
        pos += size;
    }

    // ---------------------------------------------------------------- checked reads

    /** Checks that {@code n} bytes (n from the message, so possibly negative) lie before the limit. */
    void need(long n) {
        if (n < 0 || n > limit - pos || pos < 0) {
            throw new ProtocolViolation("a field of " + n + " bytes at " + pos + " runs past the message's "
                    + limit + " bytes");
        }
    }

    int getByte() {
        need(1);
        byte v = area.get(ValueLayout.JAVA_BYTE, pos);
        pos += 1;
        return v;
    }

    int getInt() {
        need(4);
        int v = area.get(ValueLayout.JAVA_INT_UNALIGNED, pos);
        pos += 4;
        return v;
    }

    long getLong() {
        need(8);
        long v = area.get(ValueLayout.JAVA_LONG_UNALIGNED, pos);
        pos += 8;
        return v;
    }

    /** A count in {@code [0, max]} whose elements, of at least {@code minElementBytes} each, lie before the limit. */
    int getCount(long max, long minElementBytes, String what) {
        int n = getInt();
        if (n < 0 || n > max) {
            throw new ProtocolViolation(what + " of " + n + " is outside [0, " + max + "]");
        }
        need(n * minElementBytes);
        return n;
    }

    /** A length in bytes in {@code [0, max]} that lies before the limit. */
    long getSize(long max, String what) {
        long n = getLong();
        if (n < 0 || n > max) {
            throw new ProtocolViolation(what + " of " + n + " bytes is outside [0, " + max + "]");
        }
        need(n);
        return n;
    }

    String getString(int maxChars) {
        int n = getCount(maxChars, 2, "a string");
        char[] chars = new char[n];
        MemorySegment.copy(area, ValueLayout.JAVA_CHAR_UNALIGNED, pos, chars, 0, n);
        pos += 2L * n;
        return new String(chars);
    }
}
