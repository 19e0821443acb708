package flexos.core.mechanism.process;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A position in a slot's message area, and the primitive writes and reads of the message format. Writing past the
 * area throws {@link IndexOutOfBoundsException} (the area is a bounds-checked segment); callers turn that into a
 * clear error about the message size.
 */
final class Cursor {

    final MemorySegment area;
    long pos;

    Cursor(MemorySegment area, long pos) {
        this.area = area;
        this.pos = pos;
    }

    void putByte(int v) {
        area.set(ValueLayout.JAVA_BYTE, pos, (byte) v);
        pos += 1;
    }

    void putInt(int v) {
        area.set(ValueLayout.JAVA_INT_UNALIGNED, pos, v);
        pos += 4;
    }

    void putLong(long v) {
        area.set(ValueLayout.JAVA_LONG_UNALIGNED, pos, v);
        pos += 8;
    }

    void putString(String s) {
        int n = s.length();
        putInt(n);
        long at = pos;
        MemorySegment a = area;
        if (at + 2L * n > a.byteSize()) {
            throw new IndexOutOfBoundsException("string of " + n + " chars");
        }
        for (int i = 0; i < n; i++) {
            a.set(ValueLayout.JAVA_CHAR_UNALIGNED, at + 2L * i, s.charAt(i));
        }
        pos = at + 2L * n;
    }

    void putBytes(MemorySegment from, long size) {
        MemorySegment.copy(from, 0, area, pos, size);
        pos += size;
    }

    int getByte() {
        byte v = area.get(ValueLayout.JAVA_BYTE, pos);
        pos += 1;
        return v;
    }

    int getInt() {
        int v = area.get(ValueLayout.JAVA_INT_UNALIGNED, pos);
        pos += 4;
        return v;
    }

    long getLong() {
        long v = area.get(ValueLayout.JAVA_LONG_UNALIGNED, pos);
        pos += 8;
        return v;
    }

    String getString() {
        int n = getInt();
        char[] chars = new char[n];
        MemorySegment.copy(area, ValueLayout.JAVA_CHAR_UNALIGNED, pos, chars, 0, n);
        pos += 2L * n;
        return new String(chars);
    }
}
