package flexos.redis;


/**
 * The low level of RDB reading ({@link RdbFormat}): bytes through a buffer refilled from a {@link Source}, lengths,
 * strings in every encoding (integer, LZF, plain), little-endian numbers, and the running {@link Crc64} of every
 * byte consumed. Every length is checked before anything is allocated for it, against {@link #MAX_STRING} and, for
 * a blob in memory, against what is left, so a hostile file cannot make the loader allocate without bound.
 */
final class RdbDecoder {

    /** Where the bytes come from. */
    interface Source {
        /** Reads up to {@code length} bytes: the count, or -1 at the end. Throws {@link RdbFormatException} on error. */
        int read(byte[] buffer, int offset, int length);
    }

    /** Redis's {@code proto-max-bulk-len}: no string of a dataset is longer. */
    static final long MAX_STRING = 512L * 1024 * 1024;

    private final Source source;
    private final long knownSize;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private long consumed;
    private long crc;

    /** @param knownSize the total bytes the source holds, or -1 if unknown; lengths beyond it are refused early */
    RdbDecoder(Source source, long knownSize) {
        this.source = source;
        this.knownSize = knownSize;
    }

    /** A decoder over bytes in memory. */
    static RdbDecoder of(byte[] bytes, int offset, int length) {
        int[] at = {offset};
        int end = offset + length;
        return new RdbDecoder((b, o, n) -> {
            int count = Math.min(n, end - at[0]);
            if (count <= 0) {
                return -1;
            }
            System.arraycopy(bytes, at[0], b, o, count);
            at[0] += count;
            return count;
        }, length);
    }

    /** The checksum of every byte consumed so far. */
    long crc() {
        return crc;
    }

    long consumed() {
        return consumed;
    }

    /** Whether every byte of the source has been consumed. */
    boolean atEnd() {
        return position == limit && fill() == 0;
    }

    private int fill() {
        if (position < limit) {
            return limit - position;
        }
        position = 0;
        limit = 0;
        int n = source.read(buffer, 0, buffer.length);
        if (n > 0) {
            limit = n;
        }
        return limit;
    }

    private RdbFormatException truncated() {
        return new RdbFormatException("Short read: the file ends in the middle of a value (after " + consumed
                + " bytes)");
    }

    int readByte() {
        if (fill() == 0) {
            throw truncated();
        }
        int b = buffer[position] & 0xff;
        crc = Crc64.update(crc, buffer, position, 1);
        position++;
        consumed++;
        return b;
    }

    void readFully(byte[] into, int offset, int length) {
        while (length > 0) {
            if (fill() == 0) {
                throw truncated();
            }
            int n = Math.min(length, limit - position);
            System.arraycopy(buffer, position, into, offset, n);
            crc = Crc64.update(crc, buffer, position, n);
            position += n;
            consumed += n;
            offset += n;
            length -= n;
        }
    }

    /** Reads 8 bytes without adding them to the checksum: the checksum itself, at the end of a file. */
    long readChecksum() {
        long before = crc;
        long value = readLongLE();
        crc = before;
        return value;
    }

    long readLongLE() {
        byte[] b = new byte[8];
        readFully(b, 0, 8);
        return RdbListpack.littleEndian(b, 0, 8);
    }

    long readIntLE() {
        byte[] b = new byte[4];
        readFully(b, 0, 4);
        return RdbListpack.littleEndian(b, 0, 4);
    }

    double readDoubleLE() {
        return Double.longBitsToDouble(readLongLE());
    }

    /** A length, or -(encoding + 1) when the byte marks a special string encoding instead. */
    private long readLengthOrEncoding() {
        int first = readByte();
        int kind = first >>> 6;
        switch (kind) {
            case RdbFormat.LEN_6BIT:
                return first & 0x3f;
            case RdbFormat.LEN_14BIT:
                return ((first & 0x3f) << 8) | readByte();
            case RdbFormat.ENCVAL:
                return -(first & 0x3f) - 1;
            default:
                if (first == RdbFormat.LEN_32BIT) {
                    long v = 0;
                    for (int i = 0; i < 4; i++) {
                        v = (v << 8) | readByte();
                    }
                    return v;
                }
                if (first == RdbFormat.LEN_64BIT) {
                    long v = 0;
                    for (int i = 0; i < 8; i++) {
                        v = (v << 8) | readByte();
                    }
                    if (v < 0) {
                        throw new RdbFormatException("length " + Long.toUnsignedString(v) + " is out of range");
                    }
                    return v;
                }
                throw new RdbFormatException("unknown length encoding " + first);
        }
    }

    /** A length (a count of elements or bytes). */
    long readLength() {
        long length = readLengthOrEncoding();
        if (length < 0) {
            throw new RdbFormatException("a string encoding where a length was expected");
        }
        return length;
    }

    /** A count of elements, each at least one byte: checked against what the source can still hold. */
    int readCount() {
        long count = readLength();
        if (count > Integer.MAX_VALUE || knownSize >= 0 && count > knownSize - consumed) {
            throw new RdbFormatException("Short read: a count of " + count + " elements is more than the data holds");
        }
        return (int) count;
    }

    /** A string in any of its encodings, as its bytes (an integer as its decimal text). */
    byte[] readString() {
        long length = readLengthOrEncoding();
        if (length >= 0) {
            return readRaw(length);
        }
        int encoding = (int) (-length - 1);
        switch (encoding) {
            case RdbFormat.ENC_INT8:
                return RdbListpack.text((byte) readByte());
            case RdbFormat.ENC_INT16: {
                int v = readByte() | (readByte() << 8);
                return RdbListpack.text((short) v);
            }
            case RdbFormat.ENC_INT32: {
                return RdbListpack.text((int) readIntLE());
            }
            case RdbFormat.ENC_LZF: {
                long compressed = readLength();
                long expanded = readLength();
                if (expanded > MAX_STRING) {
                    throw new RdbFormatException("a compressed string of " + expanded + " bytes is too long");
                }
                byte[] in = readRaw(compressed);
                byte[] out = new byte[(int) expanded];
                try {
                    Lzf.decompress(in, 0, in.length, out);
                } catch (IllegalArgumentException e) {
                    throw new RdbFormatException("Invalid LZF compressed string: " + e.getMessage());
                }
                return out;
            }
            default:
                throw new RdbFormatException("unknown string encoding " + encoding);
        }
    }

    private byte[] readRaw(long length) {
        if (length > MAX_STRING || knownSize >= 0 && length > knownSize - consumed) {
            throw new RdbFormatException("Short read: a string of " + length + " bytes is more than the data holds");
        }
        byte[] bytes = new byte[(int) length];
        readFully(bytes, 0, bytes.length);
        return bytes;
    }

    /** A score of the old ZSET type: a length byte and ASCII text, or 253/254/255 for NaN/+inf/-inf. */
    double readOldDouble() {
        int length = readByte();
        switch (length) {
            case 253:
                return Double.NaN;
            case 254:
                return Double.POSITIVE_INFINITY;
            case 255:
                return Double.NEGATIVE_INFINITY;
            default:
                byte[] text = new byte[length];
                readFully(text, 0, length);
                return parseDouble(text);
        }
    }

    /** A double written as text by Redis ({@code %.17g}, "inf", "-inf", "nan"). */
    static double parseDouble(byte[] text) {
        String s = new String(text, java.nio.charset.StandardCharsets.US_ASCII).trim();
        switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "inf", "+inf", "infinity", "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            case "nan", "-nan":
                return Double.NaN;
            default:
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new RdbFormatException("score '" + s + "' is not a number");
                }
        }
    }
}
