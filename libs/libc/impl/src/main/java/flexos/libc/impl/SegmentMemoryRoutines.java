package flexos.libc.impl;

import flexos.libc.api.MemoryRoutines;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * {@link MemoryRoutines} on the JDK's bulk segment operations, which are bounds-checked and vectorised.
 * {@link #memchr} scans eight bytes at a time.
 */
final class SegmentMemoryRoutines implements MemoryRoutines {

    /** Little-endian, so that the lowest-addressed byte of a word is its least significant byte. */
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long HIGHS = 0x8080_8080_8080_8080L;

    @Override
    public void memcpy(MemorySegment dst, long dstOffset, MemorySegment src, long srcOffset, long n) {
        MemorySegment.copy(src, srcOffset, dst, dstOffset, n);
    }

    @Override
    public void memmove(MemorySegment dst, long dstOffset, MemorySegment src, long srcOffset, long n) {
        // MemorySegment.copy is specified to behave as if through an intermediate buffer, so overlap is safe.
        MemorySegment.copy(src, srcOffset, dst, dstOffset, n);
    }

    @Override
    public void memset(MemorySegment dst, long offset, byte value, long n) {
        dst.asSlice(offset, n).fill(value);
    }

    @Override
    public int memcmp(MemorySegment a, long aOffset, long aLength, MemorySegment b, long bOffset, long bLength) {
        long at = MemorySegment.mismatch(a, aOffset, aOffset + aLength, b, bOffset, bOffset + bLength);
        if (at < 0) {
            return 0;
        }
        if (at == aLength || at == bLength) {
            return Long.compare(aLength, bLength);
        }
        return Integer.compare(a.get(ValueLayout.JAVA_BYTE, aOffset + at) & 0xff,
                b.get(ValueLayout.JAVA_BYTE, bOffset + at) & 0xff);
    }

    @Override
    public long memchr(MemorySegment s, long from, long to, byte value) {
        if (from < 0 || to > s.byteSize() || from > to) {
            throw new IndexOutOfBoundsException("memchr range [" + from + ", " + to + ") outside a segment of "
                    + s.byteSize() + " bytes");
        }
        long pattern = (value & 0xffL) * ONES;
        long i = from;
        for (; i + 8 <= to; i += 8) {
            long x = s.get(WORD, i) ^ pattern;
            // Marks every zero byte of x (a byte equal to value) with its high bit. A borrow can also mark a byte
            // above a true zero, never below one, so the lowest mark is exact.
            long found = (x - ONES) & ~x & HIGHS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (s.get(ValueLayout.JAVA_BYTE, i) == value) {
                return i;
            }
        }
        return -1;
    }
}
