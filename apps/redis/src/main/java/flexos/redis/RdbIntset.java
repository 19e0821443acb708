package flexos.redis;

import java.util.ArrayList;
import java.util.List;

/**
 * Redis's intset ({@code intset.c}), the blob of an RDB set of integers: a 4-byte little-endian element width
 * (2, 4 or 8), a 4-byte count, then the elements, sorted ascending, little-endian, all of that width.
 */
final class RdbIntset {

    private RdbIntset() {
    }

    /** The intset of {@code values}, which must be sorted ascending without duplicates. */
    static byte[] encode(long[] values) {
        int width = 2;
        for (long v : values) {
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                width = 8;
                break;
            }
            if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
                width = 4;
            }
        }
        byte[] blob = new byte[8 + values.length * width];
        put(blob, 0, width, 4);
        put(blob, 4, values.length, 4);
        for (int i = 0; i < values.length; i++) {
            put(blob, 8 + i * width, values[i], width);
        }
        return blob;
    }

    private static void put(byte[] b, int at, long v, int n) {
        for (int i = 0; i < n; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    /** The members of an intset blob as decimal text; checks width, count, size and order. */
    static List<byte[]> decode(byte[] blob) {
        RdbListpack.check(blob, 0, 8);
        long width = RdbListpack.littleEndian(blob, 0, 4);
        long count = RdbListpack.littleEndian(blob, 4, 4);
        if (width != 2 && width != 4 && width != 8) {
            throw new IllegalArgumentException("intset element width " + width);
        }
        if (8 + count * width != blob.length) {
            throw new IllegalArgumentException("intset of " + count + " elements of " + width + " bytes in "
                    + blob.length + " bytes");
        }
        List<byte[]> members = new ArrayList<>((int) count);
        long previous = 0;
        int unused = 64 - 8 * (int) width;
        for (int i = 0; i < count; i++) {
            long v = RdbListpack.littleEndian(blob, 8 + i * (int) width, (int) width) << unused >> unused;
            if (i > 0 && v <= previous) {
                throw new IllegalArgumentException("intset not sorted or with duplicates");
            }
            previous = v;
            members.add(RdbListpack.text(v));
        }
        return members;
    }
}
