package flexos.redis;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Parses requests in place in a client's query buffer, as Redis's {@code processMultibulkBuffer} and
 * {@code processInlineBuffer} do: RESP2 multibulk ({@code *N\r\n$len\r\n...}) and inline commands ({@code PING\r\n},
 * split on spaces with Redis's quoting rules). Arguments become (offset, length) pairs in the client; nothing is
 * copied, except that an inline argument with escapes is unescaped in place (it only ever shrinks).
 *
 * <p>Parsing is incremental: a request split across reads at any byte resumes where it stopped. Errors use Redis's
 * wording, and leave the message in {@link Client#protocolError}.
 */
final class RequestParser {

    /** A whole request is in the client's arguments. */
    static final int COMPLETE = 1;
    /** More bytes are needed. */
    static final int INCOMPLETE = 0;
    /** The bytes are not a request; the connection must be closed after the error reply. */
    static final int ERROR = -1;

    /** Longest inline request or header line without its end (Redis's {@code PROTO_INLINE_MAX_SIZE}). */
    static final int INLINE_MAX = 64 * 1024;
    /** Longest bulk argument (Redis's {@code proto-max-bulk-len}). */
    static final long MAX_BULK = 512L * 1024 * 1024;

    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

    private RequestParser() {
    }

    /**
     * Parses the next request of {@code c} from {@link Client#queryPos}. Empty requests ({@code *0}, blank lines) are
     * skipped. On {@link #COMPLETE}, {@link Client#queryPos} is past the request.
     */
    static int parse(Client c) {
        return parse(c, MAX_BULK);
    }

    /** As {@link #parse(Client)}, refusing bulks longer than {@code maxBulk} (proto-max-bulk-len). */
    static int parse(Client c, long maxBulk) {
        while (true) {
            if (c.pendingArgs == 0) {
                if (c.queryPos >= c.queryLen) {
                    return INCOMPLETE;
                }
                c.argc = 0;
                if (c.query.get(BYTE, c.queryPos) != '*') {
                    int r = parseInline(c);
                    if (r == COMPLETE && c.argc == 0) {
                        continue;
                    }
                    return r;
                }
                int r = parseMultibulkCount(c);
                if (r != COMPLETE) {
                    return r;
                }
                if (c.pendingArgs == 0) {
                    continue;
                }
            }
            return parseBulks(c, maxBulk);
        }
    }

    private static int error(Client c, String message) {
        c.protocolError = "Protocol error: " + message;
        return ERROR;
    }

    /** The offset of the {@code \r} ending the header line at {@code from}, -1 if not all of {@code \r\n} is here. */
    private static int lineEnd(Client c, int from) {
        MemorySegment q = c.query;
        int end = c.queryLen;
        for (int i = from; i < end; i++) {
            if (q.get(BYTE, i) == '\r') {
                return i + 1 < end ? i : -1;
            }
        }
        return -1;
    }

    private static int parseMultibulkCount(Client c) {
        int start = c.queryPos;
        int cr = lineEnd(c, start);
        if (cr < 0) {
            if (c.queryLen - start > INLINE_MAX) {
                return error(c, "too big mbulk count string");
            }
            return INCOMPLETE;
        }
        long count = parseLong(c.query, start + 1, cr);
        if (count == Long.MIN_VALUE || count > Integer.MAX_VALUE) {
            return error(c, "invalid multibulk length");
        }
        if (!c.authenticated && count > 10) {
            // As Redis: before AUTH, a client may not make the server expect a large request.
            return error(c, "unauthenticated multibulk length");
        }
        int next = cr + 2;
        if (count <= 0) {
            c.queryPos = next;
            c.pendingArgs = 0;
            return COMPLETE;
        }
        c.pendingArgs = (int) count;
        c.bulkLen = -1;
        c.parsePos = next;
        return COMPLETE;
    }

    private static int parseBulks(Client c, long maxBulk) {
        MemorySegment q = c.query;
        while (c.pendingArgs > 0) {
            int pos = c.parsePos;
            if (c.bulkLen < 0) {
                int cr = lineEnd(c, pos);
                if (cr < 0) {
                    if (c.queryLen - pos > INLINE_MAX) {
                        return error(c, "too big bulk count string");
                    }
                    return INCOMPLETE;
                }
                byte first = q.get(BYTE, pos);
                if (first != '$') {
                    return error(c, "expected '$', got '" + (char) (first & 0xff) + "'");
                }
                long length = parseLong(q, pos + 1, cr);
                if (length == Long.MIN_VALUE || length < 0 || length > maxBulk || length > Integer.MAX_VALUE - 64) {
                    return error(c, "invalid bulk length");
                }
                if (!c.authenticated && length > 16384) {
                    return error(c, "unauthenticated bulk length");
                }
                c.bulkLen = length;
                pos = cr + 2;
                c.parsePos = pos;
            }
            if (c.queryLen - pos < c.bulkLen + 2) {
                return INCOMPLETE;
            }
            c.addArg(pos, (int) c.bulkLen);
            c.parsePos = pos + (int) c.bulkLen + 2;
            c.bulkLen = -1;
            c.pendingArgs--;
        }
        c.queryPos = c.parsePos;
        return COMPLETE;
    }

    /** How many bytes the query buffer must hold for the bulk being read to fit, or 0 when no bulk is under way. */
    static long bytesNeeded(Client c) {
        return c.pendingArgs > 0 && c.bulkLen >= 0 ? c.parsePos + c.bulkLen + 2 : 0;
    }

    /**
     * Redis's {@code string2ll}: a canonical signed decimal in {@code [from, to)} (no sign other than a leading
     * {@code -}, no leading zeros, no spaces), or {@link Long#MIN_VALUE} if the text is not one.
     */
    static long parseLong(MemorySegment s, int from, int to) {
        int length = to - from;
        if (length <= 0 || length > 20) {
            return Long.MIN_VALUE;
        }
        int i = from;
        boolean negative = false;
        if (s.get(BYTE, i) == '-') {
            negative = true;
            i++;
            if (i == to) {
                return Long.MIN_VALUE;
            }
        }
        int d = s.get(BYTE, i) - '0';
        if (d < 0 || d > 9 || (d == 0 && to - i > 1) || (d == 0 && negative)) {
            return Long.MIN_VALUE;
        }
        long value = 0;
        for (; i < to; i++) {
            d = s.get(BYTE, i) - '0';
            if (d < 0 || d > 9) {
                return Long.MIN_VALUE;
            }
            // Accumulate negatively so that Long.MIN_VALUE's magnitude fits; then reject it (it is the error mark).
            if (value < (Long.MIN_VALUE + d) / 10) {
                return Long.MIN_VALUE;
            }
            value = value * 10 - d;
        }
        if (negative) {
            return value;
        }
        return value == Long.MIN_VALUE ? Long.MIN_VALUE : -value;
    }

    // ---- inline ----

    private static int parseInline(Client c) {
        MemorySegment q = c.query;
        int start = c.queryPos;
        long nl = c.indexOf((byte) '\n', start, c.queryLen);
        if (nl < 0) {
            if (c.queryLen - start > INLINE_MAX) {
                return error(c, "too big inline request");
            }
            return INCOMPLETE;
        }
        int lineEnd = (int) nl;
        if (lineEnd > start && q.get(BYTE, lineEnd - 1) == '\r') {
            lineEnd--;
        }
        // Redis splits the line as a C string: a NUL byte ends it, and what follows up to the newline is ignored.
        long nul = c.indexOf((byte) 0, start, lineEnd);
        if (nul >= 0) {
            lineEnd = (int) nul;
        }
        if (!splitArgs(c, start, lineEnd)) {
            c.argc = 0;
            return error(c, "unbalanced quotes in request");
        }
        c.queryPos = (int) nl + 1;
        return COMPLETE;
    }

    private static boolean isSpace(int b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == 0x0b || b == '\f';
    }

    private static int hexValue(int b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        b |= 0x20;
        return b >= 'a' && b <= 'f' ? b - 'a' + 10 : -1;
    }

    /**
     * Redis's {@code sdssplitargs} over {@code [from, to)}, writing each unescaped argument back over its source:
     * double quotes take {@code \n \r \t \b \a \xHH} escapes, single quotes only {@code \'}, and a closing quote must
     * be followed by a space or the end. Returns false on unbalanced quotes.
     */
    static boolean splitArgs(Client c, int from, int to) {
        MemorySegment q = c.query;
        int p = from;
        while (true) {
            while (p < to && isSpace(q.get(BYTE, p))) {
                p++;
            }
            if (p >= to) {
                return true;
            }
            int out = p;
            int argStart = p;
            boolean inDouble = false;
            boolean inSingle = false;
            boolean done = false;
            while (!done) {
                if (inDouble) {
                    if (p >= to) {
                        return false;
                    }
                    int b = q.get(BYTE, p);
                    if (b == '\\' && p + 3 < to && q.get(BYTE, p + 1) == 'x'
                            && hexValue(q.get(BYTE, p + 2)) >= 0 && hexValue(q.get(BYTE, p + 3)) >= 0) {
                        q.set(BYTE, out++, (byte) (hexValue(q.get(BYTE, p + 2)) * 16 + hexValue(q.get(BYTE, p + 3))));
                        p += 4;
                    } else if (b == '\\' && p + 1 < to) {
                        int e = q.get(BYTE, p + 1);
                        byte unescaped = switch (e) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> (byte) e;
                        };
                        q.set(BYTE, out++, unescaped);
                        p += 2;
                    } else if (b == '"') {
                        if (p + 1 < to && !isSpace(q.get(BYTE, p + 1))) {
                            return false;
                        }
                        p++;
                        done = true;
                    } else {
                        q.set(BYTE, out++, (byte) b);
                        p++;
                    }
                } else if (inSingle) {
                    if (p >= to) {
                        return false;
                    }
                    int b = q.get(BYTE, p);
                    if (b == '\\' && p + 1 < to && q.get(BYTE, p + 1) == '\'') {
                        q.set(BYTE, out++, (byte) '\'');
                        p += 2;
                    } else if (b == '\'') {
                        if (p + 1 < to && !isSpace(q.get(BYTE, p + 1))) {
                            return false;
                        }
                        p++;
                        done = true;
                    } else {
                        q.set(BYTE, out++, (byte) b);
                        p++;
                    }
                } else {
                    if (p >= to) {
                        done = true;
                        continue;
                    }
                    int b = q.get(BYTE, p);
                    switch (b) {
                        case ' ', '\n', '\r', '\t' -> done = true;
                        case '"' -> {
                            inDouble = true;
                            p++;
                        }
                        case '\'' -> {
                            inSingle = true;
                            p++;
                        }
                        default -> {
                            q.set(BYTE, out++, (byte) b);
                            p++;
                        }
                    }
                }
            }
            c.addArg(argStart, out - argStart);
        }
    }
}
