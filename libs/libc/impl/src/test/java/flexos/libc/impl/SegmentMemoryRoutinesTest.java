package flexos.libc.impl;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SegmentMemoryRoutinesTest {

    private final SegmentMemoryRoutines mem = new SegmentMemoryRoutines();

    @Property(tries = 1000)
    void memchrFindsTheFirstOccurrence(@ForAll @Size(max = 100) byte[] bytes, @ForAll byte value,
                                       @ForAll @IntRange(max = 100) int a, @ForAll @IntRange(max = 100) int b) {
        int from = Math.min(Math.min(a, b), bytes.length);
        int to = Math.min(Math.max(a, b), bytes.length);
        if (bytes.length > 0 && a % 3 == 0) {
            bytes[(from + to) / 2 % bytes.length] = value; // make hits common
        }
        long expected = -1;
        for (int i = from; i < to; i++) {
            if (bytes[i] == value) {
                expected = i;
                break;
            }
        }
        assertEquals(expected, mem.memchr(MemorySegment.ofArray(bytes), from, to, value));
    }

    @Test
    void memchrFindsHighBytesAndZeroes() {
        byte[] bytes = new byte[40];
        Arrays.fill(bytes, (byte) 0x7f);
        bytes[13] = (byte) 0x80;
        bytes[29] = 0;
        MemorySegment s = MemorySegment.ofArray(bytes);
        assertEquals(13, mem.memchr(s, 0, 40, (byte) 0x80));
        assertEquals(29, mem.memchr(s, 0, 40, (byte) 0));
        assertEquals(-1, mem.memchr(s, 14, 29, (byte) 0x80));
        assertThrows(IndexOutOfBoundsException.class, () -> mem.memchr(s, 0, 41, (byte) 0));
    }

    @Property(tries = 1000)
    void memcmpOrdersLikeUnsignedLexicographicComparison(@ForAll @Size(max = 20) byte[] a,
                                                         @ForAll @Size(max = 20) byte[] b) {
        if (a.length > 3 && b.length > 3) {
            System.arraycopy(a, 0, b, 0, 3); // share prefixes often
        }
        MemorySegment sa = MemorySegment.ofArray(concat(new byte[]{9}, a));
        MemorySegment sb = MemorySegment.ofArray(b);
        assertEquals(Integer.signum(Arrays.compareUnsigned(a, b)),
                Integer.signum(mem.memcmp(sa, 1, a.length, sb, 0, b.length)));
    }

    @Test
    void memmoveHandlesOverlapAndMemsetFills() {
        byte[] bytes = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        MemorySegment s = MemorySegment.ofArray(bytes);
        mem.memmove(s, 2, s, 0, 6);
        assertArrayEquals(new byte[]{0, 1, 0, 1, 2, 3, 4, 5, 8, 9}, bytes);
        mem.memmove(s, 0, s, 3, 5);
        assertArrayEquals(new byte[]{1, 2, 3, 4, 5, 3, 4, 5, 8, 9}, bytes);
        mem.memset(s, 8, (byte) 'x', 2);
        assertEquals('x', s.get(ValueLayout.JAVA_BYTE, 9));
        byte[] target = new byte[4];
        mem.memcpy(MemorySegment.ofArray(target), 1, s, 0, 3);
        assertArrayEquals(new byte[]{0, 1, 2, 3}, target);
        assertThrows(IndexOutOfBoundsException.class, () -> mem.memcpy(MemorySegment.ofArray(target), 2, s, 0, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> mem.memset(s, 9, (byte) 0, 2));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
