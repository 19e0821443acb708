package flexos.libc.impl;

import flexos.libc.api.NumberRoutines;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Number parsing and printing with Redis's rules. {@link #strtoll} is Redis's {@code string2ll}: canonical decimal
 * only, so {@code "-0"}, {@code "+1"}, {@code " 1"}, {@code "01"}, {@code ""} and anything out of range are not
 * integers. {@link #strtod} is C's {@code strtod} as Redis's {@code string2d}/{@code string2ld} use it: leading
 * space, trailing garbage, NaN, overflow to infinity and underflow to zero are errors; {@code inf} and
 * {@code infinity} in any case, with a sign, are accepted, as are hexadecimal floats. {@link #dtoa} prints as
 * Redis 7.0 replies print doubles: {@code inf}/{@code -inf}, otherwise {@code "%.17g"}.
 */
final class RedisNumberRoutines implements NumberRoutines {

    /** Redis's LONG_STR_SIZE: no canonical 64-bit decimal is this long. */
    private static final long LONG_STR_SIZE = 21;
    /** Redis's MAX_LONG_DOUBLE_CHARS: string2ld's buffer. */
    private static final long MAX_DOUBLE_CHARS = 5 * 1024;
    /** Integers below this are exact doubles, and {@code %.17g} prints them as plain integers. */
    private static final double EXACT_INTEGERS = 0x1p53;

    @Override
    public long strtoll(MemorySegment s, long offset, long length) {
        if (length <= 0 || length >= LONG_STR_SIZE) {
            throw notInteger(s, offset, length);
        }
        long i = offset;
        long end = offset + length;
        boolean negative = s.get(ValueLayout.JAVA_BYTE, i) == '-';
        if (negative) {
            i++;
        }
        if (i == end) {
            throw notInteger(s, offset, length);
        }
        int first = s.get(ValueLayout.JAVA_BYTE, i) - '0';
        if (first == 0 && length == 1) {
            return 0;
        }
        if (first < 1 || first > 9) {
            throw notInteger(s, offset, length);
        }
        // Accumulate negatively: the negative range is one larger, so Long.MIN_VALUE parses without overflow.
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long value = -first;
        for (i++; i < end; i++) {
            int digit = s.get(ValueLayout.JAVA_BYTE, i) - '0';
            if (digit < 0 || digit > 9 || value < limit / 10) {
                throw notInteger(s, offset, length);
            }
            value *= 10;
            if (value < limit + digit) {
                throw notInteger(s, offset, length);
            }
            value -= digit;
        }
        return negative ? value : -value;
    }

    @Override
    public int lltoa(long value, MemorySegment dst, long offset) {
        // Work with the value made negative, so Long.MIN_VALUE needs no special case.
        long negative = value < 0 ? value : -value;
        int digits = 1;
        for (long v = negative; v <= -10; v /= 10) {
            digits++;
        }
        int length = digits + (value < 0 ? 1 : 0);
        long at = offset + length;
        // Checks the whole range once so a short buffer fails before anything is written.
        Objects.checkFromIndexSize(offset, length, dst.byteSize());
        for (long v = negative; ; ) {
            dst.set(ValueLayout.JAVA_BYTE, --at, (byte) ('0' - v % 10));
            v /= 10;
            if (v == 0) {
                break;
            }
        }
        if (value < 0) {
            dst.set(ValueLayout.JAVA_BYTE, offset, (byte) '-');
        }
        return length;
    }

    @Override
    public double strtod(MemorySegment s, long offset, long length) {
        if (length <= 0 || length >= MAX_DOUBLE_CHARS) {
            throw notDouble(s, offset, length);
        }
        String text = ascii(s, offset, length);
        int i = 0;
        int n = text.length();
        if (text.charAt(0) == '+' || text.charAt(0) == '-') {
            i++;
        }
        String rest = text.substring(i);
        if (rest.equalsIgnoreCase("inf") || rest.equalsIgnoreCase("infinity")) {
            return text.charAt(0) == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        boolean hex = rest.length() > 2 && rest.charAt(0) == '0' && (rest.charAt(1) == 'x' || rest.charAt(1) == 'X');
        if (hex) {
            i += 2;
        }
        boolean nonZeroDigit = false;
        int digits = 0;
        for (; i < n && isDigit(text.charAt(i), hex); i++, digits++) {
            nonZeroDigit |= text.charAt(i) != '0';
        }
        if (i < n && text.charAt(i) == '.') {
            for (i++; i < n && isDigit(text.charAt(i), hex); i++, digits++) {
                nonZeroDigit |= text.charAt(i) != '0';
            }
        }
        if (digits == 0) {
            throw notDouble(s, offset, length);
        }
        boolean hasExponent = i < n && (hex ? (text.charAt(i) | 0x20) == 'p' : (text.charAt(i) | 0x20) == 'e');
        if (hasExponent) {
            i++;
            if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                i++;
            }
            int exponentStart = i;
            while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                i++;
            }
            if (i == exponentStart) {
                throw notDouble(s, offset, length);
            }
        }
        if (i != n) {
            throw notDouble(s, offset, length);
        }
        // The text is now known to be in C's syntax, which Java parses the same way (correctly rounded), except
        // that Java needs the binary exponent of a hexadecimal float.
        double value = Double.parseDouble(hex && !hasExponent ? text + "p0" : text);
        if (Double.isInfinite(value) || (value == 0 && nonZeroDigit)) {
            throw notDouble(s, offset, length); // strtod's ERANGE: overflow, or underflow to zero
        }
        return value;
    }

    @Override
    public int dtoa(double value, MemorySegment dst, long offset) {
        if (value == Math.rint(value) && Math.abs(value) < EXACT_INTEGERS) {
            if (value == 0 && Double.doubleToRawLongBits(value) != 0) {
                return write("-0", dst, offset);
            }
            return lltoa((long) value, dst, offset);
        }
        return write(PrintfDouble.formatG17(value), dst, offset);
    }

    private static int write(String text, MemorySegment dst, long offset) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(bytes, 0, dst, ValueLayout.JAVA_BYTE, offset, bytes.length);
        return bytes.length;
    }

    private static boolean isDigit(char c, boolean hex) {
        return (c >= '0' && c <= '9') || (hex && ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'));
    }

    /** The bytes as Latin-1 text: every byte stays one char, so no byte can turn into a digit. */
    private static String ascii(MemorySegment s, long offset, long length) {
        byte[] bytes = new byte[(int) length];
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, offset, bytes, 0, bytes.length);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static NumberFormatException notInteger(MemorySegment s, long offset, long length) {
        return new NumberFormatException("not a canonical 64-bit decimal integer: " + quote(s, offset, length));
    }

    private static NumberFormatException notDouble(MemorySegment s, long offset, long length) {
        return new NumberFormatException("not a finite-or-inf double: " + quote(s, offset, length));
    }

    private static String quote(MemorySegment s, long offset, long length) {
        if (length <= 0) {
            return "\"\"";
        }
        return "\"" + ascii(s, offset, Math.min(length, 64)) + (length > 64 ? "...\"" : "\"");
    }
}
