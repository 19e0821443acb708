package flexos.libc.impl;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * C's {@code printf("%.17g")} for doubles, as glibc prints it: the exact binary value rounded half-to-even to 17
 * significant digits, printed in {@code %f} style when its decimal exponent X satisfies {@code -4 <= X < 17} and
 * in {@code %e} style (at least two exponent digits) otherwise, with trailing zeros and a bare trailing point
 * removed. Seventeen digits identify every double uniquely, which is why Redis prints scores this way.
 */
final class PrintfDouble {

    private static final int PRECISION = 17;
    private static final MathContext SEVENTEEN_DIGITS = new MathContext(PRECISION, RoundingMode.HALF_EVEN);

    private PrintfDouble() {
    }

    static String formatG17(double value) {
        boolean negative = Double.doubleToRawLongBits(value) < 0;
        if (Double.isNaN(value)) {
            return negative ? "-nan" : "nan";
        }
        if (Double.isInfinite(value)) {
            return negative ? "-inf" : "inf";
        }
        if (value == 0) {
            return negative ? "-0" : "0";
        }
        BigDecimal rounded = new BigDecimal(Math.abs(value)).round(SEVENTEEN_DIGITS);
        String digits = rounded.unscaledValue().toString();
        int exponent = digits.length() - 1 - rounded.scale();
        int significant = digits.length();
        while (significant > 1 && digits.charAt(significant - 1) == '0') {
            significant--;
        }
        digits = digits.substring(0, significant);
        StringBuilder out = new StringBuilder(32);
        if (negative) {
            out.append('-');
        }
        if (exponent < -4 || exponent >= PRECISION) {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            out.append('e').append(exponent < 0 ? '-' : '+');
            int magnitude = Math.abs(exponent);
            if (magnitude < 10) {
                out.append('0');
            }
            out.append(magnitude);
        } else if (exponent < 0) {
            out.append("0.");
            out.repeat('0', -exponent - 1);
            out.append(digits);
        } else if (digits.length() <= exponent + 1) {
            out.append(digits);
            out.repeat('0', exponent + 1 - digits.length());
        } else {
            out.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
        }
        return out.toString();
    }
}
