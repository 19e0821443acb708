package flexos.redis;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The low level of RDB writing ({@link RdbFormat}): lengths, strings (integer-encoded when Redis would, see
 * {@link #canonicalLong}), little-endian numbers, and the running {@link Crc64} of everything written. Bytes are
 * staged in a small array and handed to a {@link Sink} in bulk, so encoding a key costs a few array stores, not a
 * call per byte.
 */
final class RdbEncoder {

    /** Where encoded bytes go, in order, in pieces of at most the staging size. */
    interface Sink {
        void accept(byte[] bytes, int offset, int length);
    }

    private static final int STAGING = 64 * 1024;

    private final Sink sink;
    private final byte[] staging = new byte[STAGING];
    private int staged;
    private long crc;
    private long written;

    RdbEncoder(Sink sink) {
        this.sink = sink;
    }

    /** The checksum of every byte written so far. */
    long crc() {
        return Crc64.update(crc, staging, 0, staged);
    }

    /** How many bytes were written so far. */
    long size() {
        return written + staged;
    }

    /** Hands the staged bytes to the sink. */
    void flush() {
        if (staged > 0) {
            crc = Crc64.update(crc, staging, 0, staged);
            sink.accept(staging, 0, staged);
            written += staged;
            staged = 0;
        }
    }

    private void room(int n) {
        if (staged + n > STAGING) {
            flush();
        }
    }

    void writeByte(int b) {
        room(1);
        staging[staged++] = (byte) b;
    }

    void writeBytes(byte[] bytes, int offset, int length) {
        if (length > STAGING / 2) {
            flush();
            crc = Crc64.update(crc, bytes, offset, length);
            sink.accept(bytes, offset, length);
            written += length;
            return;
        }
        room(length);
        System.arraycopy(bytes, offset, staging, staged, length);
        staged += length;
    }

    void writeBytes(byte[] bytes) {
        writeBytes(bytes, 0, bytes.length);
    }

    /** Copies {@code s[offset, offset + length)}, in staging-sized pieces. */
    void writeSegment(MemorySegment s, long offset, long length) {
        while (length > 0) {
            if (staged == STAGING) {
                flush();
            }
            int n = (int) Math.min(length, STAGING - staged);
            MemorySegment.copy(s, ValueLayout.JAVA_BYTE, offset, staging, staged, n);
            staged += n;
            offset += n;
            length -= n;
        }
    }

    void writeLongLE(long value) {
        room(8);
        for (int i = 0; i < 8; i++) {
            staging[staged++] = (byte) (value >>> (8 * i));
        }
    }

    void writeDoubleLE(double value) {
        writeLongLE(Double.doubleToRawLongBits(value));
    }

    void writeType(int type) {
        writeByte(type);
    }

    /** A length in the shortest of Redis's four forms. */
    void writeLength(long length) {
        room(9);
        if (length < (1 << 6)) {
            staging[staged++] = (byte) (length | (RdbFormat.LEN_6BIT << 6));
        } else if (length < (1 << 14)) {
            staging[staged++] = (byte) ((length >>> 8) | (RdbFormat.LEN_14BIT << 6));
            staging[staged++] = (byte) length;
        } else if (length <= 0xffffffffL) {
            staging[staged++] = (byte) RdbFormat.LEN_32BIT;
            for (int shift = 24; shift >= 0; shift -= 8) {
                staging[staged++] = (byte) (length >>> shift);
            }
        } else {
            staging[staged++] = (byte) RdbFormat.LEN_64BIT;
            for (int shift = 56; shift >= 0; shift -= 8) {
                staging[staged++] = (byte) (length >>> shift);
            }
        }
    }

    /**
     * A string, as Redis's {@code rdbSaveRawString}: a string of at most 11 bytes that is a canonical integer within
     * 32 bits becomes an integer encoding; anything else is its length and bytes. (Redis also LZF-compresses strings
     * over 20 bytes when {@code rdbcompression} is on; this writer does not compress, which every loader accepts.)
     */
    void writeString(MemorySegment s, long offset, long length) {
        if (length <= 11 && length > 0) {
            long value = canonicalLong(s, offset, (int) length);
            if (value != NOT_AN_INTEGER && writeIntegerEncoding(value)) {
                return;
            }
        }
        writeLength(length);
        writeSegment(s, offset, length);
    }

    void writeString(MemorySegment s) {
        writeString(s, 0, s.byteSize());
    }

    void writeString(byte[] bytes) {
        writeString(MemorySegment.ofArray(bytes));
    }

    /** A string of the raw bytes, never integer-encoded (a listpack or intset blob). */
    void writeBlob(byte[] bytes, int length) {
        writeLength(length);
        writeBytes(bytes, 0, length);
    }

    private boolean writeIntegerEncoding(long value) {
        int marker = RdbFormat.ENCVAL << 6;
        if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
            writeByte(marker | RdbFormat.ENC_INT8);
            writeByte((int) value);
        } else if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
            writeByte(marker | RdbFormat.ENC_INT16);
            writeByte((int) value);
            writeByte((int) (value >>> 8));
        } else if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
            writeByte(marker | RdbFormat.ENC_INT32);
            for (int i = 0; i < 4; i++) {
                writeByte((int) (value >>> (8 * i)));
            }
        } else {
            return false;
        }
        return true;
    }

    /** Returned by {@link #canonicalLong} for a string that is not one. */
    static final long NOT_AN_INTEGER = Long.MIN_VALUE;

    /**
     * The value of {@code s[offset, offset + length)} if it is the canonical decimal text of a 64-bit integer (what
     * Redis's {@code string2ll} accepts and {@code ll2string} gives back: no sign but '-', no leading zero, no
     * "-0"), else {@link #NOT_AN_INTEGER}. The text of {@link Long#MIN_VALUE} itself is reported as not an integer,
     * so it is written as the string it is, which every reader accepts.
     */
    static long canonicalLong(MemorySegment s, long offset, int length) {
        if (length == 0 || length > 20) {
            return NOT_AN_INTEGER;
        }
        int i = 0;
        boolean negative = s.get(ValueLayout.JAVA_BYTE, offset) == '-';
        if (negative) {
            i = 1;
            if (length == 1) {
                return NOT_AN_INTEGER;
            }
        }
        int first = s.get(ValueLayout.JAVA_BYTE, offset + i);
        if (first == '0') {
            return length == 1 ? 0 : NOT_AN_INTEGER;
        }
        long value = 0;
        for (; i < length; i++) {
            int digit = s.get(ValueLayout.JAVA_BYTE, offset + i) - '0';
            if (digit < 0 || digit > 9) {
                return NOT_AN_INTEGER;
            }
            // Accumulate negatively: the range of negative longs is one larger.
            if (value < (Long.MIN_VALUE + digit) / 10) {
                return NOT_AN_INTEGER;
            }
            value = value * 10 - digit;
        }
        if (!negative) {
            if (value == Long.MIN_VALUE) {
                return NOT_AN_INTEGER;
            }
            value = -value;
        }
        return value;
    }
}
