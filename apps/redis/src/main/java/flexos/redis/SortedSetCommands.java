package flexos.redis;

import java.lang.foreign.MemorySegment;

/** ZADD (NX/XX/GT/LT/CH/INCR, several pairs), ZPOPMIN (with count), ZCARD, ZSCORE and ZRANGE by index. */
final class SortedSetCommands {

    private static final byte[] NX = {'N', 'X'};
    private static final byte[] XX = {'X', 'X'};
    private static final byte[] GT = {'G', 'T'};
    private static final byte[] LT = {'L', 'T'};
    private static final byte[] CH = {'C', 'H'};
    private static final byte[] INCR = {'I', 'N', 'C', 'R'};
    private static final byte[] WITHSCORES = "WITHSCORES".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final Keyspace ks;

    SortedSetCommands(Keyspace ks) {
        this.ks = ks;
    }

    void register(CommandTable table) {
        table.add("zadd", -4, this::zadd);
        table.add("zpopmin", -2, this::zpopmin);
        table.add("zcard", 2, c -> {
            SortedSetValue z = ks.valueOf(c, SortedSetValue.class);
            c.addInteger(z == null ? 0 : z.size());
        });
        table.add("zscore", 3, this::zscore);
        table.add("zrange", -4, this::zrange);
    }

    /** Redis's {@code zaddGenericCommand}. */
    private void zadd(Client c) {
        boolean nx = false;
        boolean xx = false;
        boolean gt = false;
        boolean lt = false;
        boolean ch = false;
        boolean incr = false;
        int j = 2;
        for (; j < c.argc; j++) {
            if (c.argIs(j, NX)) {
                nx = true;
            } else if (c.argIs(j, XX)) {
                xx = true;
            } else if (c.argIs(j, GT)) {
                gt = true;
            } else if (c.argIs(j, LT)) {
                lt = true;
            } else if (c.argIs(j, CH)) {
                ch = true;
            } else if (c.argIs(j, INCR)) {
                incr = true;
            } else {
                break;
            }
        }
        int elements = c.argc - j;
        if (elements % 2 != 0 || elements == 0) {
            c.addSyntaxError();
            return;
        }
        if (nx && xx) {
            c.addError("ERR XX and NX options at the same time are not compatible");
            return;
        }
        if ((gt && nx) || (lt && nx) || (gt && lt)) {
            c.addError("ERR GT, LT, and/or NX options at the same time are not compatible");
            return;
        }
        if (incr && elements > 2) {
            c.addError("ERR INCR option supports a single increment-element pair");
            return;
        }
        for (int k = j; k < c.argc; k += 2) {
            ks.argDouble(c, k);
        }
        long keyHash = ks.hashArg(c, 1);
        Database db = ks.db(c);
        Dict.Entry e = db.lookup(c.query, c.argOff[1], c.argLen[1], keyHash);
        SortedSetValue z;
        boolean created = false;
        if (e == null) {
            if (xx) {
                if (incr) {
                    c.addNull();
                } else {
                    c.addInteger(0);
                }
                return;
            }
            z = new SortedSetValue(ks.blocks, ks.random);
            created = true;
        } else if (e.value instanceof SortedSetValue existing) {
            z = existing;
        } else {
            c.addWrongType();
            return;
        }
        long added = 0;
        long updated = 0;
        double incrResult = 0;
        boolean incrAborted = false;
        try {
            for (int k = j; k < c.argc; k += 2) {
                double score = ks.argDouble(c, k);
                int m = k + 1;
                long h = ks.hashArg(c, m);
                Dict.Entry member = z.members.find(c.query, c.argOff[m], c.argLen[m], h);
                if (member != null) {
                    if (nx) {
                        incrAborted = true;
                        continue;
                    }
                    double current = SortedSetValue.score(member);
                    if (incr) {
                        score += current;
                        if (Double.isNaN(score)) {
                            c.addError("ERR resulting score is not a number (NaN)");
                            return;
                        }
                    }
                    if ((lt && score >= current) || (gt && score <= current)) {
                        incrAborted = true;
                        continue;
                    }
                    incrResult = score;
                    if (score != current) {
                        z.update(member, score);
                        updated++;
                    }
                } else if (!xx) {
                    z.add(ks.copyArg(c, m), h, score);
                    incrResult = score;
                    added++;
                } else {
                    incrAborted = true;
                }
            }
        } catch (HeapExhausted oom) {
            if (created) {
                z.freeAll(ks.blocks);
            }
            throw oom;
        }
        if (created) {
            if (z.size() == 0) {
                z.freeAll(ks.blocks);
            } else {
                ks.add(c, 1, keyHash, z);
            }
        }
        if (incr) {
            if (incrAborted) {
                c.addNull();
            } else {
                c.addDouble(incrResult);
            }
        } else {
            c.addInteger(ch ? added + updated : added);
        }
    }

    private void zpopmin(Client c) {
        if (c.argc > 3) {
            c.addSyntaxError();
            return;
        }
        long count = c.argc == 3 ? ks.argCount(c, 2) : 1;
        Dict.Entry e = ks.lookup(c, 1);
        if (e == null) {
            c.addArrayHeader(0);
            return;
        }
        if (!(e.value instanceof SortedSetValue z)) {
            c.addWrongType();
            return;
        }
        long n = Math.min(count, z.size());
        c.addArrayHeader(2 * n);
        for (long i = 0; i < n; i++) {
            SkipList.Node node = z.popMin();
            c.addBulk(node.member);
            c.addDouble(node.score);
            ks.blocks.free(node.member);
        }
        if (z.size() == 0) {
            ks.db(c).delete(e);
        }
    }

    private void zscore(Client c) {
        SortedSetValue z = ks.valueOf(c, SortedSetValue.class);
        Dict.Entry m = z == null ? null : z.members.find(c.query, c.argOff[2], c.argLen[2], ks.hashArg(c, 2));
        if (m == null) {
            c.addNull();
        } else {
            c.addDouble(SortedSetValue.score(m));
        }
    }

    private void zrange(Client c) {
        boolean withScores = false;
        for (int j = 4; j < c.argc; j++) {
            if (c.argIs(j, WITHSCORES)) {
                withScores = true;
            } else {
                c.addSyntaxError();
                return;
            }
        }
        long start = ks.argLong(c, 2);
        long end = ks.argLong(c, 3);
        SortedSetValue z = ks.valueOf(c, SortedSetValue.class);
        if (z == null) {
            c.addArrayHeader(0);
            return;
        }
        IndexRange range = IndexRange.of(start, end, z.size());
        if (range == null) {
            c.addArrayHeader(0);
            return;
        }
        long n = range.count();
        c.addArrayHeader(withScores ? 2 * n : n);
        SkipList.Node node = z.order.first();
        for (long i = 0; i < range.first(); i++) {
            node = SkipList.after(node);
        }
        for (long i = 0; i < n; i++) {
            c.addBulk(node.member);
            if (withScores) {
                c.addDouble(node.score);
            }
            node = SkipList.after(node);
        }
    }
}
