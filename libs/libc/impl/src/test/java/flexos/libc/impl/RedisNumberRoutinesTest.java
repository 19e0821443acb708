package flexos.libc.impl;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedisNumberRoutinesTest {

    private final RedisNumberRoutines numbers = new RedisNumberRoutines();

    /** The text placed at offset 3 of a larger segment, so offsets are exercised too. */
    private static MemorySegment text(String s) {
        byte[] bytes = ("xyz" + s + "!").getBytes(StandardCharsets.ISO_8859_1);
        return MemorySegment.ofArray(bytes);
    }

    private long strtoll(String s) {
        return numbers.strtoll(text(s), 3, s.length());
    }

    private double strtod(String s) {
        return numbers.strtod(text(s), 3, s.length());
    }

    private String dtoa(double d) {
        MemorySegment buffer = MemorySegment.ofArray(new byte[40]);
        int n = numbers.dtoa(d, buffer, 4);
        assertTrue(n <= 32, "dtoa wrote " + n + " bytes");
        return new String(buffer.asSlice(4, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII);
    }

    // ------------------------------------------------------------------ strtoll / lltoa

    @Provide
    Arbitrary<String> integerLikeText() {
        return Arbitraries.oneOf(
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.strings().withChars("-+ 0123456789").ofMaxLength(22),
                Arbitraries.longs().map(v -> "0" + v),
                Arbitraries.of("9223372036854775807", "9223372036854775808", "-9223372036854775808",
                        "-9223372036854775809", "18446744073709551616", "99999999999999999999"));
    }

    @Property(tries = 2000)
    void strtollAcceptsExactlyCanonicalDecimals(@ForAll("integerLikeText") String s) {
        Long reference;
        try {
            long parsed = Long.parseLong(s);
            reference = Long.toString(parsed).equals(s) ? parsed : null; // canonical: prints back identically
        } catch (NumberFormatException e) {
            reference = null;
        }
        if (reference == null) {
            assertThrows(NumberFormatException.class, () -> strtoll(s), () -> "\"" + s + "\" must be rejected");
        } else {
            assertEquals(reference, strtoll(s));
        }
    }

    @Property(tries = 2000)
    void lltoaPrintsWhatStrtollParses(@ForAll long value) {
        MemorySegment buffer = MemorySegment.ofArray(new byte[24]);
        int n = numbers.lltoa(value, buffer, 2);
        assertEquals(Long.toString(value), new String(buffer.asSlice(2, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                StandardCharsets.US_ASCII));
        assertEquals(value, numbers.strtoll(buffer, 2, n));
    }

    @Example
    void strtollRejectsRedisNonIntegers() {
        for (String s : List.of("-0", "+1", " 1", "1 ", "01", "", "-", "00", "1e3", "0x10", "9223372036854775808",
                "-9223372036854775809", "123456789012345678901")) {
            NumberFormatException e = assertThrows(NumberFormatException.class, () -> strtoll(s), s);
            assertTrue(e.getMessage().contains("\"" + s + "\""), e.getMessage());
        }
        assertEquals(0, strtoll("0"));
        assertEquals(Long.MIN_VALUE, strtoll("-9223372036854775808"));
        assertEquals(Long.MAX_VALUE, strtoll("9223372036854775807"));
        assertEquals(-7, strtoll("-7"));
    }

    @Example
    void lltoaRefusesAShortBufferBeforeWriting() {
        MemorySegment buffer = MemorySegment.ofArray(new byte[5]);
        assertThrows(IndexOutOfBoundsException.class, () -> numbers.lltoa(123456, buffer, 0));
        assertEquals(-1, buffer.mismatch(MemorySegment.ofArray(new byte[5])));
    }

    // ------------------------------------------------------------------ strtod

    @Example
    void strtodAcceptsWhatCStrtodAcceptsFully() {
        assertEquals(1.5, strtod("1.5"));
        assertEquals(Double.POSITIVE_INFINITY, strtod("inf"));
        assertEquals(Double.POSITIVE_INFINITY, strtod("+INF"));
        assertEquals(Double.NEGATIVE_INFINITY, strtod("-inf"));
        assertEquals(Double.NEGATIVE_INFINITY, strtod("-Infinity"));
        assertEquals(1e10, strtod("1e10"));
        assertEquals(1e10, strtod("1E+10"));
        assertEquals(0.5, strtod(".5"));
        assertEquals(5.0, strtod("5."));
        assertEquals(7.0, strtod("007"));
        assertEquals(8.0, strtod("0x1p3"));
        assertEquals(16.0, strtod("0x10"));
        assertEquals(1.5, strtod("0x1.8"));
        assertEquals(-0.0, strtod("-0"));
        assertEquals(Double.MIN_VALUE, strtod("4.9406564584124654e-324"));
        assertEquals(0.0, strtod("0e500"));
    }

    @Example
    void strtodRejectsNanSpacesGarbageAndRangeErrors() {
        for (String s : List.of("nan", "NaN", "-nan", " 1", "1 ", "", "+", "-", ".", "e5", "1e", "1e+", "--1", "+-1",
                "1f", "1d", "0x", "0xg", "1.5.2", "infinit", "infx", "1e400", "-1e400", "1e-400", "0x1p99999", "1,5")) {
            assertThrows(NumberFormatException.class, () -> strtod(s), () -> "\"" + s + "\" must be rejected");
        }
    }

    @Property(tries = 2000)
    void strtodReadsBackEveryFiniteDouble(@ForAll double d) {
        if (Double.isNaN(d)) {
            return;
        }
        assertEquals(d, strtod(Double.toString(d)));
        assertEquals(d, strtod(dtoa(d)), "%.17g identifies every double");
    }

    // ------------------------------------------------------------------ dtoa

    @Example
    void dtoaPrintsLikePrintfPercent17g() {
        // Expected strings produced by C-style "%.17g" formatting (Python's % operator, which follows C's rules).
        Object[][] cases = {
                {1.5, "1.5"}, {0.1, "0.10000000000000001"}, {3.0, "3"}, {1e20, "1e+20"},
                {1e-5, "1.0000000000000001e-05"}, {123456789012345678.0, "1.2345678901234568e+17"},
                {0.0001, "0.0001"}, {1e16, "10000000000000000"}, {1e17, "1e+17"},
                {9007199254740994.0, "9007199254740994"}, {1.7976931348623157e308, "1.7976931348623157e+308"},
                {Double.MIN_VALUE, "4.9406564584124654e-324"}, {100.5, "100.5"}, {3.14, "3.1400000000000001"},
                {1 / 3.0, "0.33333333333333331"}, {-2.5, "-2.5"},
                {2.2250738585072014e-308, "2.2250738585072014e-308"}, {9.900000000000001e-05, "9.9000000000000008e-05"},
                {123456.789, "123456.789"}, {-1e-10, "-1e-10"}, {0.30000000000000004, "0.30000000000000004"},
                {1000000000000000.5, "1000000000000000.5"}, {12345678901234567.0, "12345678901234568"},
                {0.000123, "0.00012300000000000001"}, {1e100, "1e+100"}, {0x1p60, "1.152921504606847e+18"},
                {-0x1p63, "-9.2233720368547758e+18"}, {7e-05, "6.9999999999999994e-05"},
                {1.0000000000000002, "1.0000000000000002"}, {0.0, "0"}, {-0.0, "-0"},
                {Double.POSITIVE_INFINITY, "inf"}, {Double.NEGATIVE_INFINITY, "-inf"}, {-42.0, "-42"},
        };
        for (Object[] c : cases) {
            assertEquals(c[1], dtoa((double) c[0]), () -> "dtoa(" + c[0] + ")");
        }
    }
}
