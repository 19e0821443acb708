package flexos.core.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory sizes as written in an image configuration.
 *
 * <p>A size is a whole number of bytes ({@code 65536}), or a whole number followed by one of the units
 * {@code B}, {@code KiB}, {@code MiB} or {@code GiB} ({@code 256MiB}, {@code 16 MiB}), which are powers of 1024.
 * The decimal-looking units {@code KB}, {@code MB}, {@code GB} (and {@code K}, {@code M}, {@code G}) are rejected
 * rather than guessed at, because half of the world reads them as powers of 1000; the error names the binary unit
 * to write instead. Fractions, signs and sizes that do not fit in a {@code long} are rejected.
 */
public final class ByteSize {

    private static final Pattern SIZE = Pattern.compile("([0-9]+)\\s*([A-Za-z]*)");
    private static final Pattern AMBIGUOUS_UNIT = Pattern.compile("([kmgt])(b|ib)?", Pattern.CASE_INSENSITIVE);
    private static final String UNITS = "B, KiB, MiB or GiB (powers of 1024)";

    private ByteSize() {
    }

    /**
     * The number of bytes {@code text} denotes.
     *
     * @throws IllegalArgumentException if {@code text} is not a size; its message is a sentence telling the user
     *                                  what to write instead
     */
    public static long parse(String text) {
        String trimmed = text.strip();
        Matcher m = SIZE.matcher(trimmed);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "write a whole number of bytes, optionally followed by a unit " + UNITS + ", for example 256MiB");
        }
        String digits = m.group(1);
        String unit = m.group(2);
        long multiplier = switch (unit) {
            case "", "B" -> 1L;
            case "KiB" -> 1L << 10;
            case "MiB" -> 1L << 20;
            case "GiB" -> 1L << 30;
            default -> throw new IllegalArgumentException(unitAdvice(digits, unit));
        };
        try {
            return Math.multiplyExact(Long.parseLong(digits), multiplier);
        } catch (NumberFormatException | ArithmeticException tooLarge) {
            throw new IllegalArgumentException("write a size that fits in 63 bits, for example 1GiB");
        }
    }

    /** {@code bytes} in the largest unit that states it exactly, as {@link #parse} reads it: {@code 64KiB}. */
    public static String format(long bytes) {
        if (bytes != 0 && bytes % (1L << 30) == 0) {
            return bytes / (1L << 30) + "GiB";
        }
        if (bytes != 0 && bytes % (1L << 20) == 0) {
            return bytes / (1L << 20) + "MiB";
        }
        if (bytes != 0 && bytes % (1L << 10) == 0) {
            return bytes / (1L << 10) + "KiB";
        }
        return bytes + "B";
    }

    private static String unitAdvice(String digits, String unit) {
        Matcher ambiguous = AMBIGUOUS_UNIT.matcher(unit);
        if (ambiguous.matches()) {
            String binary = ambiguous.group(1).toUpperCase(Locale.ROOT) + "iB";
            // TiB is a real unit but no heap of this system is that large, so it stays unsupported.
            if (!binary.equals("TiB")) {
                return "write " + digits + binary + "; sizes use the units " + UNITS;
            }
        }
        return "'" + unit + "' is not a unit; use " + UNITS + ", for example " + digits + "MiB";
    }
}
