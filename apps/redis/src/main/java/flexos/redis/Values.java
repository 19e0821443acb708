package flexos.redis;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;

/** Conversions of string values that several command groups share: decimal arithmetic as Redis's long doubles. */
final class Values {

    /** Redis adds floats in {@code long double} and prints 17 significant digits; exact decimals round the same. */
    private static final MathContext LONG_DOUBLE = new MathContext(17);

    static final CommandError NAN_OR_INFINITY = new CommandError("ERR increment would produce NaN or Infinity");

    private Values() {
    }

    /** Whether {@code text} is a number Redis's strtold reads as infinite or NaN ("inf", "+inf", "nan"...). */
    static boolean infinite(String text) {
        String t = text.strip().toLowerCase(java.util.Locale.ROOT);
        if (t.startsWith("+") || t.startsWith("-")) {
            t = t.substring(1);
        }
        return t.equals("inf") || t.equals("infinity") || t.equals("nan");
    }

    static String text(MemorySegment s) {
        byte[] b = new byte[(int) s.byteSize()];
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, 0, b, 0, b.length);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(MemorySegment s) {
        byte[] b = new byte[(int) s.byteSize()];
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, 0, b, 0, b.length);
        return b;
    }

    /** A decimal number as Redis's {@code strtold} accepts it (no spaces, finite, not NaN), or {@code null}. */
    static BigDecimal decimal(String text) {
        if (text.isEmpty() || text.length() > 5000 || Character.isWhitespace(text.charAt(0))
                || Character.isWhitespace(text.charAt(text.length() - 1))) {
            return null;
        }
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("inf") || lower.contains("nan") || lower.startsWith("0x") || lower.startsWith("-0x")
                || lower.startsWith("+0x")) {
            return null;
        }
        try {
            BigDecimal d = new BigDecimal(text);
            double asDouble = d.doubleValue();
            if (Double.isInfinite(asDouble)) {
                return null;
            }
            return d;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code a + b} as Redis's INCRBYFLOAT prints it, or {@code null} if the result is not a finite number. */
    static String addDecimals(BigDecimal a, BigDecimal b) {
        BigDecimal sum = a.add(b).round(LONG_DOUBLE);
        if (Double.isInfinite(sum.doubleValue())) {
            return null;
        }
        return format(sum);
    }

    /** Redis's {@code %.17Lg} followed by trimming trailing zeros, for numbers in a practical range. */
    static String format(BigDecimal d) {
        if (d.signum() == 0) {
            return "0";
        }
        BigDecimal r = d.round(LONG_DOUBLE).stripTrailingZeros();
        int exponent = r.precision() - r.scale() - 1;
        if (exponent < -5 || exponent >= 17) {
            String digits = r.unscaledValue().abs().toString();
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return (r.signum() < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
                    + String.format(java.util.Locale.ROOT, "%02d", Math.abs(exponent));
        }
        return r.toPlainString();
    }
}
