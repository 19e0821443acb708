package flexos.redis;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Redis's listpack ({@code listpack.c}), the blob inside RDB values of type list (quicklist nodes), hash, sorted set
 * and, from 7.2, set: a 4-byte little-endian total size, a 2-byte element count (65535: count them), the entries,
 * and {@code 0xFF}. An entry is an encoding byte (a 7-bit unsigned integer, a 13/16/24/32/64-bit signed integer, or
 * a string of 6, 12 or 32-bit length), its data, then its own length again ("backlen", 1 to 5 bytes, read backwards)
 * so the list can be walked from the end.
 *
 * <p>{@link Builder} writes what Redis's {@code lpAppend} writes: a canonical integer becomes the smallest integer
 * encoding, anything else a string. {@link #decode} reads every entry as its bytes (integers as their decimal
 * text), checking every length against the blob.
 */
final class RdbListpack {

    private static final int HEADER = 6;
    private static final int END = 0xFF;

    private RdbListpack() {
    }

    /** A listpack being built, entry by entry. */
    static final class Builder {
        private byte[] bytes = new byte[256];
        private int size = HEADER;
        private int count;

        int count() {
            return count;
        }

        /** The size the listpack would have now, terminator included. */
        int bytes() {
            return size + 1;
        }

        void add(MemorySegment s, long offset, int length) {
            long value = RdbEncoder.canonicalLong(s, offset, length);
            if (value != RdbEncoder.NOT_AN_INTEGER) {
                addInteger(value);
            } else {
                addString(s, offset, length);
            }
        }

        void add(MemorySegment s) {
            add(s, 0, (int) s.byteSize());
        }

        void add(byte[] text) {
            add(MemorySegment.ofArray(text));
        }

