package flexos.redis;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** LCS: the longest common subsequence of two strings, its length, or its matching ranges (Redis's lcsCommand). */
final class Lcs {

    private final Keyspace ks;

    Lcs(Keyspace ks) {
        this.ks = ks;
    }

    private byte[] value(Client c, int i) {
        Dict.Entry e = ks.lookup(c, i);
        if (e == null) {
            return new byte[0];
        }
        if (e.value instanceof MemorySegment s) {
            return Values.bytes(s);
        }
        throw new CommandError("ERR The specified keys must contain string values");
    }

    void lcs(Client c) {
        boolean getLen = false;
        boolean getIdx = false;
        boolean withMatchLen = false;
        long minMatchLen = 0;
        for (int j = 3; j < c.argc; j++) {
            String opt = c.argString(j).toLowerCase(Locale.ROOT);
            boolean moreArgs = j + 1 < c.argc;
            switch (opt) {
                case "idx" -> getIdx = true;
                case "len" -> getLen = true;
                case "withmatchlen" -> withMatchLen = true;
                case "minmatchlen" -> {
                    if (!moreArgs) {
                        throw CommandError.SYNTAX;
                    }
                    minMatchLen = ks.argLong(c, ++j);
                    if (minMatchLen < 0) {
                        minMatchLen = 0;
                    }
                }
                default -> throw CommandError.SYNTAX;
            }
        }
        byte[] a = value(c, 1);
        byte[] b = value(c, 2);
        if (getIdx && getLen) {
            throw new CommandError("ERR If you want both the length and indexes, please just use IDX.");
        }
        int alen = a.length;
        int blen = b.length;
        if ((long) (alen + 1) * (blen + 1) > 512L * 1024 * 1024 / 4) {
            throw new CommandError("ERR Insufficient memory, failed allocating transient memory for LCS");
        }
        int[] dp = new int[(alen + 1) * (blen + 1)];
        int w = blen + 1;
        for (int i = 1; i <= alen; i++) {
            for (int j = 1; j <= blen; j++) {
                if (a[i - 1] == b[j - 1]) {
                    dp[i * w + j] = dp[(i - 1) * w + j - 1] + 1;
                } else {
                    dp[i * w + j] = Math.max(dp[(i - 1) * w + j], dp[i * w + j - 1]);
                }
            }
        }
        int idx = dp[alen * w + blen];
        byte[] result = new byte[idx];
        List<long[]> matches = new ArrayList<>();
        int i = alen;
        int j = blen;
        int k = idx;
        long arangeStart = alen;
        long arangeEnd = 0;
        long brangeStart = 0;
        long brangeEnd = 0;
        boolean computeLcs = getIdx || !getLen;
        while (computeLcs && i > 0 && j > 0) {
            boolean emitRange = false;
            if (a[i - 1] == b[j - 1]) {
                result[--k] = a[i - 1];
                if (arangeStart == alen) {
                    arangeStart = i - 1;
                    arangeEnd = i - 1;
                    brangeStart = j - 1;
                    brangeEnd = j - 1;
                } else if (arangeStart == i && brangeStart == j) {
                    arangeStart--;
                    brangeStart--;
                } else {
                    emitRange = true;
                }
                if (arangeStart == 0 || brangeStart == 0) {
                    emitRange = true;
                }
                i--;
                j--;
            } else {
                int lcs1 = dp[(i - 1) * w + j];
                int lcs2 = dp[i * w + j - 1];
                if (lcs1 > lcs2) {
                    i--;
                } else {
                    j--;
                }
                if (arangeStart != alen) {
                    emitRange = true;
                }
            }
            if (emitRange) {
                long matchLen = arangeEnd - arangeStart + 1;
                if (minMatchLen == 0 || matchLen >= minMatchLen) {
                    matches.add(new long[] {arangeStart, arangeEnd, brangeStart, brangeEnd, matchLen});
                }
                arangeStart = alen;
            }
        }
        if (getIdx) {
            c.addMapHeader(2);
            c.addBulkString("matches");
            c.addArrayHeader(matches.size());
            for (long[] m : matches) {
                c.addArrayHeader(withMatchLen ? 3 : 2);
                c.addArrayHeader(2);
                c.addInteger(m[0]);
                c.addInteger(m[1]);
                c.addArrayHeader(2);
                c.addInteger(m[2]);
                c.addInteger(m[3]);
                if (withMatchLen) {
                    c.addInteger(m[4]);
                }
            }
            c.addBulkString("len");
            c.addInteger(idx);
        } else if (getLen) {
            c.addInteger(idx);
        } else {
            c.addBulkBytes(result);
        }
    }
}
