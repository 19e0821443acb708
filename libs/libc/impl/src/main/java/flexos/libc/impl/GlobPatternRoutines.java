package flexos.libc.impl;

import flexos.libc.api.PatternRoutines;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Glob matching with the semantics of Redis's {@code stringmatchlen} (util.c, case-sensitive), quirks included:
 * {@code [a-]} is the range from {@code a} to {@code ]}, an unterminated {@code [} runs to the pattern's end,
 * {@code [^} alone matches any byte, and a pattern never matches the empty string unless it is empty
 * ({@code "*"} included: Redis special-cases {@code KEYS *} before it gets here). Like Redis, a pattern with more
 * than 1000 {@code *}s that need matching fails, and a failed {@code *} is never retried with a longer match
 * of an earlier one, which keeps patterns such as {@code a*a*a*a*b} polynomial rather than exponential.
 * Bytes compare unsigned; Redis on x86 compares range bounds as signed chars, which differs only for ranges
 * with bytes above 0x7f.
 */
final class GlobPatternRoutines implements PatternRoutines {

    private static final int MAX_NESTING = 1000;

    @Override
    public boolean fnmatch(MemorySegment pattern, long pOffset, long pLength,
                           MemorySegment s, long sOffset, long sLength) {
        if (pLength < 0 || sLength < 0 || pOffset < 0 || sOffset < 0
                || pOffset + pLength > pattern.byteSize() || sOffset + sLength > s.byteSize()) {
            throw new IndexOutOfBoundsException("fnmatch range outside its segment");
        }
        return match(pattern, pOffset, pOffset + pLength, s, sOffset, sOffset + sLength);
    }

    /**
     * Redis's recursive matcher, unrolled. In Redis a {@code *} tries the rest of the pattern at every later
     * string position, recursing; an attempt that meets a later {@code *} either matches or sets
     * {@code skipLongerMatches}, which fails every enclosing {@code *} at once. So only the most recent {@code *}
     * is ever retried, and when it has tried every position the whole match fails. Keeping that single retry
     * point gives the same answers in constant stack, so no pattern can overflow the stack.
     */
    private static boolean match(MemorySegment pattern, long p, long pEnd, MemorySegment string, long s, long sEnd) {
        long starP = -1; // the most recent '*' that is not the pattern's last byte
        long starS = 0;  // where its current attempt starts in the string
        int nesting = 0; // Redis's recursion depth
        while (true) {
            boolean failed = false;
            scan:
            while (p < pEnd && s < sEnd) {
                byte c = at(pattern, p);
                switch (c) {
                    case '*' -> {
                        while (p + 1 < pEnd && at(pattern, p + 1) == '*') {
                            p++;
                        }
                        if (p + 1 == pEnd) {
                            return true;
                        }
                        if (++nesting > MAX_NESTING) {
                            return false;
                        }
                        starP = p;
                        starS = s;
                        p++;
                        continue scan;
                    }
                    case '?' -> s++;
                    case '[' -> {
                        p++;
                        boolean negated = p < pEnd && at(pattern, p) == '^';
                        if (negated) {
                            p++;
                        }
                        int sc = at(string, s) & 0xff;
                        boolean matched = false;
                        while (true) {
                            if (p >= pEnd) {
                                p--; // unterminated class: it ends with the pattern, whose last byte the step below consumes
                                break;
                            }
                            byte pc = at(pattern, p);
                            if (pc == '\\' && pEnd - p >= 2) {
                                p++;
                                matched |= (at(pattern, p) & 0xff) == sc;
                            } else if (pc == ']') {
                                break;
                            } else if (pEnd - p >= 3 && at(pattern, p + 1) == '-') {
                                int start = pc & 0xff;
                                int end = at(pattern, p + 2) & 0xff;
                                p += 2;
                                matched |= sc >= Math.min(start, end) && sc <= Math.max(start, end);
                            } else {
                                matched |= (pc & 0xff) == sc;
                            }
                            p++;
                        }
                        if (matched == negated) {
                            failed = true;
                            break scan;
                        }
                        s++;
                    }
                    default -> {
                        if (c == '\\' && pEnd - p >= 2) {
                            p++;
                        }
                        if (at(pattern, p) != at(string, s)) {
                            failed = true;
                            break scan;
                        }
                        s++;
                    }
                }
                p++;
                if (s == sEnd) {
                    while (p < pEnd && at(pattern, p) == '*') {
                        p++;
                    }
                    break;
                }
            }
            if (!failed && p == pEnd && s == sEnd) {
                return true;
            }
            if (starP < 0 || ++starS >= sEnd) {
                return false;
            }
            p = starP + 1;
            s = starS;
        }
    }

    private static byte at(MemorySegment segment, long offset) {
        return segment.get(ValueLayout.JAVA_BYTE, offset);
    }
}
