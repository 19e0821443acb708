package flexos.redis;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The RDB building blocks against known values: Redis's CRC-64 vector, LZF, listpack, intset, ziplist, lengths. */
class RdbCodecTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void crc64IsRedisJonesPolynomialCrc() {
        byte[] vector = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0xe9c6d914c4b8d9caL, Crc64.update(0, vector, 0, vector.length));
        assertEquals(Crc64.update(0, vector, 0, vector.length),
                Crc64.update(Crc64.update(0, vector, 0, 4), MemorySegment.ofArray(vector), 4, 5),
                "continuing over a segment gives the same checksum");
    }

    @Test
    void lzfExpandsWhatRedisCompressedAndRefusesMalformedInput() {
        // DUMP of SET lzf ("abcabcabc" x 20) from redis-server 7.0.15: type 0, 0xc3 = LZF, 11 compressed bytes, 180 long.
        byte[] dump = hex("00c30b40b40361626361e0a5020162630a002b5b6bac6c26c36d");
        byte[] compressed = java.util.Arrays.copyOfRange(dump, 5, 5 + 11);
        byte[] out = new byte[180];
        Lzf.decompress(compressed, 0, compressed.length, out);
        assertEquals("abcabcabc".repeat(20), text(out));
        assertThrows(IllegalArgumentException.class, () -> Lzf.decompress(compressed, 0, compressed.length, new byte[179]));
        assertThrows(IllegalArgumentException.class, () -> Lzf.decompress(new byte[] {(byte) 0xe0, 0}, 0, 2, new byte[9]),
                "a back reference before the start of the output");
        assertThrows(IllegalArgumentException.class, () -> Lzf.decompress(new byte[] {5, 'a'}, 0, 2, new byte[6]),
                "a literal run past the input");
    }

    @Test
    void listpackRoundTripsStringsAndEveryIntegerWidthAsRedisEncodesThem() {
        List<String> values = List.of("a", "", "0", "127", "128", "-1", "-4096", "4095", "4096", "-32768", "32767",
                "8388607", "-8388608", "2147483647", "-2147483648", "9223372036854775807", "007", "-0", "1.5",
                "x".repeat(63), "y".repeat(64), "z".repeat(4095), "w".repeat(4096), "-9223372036854775808");
        RdbListpack.Builder builder = new RdbListpack.Builder();
        values.forEach(v -> builder.add(v.getBytes(StandardCharsets.ISO_8859_1)));
        byte[] blob = java.util.Arrays.copyOf(builder.finish(), builder.bytes());
        List<String> decoded = RdbListpack.decode(blob).stream().map(RdbCodecTest::text).toList();
        assertEquals(values, decoded);
        // Redis's own listpack (RPUSH list a b 1 2 300 -5 70000, one quicklist node) decodes to its elements.
        byte[] dump = hex("1201021c1c000000070081610281620201010201c12c02dffb02f270110104ff0a00de0ee66e09ff6fca");
        byte[] node = java.util.Arrays.copyOfRange(dump, 4, 4 + 28);
        assertEquals(List.of("a", "b", "1", "2", "300", "-5", "70000"), RdbListpack.decode(node).stream().map(RdbCodecTest::text).toList());
        RdbListpack.Builder same = new RdbListpack.Builder();
        List.of("a", "b", "1", "2", "300", "-5", "70000").forEach(v -> same.add(v.getBytes(StandardCharsets.US_ASCII)));
        assertArrayEquals(node, java.util.Arrays.copyOf(same.finish(), same.bytes()), "byte for byte what Redis writes");
    }

    @Test
    void malformedPackedBlobsAreRefusedNotOverread() {
        byte[] wrongSize = hex("0c0000000000ff");
        assertThrows(IllegalArgumentException.class, () -> RdbListpack.decode(wrongSize), "the header's size is wrong");
        byte[] truncatedString = hex("0b00000001008f61ff00ff");
        assertThrows(IllegalArgumentException.class, () -> RdbListpack.decode(truncatedString));
        assertThrows(IllegalArgumentException.class, () -> RdbIntset.decode(hex("0200000005000000")));
        assertThrows(IllegalArgumentException.class, () -> RdbIntset.decode(hex("02000000020000000200" + "0100")),
                "an intset out of order");
        assertThrows(IllegalArgumentException.class, () -> RdbZiplist.decode(hex("0d00000000000000010000" + "05ff")),
                "a ziplist string longer than the ziplist");
    }

    @Test
    void intsetRoundTripsAndMatchesRedis() {
        // SADD ints 3 1 2 -7 from redis-server 7.0.15: a 16-bit intset.
        byte[] dump = hex("0b100200000004000000f9ff0100020003000a003bfa4a3923b1fa84");
        byte[] blob = java.util.Arrays.copyOfRange(dump, 2, 2 + 16);
        assertEquals(List.of("-7", "1", "2", "3"), RdbIntset.decode(blob).stream().map(RdbCodecTest::text).toList());
        assertArrayEquals(blob, RdbIntset.encode(new long[] {-7, 1, 2, 3}));
        byte[] wide = RdbIntset.encode(new long[] {-1L << 40, 5});
        assertEquals(List.of(Long.toString(-1L << 40), "5"), RdbIntset.decode(wide).stream().map(RdbCodecTest::text).toList());
    }

    @Test
    void aZiplistOfRedis6DecodesEveryEncoding() {
        // zlbytes, zltail, zllen=4; entries: "ab" (prevlen 0), int16 300, 4-bit immediate 5, int8 -3.
        byte[] zl = hex("18000000" + "13000000" + "0400" + "0002" + "6162" + "04c0" + "2c01" + "04f6" + "02fe" + "fd" + "ff");
        assertEquals(List.of("ab", "300", "5", "-3"), RdbZiplist.decode(zl).stream().map(RdbCodecTest::text).toList());
    }

    @Test
    void lengthsAndStringsUseRedisEncodings() {
        byte[][] out = new byte[1][];
        RdbEncoder encoder = new RdbEncoder((b, o, l) -> out[0] = java.util.Arrays.copyOfRange(b, o, o + l));
        encoder.writeLength(63);
        encoder.writeLength(64);
        encoder.writeLength(16384);
        encoder.writeString("12345".getBytes(StandardCharsets.US_ASCII));
        encoder.writeString("-1".getBytes(StandardCharsets.US_ASCII));
        encoder.writeString("0123".getBytes(StandardCharsets.US_ASCII));
        encoder.writeString("99999999999".getBytes(StandardCharsets.US_ASCII));
        encoder.flush();
        assertEquals("3f" + "4040" + "8000004000" + "c13930" + "c0ff" + "0430313233" + "0b3939393939393939393939",
                HexFormat.of().formatHex(out[0]));
        RdbDecoder decoder = RdbDecoder.of(out[0], 0, out[0].length);
        assertEquals(63, decoder.readLength());
        assertEquals(64, decoder.readLength());
        assertEquals(16384, decoder.readLength());
        assertEquals("12345", text(decoder.readString()));
        assertEquals("-1", text(decoder.readString()));
        assertEquals("0123", text(decoder.readString()));
        assertEquals("99999999999", text(decoder.readString()));
        assertTrue(decoder.atEnd());
    }

    @Test
    void aStringLongerThanTheDataIsRefusedBeforeAllocating() {
        byte[] huge = hex("8100000000ffffffff");
        assertThrows(RdbFormatException.class, () -> RdbDecoder.of(huge, 0, huge.length).readString());
        byte[] count = hex("8000ffffff");
        assertThrows(RdbFormatException.class, () -> RdbDecoder.of(count, 0, count.length).readCount());
    }
}
