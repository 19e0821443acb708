package flexos.redis;

import java.lang.foreign.MemorySegment;

/** A ZRANGEBYSCORE or ZRANGEBYLEX interval, parsed with Redis's syntax and error texts. */
final class ZRange {

    private ZRange() {
    }

    /** {@code [min, max]} of scores, each end exclusive when written {@code (x}. */
    record Score(double min, boolean minEx, double max, boolean maxEx) {
        boolean aboveMin(double v) {
            return minEx ? v > min : v >= min;
        }

        boolean belowMax(double v) {
            return maxEx ? v < max : v <= max;
        }

        boolean contains(double v) {
            return aboveMin(v) && belowMax(v);
        }

        boolean empty() {
            return min > max || (min == max && (minEx || maxEx));
        }
    }

    private static final CommandError NOT_FLOAT = new CommandError("ERR min or max is not a float");
    private static final CommandError NOT_LEX = new CommandError("ERR min or max not valid string range item");

    private static double bound(String text, boolean[] exclusive) {
        String t = text;
        if (t.startsWith("(")) {
            exclusive[0] = true;
            t = t.substring(1);
        }
        String lower = t.toLowerCase(java.util.Locale.ROOT);
        double d;
        if (lower.equals("inf") || lower.equals("+inf") || lower.equals("infinity") || lower.equals("+infinity")) {
            d = Double.POSITIVE_INFINITY;
        } else if (lower.equals("-inf") || lower.equals("-infinity")) {
            d = Double.NEGATIVE_INFINITY;
        } else {
            if (t.isEmpty() || Character.isWhitespace(t.charAt(0)) || lower.contains("nan") || lower.contains("x")) {
                throw NOT_FLOAT;
            }
            try {
                d = Double.parseDouble(t);
            } catch (NumberFormatException e) {
                throw NOT_FLOAT;
            }
            if (Double.isNaN(d)) {
                throw NOT_FLOAT;
            }
        }
        return d;
    }

    static Score score(String min, String max) {
        boolean[] minEx = new boolean[1];
        boolean[] maxEx = new boolean[1];
        double lo = bound(min, minEx);
        double hi = bound(max, maxEx);
        return new Score(lo, minEx[0], hi, maxEx[0]);
    }

    /** A lexicographic bound: {@code -} (below all), {@code +} (above all), or {@code [x} / {@code (x}. */
    record LexBound(byte[] value, boolean exclusive, int infinity) {
    }

    /** {@code [min, max]} of members in byte order. */
    record Lex(LexBound min, LexBound max) {
        boolean aboveMin(MemorySegment m, Blocks blocks) {
            if (min.infinity() < 0) {
                return true;
            }
            if (min.infinity() > 0) {
                return false;
            }
            int cmp = blocks.compare(m, MemorySegment.ofArray(min.value()));
            return min.exclusive() ? cmp > 0 : cmp >= 0;
        }

        boolean belowMax(MemorySegment m, Blocks blocks) {
            if (max.infinity() > 0) {
                return true;
            }
            if (max.infinity() < 0) {
                return false;
            }
            int cmp = blocks.compare(m, MemorySegment.ofArray(max.value()));
            return max.exclusive() ? cmp < 0 : cmp <= 0;
        }

        boolean contains(MemorySegment m, Blocks blocks) {
            return aboveMin(m, blocks) && belowMax(m, blocks);
        }
    }

    private static LexBound lexBound(byte[] b) {
        if (b.length == 1 && b[0] == '-') {
            return new LexBound(null, false, -1);
        }
        if (b.length == 1 && b[0] == '+') {
            return new LexBound(null, false, 1);
        }
        if (b.length >= 1 && (b[0] == '(' || b[0] == '[')) {
            return new LexBound(java.util.Arrays.copyOfRange(b, 1, b.length), b[0] == '(', 0);
        }
        throw NOT_LEX;
    }

    static Lex lex(byte[] min, byte[] max) {
        return new Lex(lexBound(min), lexBound(max));
    }
}
