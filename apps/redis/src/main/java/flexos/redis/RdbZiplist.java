package flexos.redis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reading Redis's older packed encodings, which RDB files before version 10 (Redis 6 and older) hold and Redis 7.0
 * still loads: the ziplist ({@code ziplist.c}: lists, hashes and sorted sets, and quicklist nodes of version 9) and
 * the zipmap (hashes of Redis 2.x). Every length is checked against the blob.
 */
final class RdbZiplist {

    private RdbZiplist() {
    }

    /**
     * The entries of a ziplist: a 4-byte size, a 4-byte offset of the last entry, a 2-byte count, entries of
     * (previous length: 1 byte, or 0xFE and 4 bytes), (encoding and data), and {@code 0xFF}.
     */
    static List<byte[]> decode(byte[] blob) {
        if (blob.length < 11) {
            throw new IllegalArgumentException("ziplist shorter than its header");
        }
        if (RdbListpack.littleEndian(blob, 0, 4) != blob.length) {
            throw new IllegalArgumentException("ziplist size does not match its blob");
        }
        List<byte[]> entries = new ArrayList<>();
        int p = 10;
        while (true) {
            RdbListpack.check(blob, p, 1);
            if ((blob[p] & 0xff) == 0xFF) {
                break;
            }
            p += (blob[p] & 0xff) < 0xFE ? 1 : 5;
            RdbListpack.check(blob, p, 1);
            int b = blob[p] & 0xff;
            switch (b >> 6) {
                case 0 -> {
                    int length = b & 0x3f;
                    RdbListpack.check(blob, p + 1, length);
                    entries.add(Arrays.copyOfRange(blob, p + 1, p + 1 + length));
                    p += 1 + length;
                }
                case 1 -> {
                    RdbListpack.check(blob, p, 2);
                    int length = ((b & 0x3f) << 8) | (blob[p + 1] & 0xff);
                    RdbListpack.check(blob, p + 2, length);
                    entries.add(Arrays.copyOfRange(blob, p + 2, p + 2 + length));
                    p += 2 + length;
                }
                case 2 -> {
                    RdbListpack.check(blob, p, 5);
                    long length = ((blob[p + 1] & 0xffL) << 24) | ((blob[p + 2] & 0xff) << 16)
                            | ((blob[p + 3] & 0xff) << 8) | (blob[p + 4] & 0xff);
                    if (length > blob.length) {
                        throw new IllegalArgumentException("ziplist string longer than the ziplist");
                    }
                    RdbListpack.check(blob, p + 5, (int) length);
                    entries.add(Arrays.copyOfRange(blob, p + 5, p + 5 + (int) length));
                    p += 5 + (int) length;
                }
                default -> {
                    int n;
                    switch (b) {
                        case 0xC0 -> n = 2;
                        case 0xD0 -> n = 4;
                        case 0xE0 -> n = 8;
                        case 0xF0 -> n = 3;
                        case 0xFE -> n = 1;
                        default -> {
                            if (b >= 0xF1 && b <= 0xFD) {
                                entries.add(RdbListpack.text((b & 0x0f) - 1));
                                p += 1;
                                continue;
                            }
                            throw new IllegalArgumentException("ziplist entry with unknown encoding " + b);
                        }
                    }
                    RdbListpack.check(blob, p + 1, n);
                    long v = RdbListpack.littleEndian(blob, p + 1, n);
                    int unused = 64 - 8 * n;
                    entries.add(RdbListpack.text(v << unused >> unused));
                    p += 1 + n;
                }
            }
        }
        return entries;
    }

    /**
     * The fields and values of a zipmap, alternating: a count byte, then (length, bytes) for a field and
     * (length, free byte count, bytes, free bytes) for its value, lengths being 1 byte or 0xFD and 4 bytes, and 0xFF.
     */
    static List<byte[]> decodeZipmap(byte[] blob) {
        List<byte[]> entries = new ArrayList<>();
        int p = 1;
        boolean value = false;
        while (true) {
            RdbListpack.check(blob, p, 1);
            int b = blob[p] & 0xff;
            if (b == 0xFF) {
                break;
            }
            long length;
            if (b < 0xFD) {
                length = b;
                p += 1;
            } else if (b == 0xFD) {
                RdbListpack.check(blob, p + 1, 4);
                length = RdbListpack.littleEndian(blob, p + 1, 4);
                p += 5;
            } else {
                throw new IllegalArgumentException("zipmap length byte " + b);
            }
            int free = 0;
            if (value) {
                RdbListpack.check(blob, p, 1);
                free = blob[p] & 0xff;
                p += 1;
            }
            if (length > blob.length) {
                throw new IllegalArgumentException("zipmap string longer than the zipmap");
            }
            RdbListpack.check(blob, p, (int) length + free);
            entries.add(Arrays.copyOfRange(blob, p, p + (int) length));
            p += (int) length + free;
            value = !value;
        }
        if (value) {
            throw new IllegalArgumentException("zipmap ends with a field without a value");
        }
        return entries;
    }
}