        private void addInteger(long v) {
            int start = size;
            if (v >= 0 && v <= 127) {
                put(v);
            } else if (v >= -4096 && v <= 4095) {
                long u = v & 0x1fff;
                put(0xC0 | (u >>> 8));
                put(u);
            } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                put(0xF1);
                putLE(v, 2);
            } else if (v >= -(1 << 23) && v < (1 << 23)) {
                put(0xF2);
                putLE(v, 3);
            } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                put(0xF3);
                putLE(v, 4);
            } else {
                put(0xF4);
                putLE(v, 8);
            }
            backlen(size - start);
        }

        private void addString(MemorySegment s, long offset, int length) {
            int start = size;
            if (length < 64) {
                put(0x80 | length);
            } else if (length < 4096) {
                put(0xE0 | (length >>> 8));
                put(length);
            } else {
                put(0xF0);
                putLE(length, 4);
            }
            ensure(length);
            MemorySegment.copy(s, java.lang.foreign.ValueLayout.JAVA_BYTE, offset, bytes, size, length);
            size += length;
            backlen(size - start);
        }

        private void backlen(int length) {
            if (length <= 127) {
                put(length);
            } else if (length < 16383) {
                put(length >>> 7);
                put((length & 127) | 128);
            } else if (length < 2097151) {
                put(length >>> 14);
                put(((length >>> 7) & 127) | 128);
                put((length & 127) | 128);
            } else if (length < 268435455) {
                put(length >>> 21);
                put(((length >>> 14) & 127) | 128);
                put(((length >>> 7) & 127) | 128);
                put((length & 127) | 128);
            } else {
                put(length >>> 28);
                put(((length >>> 21) & 127) | 128);
                put(((length >>> 14) & 127) | 128);
                put(((length >>> 7) & 127) | 128);
                put((length & 127) | 128);
            }
            count++;
        }

        private void ensure(int n) {
            if (size + n + 1 > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(size + n + 1, bytes.length * 2));
            }
        }

        private void put(long b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        private void putLE(long v, int n) {
            for (int i = 0; i < n; i++) {
                put(v >>> (8 * i));
            }
        }

        /** Finishes the listpack: writes its header and terminator; returns the array, valid up to {@link #bytes()}. */
        byte[] finish() {
            ensure(1);
            bytes[size] = (byte) END;
            int total = size + 1;
            for (int i = 0; i < 4; i++) {
                bytes[i] = (byte) (total >>> (8 * i));
            }
            int shown = Math.min(count, 65535);
            bytes[4] = (byte) shown;
            bytes[5] = (byte) (shown >>> 8);
            return bytes;
        }

        /** Empties the builder for the next listpack. */
        void reset() {
            size = HEADER;
            count = 0;
        }
    }

    /**
     * The entries of a listpack blob, integers as their decimal text.
     *
     * @throws IllegalArgumentException if the blob is not a well-formed listpack
     */
    static List<byte[]> decode(byte[] blob) {
        if (blob.length < HEADER + 1) {
            throw new IllegalArgumentException("listpack shorter than its header");
        }
        long total = littleEndian(blob, 0, 4);
        if (total != blob.length) {
            throw new IllegalArgumentException("listpack says " + total + " bytes, has " + blob.length);
        }
        int declared = (int) littleEndian(blob, 4, 2);
        List<byte[]> entries = new ArrayList<>();
        int p = HEADER;
        while (true) {
            check(blob, p, 1);
            int b = blob[p] & 0xff;
            if (b == END) {
                break;
            }
            int start = p;
            if ((b & 0x80) == 0) {
                entries.add(text(b));
                p += 1;
            } else if ((b & 0xC0) == 0x80) {
                int length = b & 0x3f;
                check(blob, p + 1, length);
                entries.add(Arrays.copyOfRange(blob, p + 1, p + 1 + length));
                p += 1 + length;
            } else if ((b & 0xE0) == 0xC0) {
                check(blob, p, 2);
                long v = ((b & 0x1f) << 8) | (blob[p + 1] & 0xff);
                entries.add(text(v >= 4096 ? v - 8192 : v));
                p += 2;
            } else if ((b & 0xF0) == 0xE0) {
                check(blob, p, 2);
                int length = ((b & 0x0f) << 8) | (blob[p + 1] & 0xff);
                check(blob, p + 2, length);
                entries.add(Arrays.copyOfRange(blob, p + 2, p + 2 + length));
                p += 2 + length;
            } else if (b == 0xF0) {
                check(blob, p + 1, 4);
                long length = littleEndian(blob, p + 1, 4);
                if (length > blob.length) {
                    throw new IllegalArgumentException("listpack string longer than the listpack");
                }
                check(blob, p + 5, (int) length);
                entries.add(Arrays.copyOfRange(blob, p + 5, p + 5 + (int) length));
                p += 5 + (int) length;
            } else if (b >= 0xF1 && b <= 0xF4) {
                int n = switch (b) {
                    case 0xF1 -> 2;
                    case 0xF2 -> 3;
                    case 0xF3 -> 4;
                    default -> 8;
                };
                check(blob, p + 1, n);
                long v = littleEndian(blob, p + 1, n);
                int unused = 64 - 8 * n;
                entries.add(text(v << unused >> unused));
                p += 1 + n;
            } else {
                throw new IllegalArgumentException("listpack entry with unknown encoding " + b);
            }
            p += backlenSize(p - start);
        }
        if (p != blob.length - 1) {
            throw new IllegalArgumentException("listpack ends before its last byte");
        }
        if (declared != 65535 && declared != entries.size()) {
            throw new IllegalArgumentException("listpack says " + declared + " entries, has " + entries.size());
        }
        return entries;
    }

    private static int backlenSize(int length) {
        if (length <= 127) {
            return 1;
        } else if (length < 16383) {
            return 2;
        } else if (length < 2097151) {
            return 3;
        } else if (length < 268435455) {
            return 4;
        }
        return 5;
    }

    static void check(byte[] blob, int at, int length) {
        if (at < 0 || length < 0 || at > blob.length - length) {
            throw new IllegalArgumentException("packed value truncated: needs bytes " + at + ".." + (at + length)
                    + " of " + blob.length);
        }
    }

    static long littleEndian(byte[] b, int at, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[at + i] & 0xff);
        }
        return v;
    }

    static byte[] text(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }
}
