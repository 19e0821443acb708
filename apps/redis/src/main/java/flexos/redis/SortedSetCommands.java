package flexos.redis;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The sorted set commands: ranges by rank, score and lex, the algebra, pops (blocking ones too) and scans. */
final class SortedSetCommands {

    private static final byte[] NX = {'N', 'X'};
    private static final byte[] XX = {'X', 'X'};
    private static final byte[] GT = {'G', 'T'};
    private static final byte[] LT = {'L', 'T'};
    private static final byte[] CH = {'C', 'H'};
    private static final byte[] INCR = {'I', 'N', 'C', 'R'};
    private static final CommandError NAN_SCORE = new CommandError("ERR resulting score is not a number (NaN)");

    private final ServerContext ctx;
    private final Keyspace ks;
    private final Dispatcher dispatcher;

    SortedSetCommands(ServerContext ctx, Dispatcher dispatcher) {
        this.ctx = ctx;
        this.ks = ctx.ks;
        this.dispatcher = dispatcher;
    }

    private static final int RANK = 0;
    private static final int SCORE = 1;
    private static final int LEX = 2;

    void register(CommandTable t) {
        t.add("zadd -4 write,denyoom,fast 1 1 1 sorted-set 1.2.0 | Adds members with scores to a sorted set, or "
                + "updates their scores.", this::zadd);
        t.add("zincrby 4 write,denyoom,fast 1 1 1 sorted-set 1.2.0 | Adds to a member's score.", this::zincrby);
        t.add("zrem -3 write,fast 1 1 1 sorted-set 1.2.0 | Removes members from a sorted set.", this::zrem);
        t.add("zcard 2 readonly,fast 1 1 1 sorted-set 1.2.0 | The number of members of a sorted set.", c -> {
            SortedSetValue z = zsetAt(c, 1);
            c.addInteger(z == null ? 0 : z.size());
        });
        t.add("zscore 3 readonly,fast 1 1 1 sorted-set 1.2.0 | A member's score.", this::zscore);
        t.add("zmscore -3 readonly,fast 1 1 1 sorted-set 6.2.0 | The scores of several members.", this::zmscore);
        t.add("zrank 3 readonly,fast 1 1 1 sorted-set 2.0.0 | A member's rank, lowest score first.",
                c -> zrank(c, false));
        t.add("zrevrank 3 readonly,fast 1 1 1 sorted-set 2.0.0 | A member's rank, highest score first.",
                c -> zrank(c, true));
        t.add("zcount 4 readonly,fast 1 1 1 sorted-set 2.0.0 | How many members have a score in a range.",
                this::zcount);
        t.add("zlexcount 4 readonly,fast 1 1 1 sorted-set 2.8.9 | How many members are in a lexicographic range.",
                this::zlexcount);
        t.add("zrange -4 readonly 1 1 1 sorted-set 1.2.0 | Members in a range of ranks, scores or lexicographic "
                + "order.", c -> zrangeCommand(c, false));
        t.add("zrangestore -5 write,denyoom 1 2 1 sorted-set 6.2.0 | Stores a ZRANGE result in a key.",
                c -> zrangeCommand(c, true));
        t.add("zrevrange -4 readonly 1 1 1 sorted-set 1.2.0 | Members in a range of ranks, highest first.",
                c -> legacyRange(c, RANK, true));
        t.add("zrangebyscore -4 readonly 1 1 1 sorted-set 1.0.5 | Members with scores in a range.",
                c -> legacyRange(c, SCORE, false));
        t.add("zrevrangebyscore -4 readonly 1 1 1 sorted-set 2.2.0 | Members with scores in a range, highest "
                + "first.", c -> legacyRange(c, SCORE, true));
        t.add("zrangebylex -4 readonly 1 1 1 sorted-set 2.8.9 | Members in a lexicographic range.",
                c -> legacyRange(c, LEX, false));
        t.add("zrevrangebylex -4 readonly 1 1 1 sorted-set 2.8.9 | Members in a lexicographic range, last first.",
                c -> legacyRange(c, LEX, true));
        t.add("zremrangebyrank 4 write 1 1 1 sorted-set 2.0.0 | Removes the members in a range of ranks.",
                c -> zremrange(c, RANK));
        t.add("zremrangebyscore 4 write 1 1 1 sorted-set 1.2.0 | Removes the members with scores in a range.",
                c -> zremrange(c, SCORE));
        t.add("zremrangebylex 4 write 1 1 1 sorted-set 2.8.9 | Removes the members in a lexicographic range.",
                c -> zremrange(c, LEX));
        t.add("zunion -3 readonly 0 0 1+1 sorted-set 6.2.0 | The union of sorted sets.",
                c -> aggregate(c, UNION, false));
        t.add("zinter -3 readonly 0 0 1+1 sorted-set 6.2.0 | The intersection of sorted sets.",
                c -> aggregate(c, INTER, false));
        t.add("zdiff -3 readonly 0 0 1+1 sorted-set 6.2.0 | The members of the first sorted set in none of the "
                + "others.", c -> aggregate(c, DIFF, false));
        t.add("zunionstore -4 write,denyoom 1 1 1+2 sorted-set 2.0.0 | Stores the union of sorted sets in a key.",
                c -> aggregate(c, UNION, true));
        t.add("zinterstore -4 write,denyoom 1 1 1+2 sorted-set 2.0.0 | Stores the intersection of sorted sets "
                + "in a key.", c -> aggregate(c, INTER, true));
        t.add("zdiffstore -4 write,denyoom 1 1 1+2 sorted-set 6.2.0 | Stores the difference of sorted sets in a "
                + "key.", c -> aggregate(c, DIFF, true));
        t.add("zintercard -3 readonly 0 0 1+1 sorted-set 7.0.0 | The size of the intersection of sorted sets.",
                this::zintercard);
        t.add("zpopmin -2 write,fast 1 1 1 sorted-set 5.0.0 | Removes and returns the lowest-scored members.",
                c -> zpop(c, true));
        t.add("zpopmax -2 write,fast 1 1 1 sorted-set 5.0.0 | Removes and returns the highest-scored members.",
                c -> zpop(c, false));
        t.add("bzpopmin -3 write,fast,blocking 1 -2 1 sorted-set 5.0.0 | ZPOPMIN on the first non-empty sorted "
                + "set, waiting for one.", c -> bzpop(c, true));
        t.add("bzpopmax -3 write,fast,blocking 1 -2 1 sorted-set 5.0.0 | ZPOPMAX on the first non-empty sorted "
                + "set, waiting for one.", c -> bzpop(c, false));
        t.add("zmpop -4 write 0 0 1+1 sorted-set 7.0.0 | Pops members from the first non-empty sorted set.",
                c -> zmpop(c, 1, false));
        t.add("bzmpop -5 write,blocking 0 0 1+2 sorted-set 7.0.0 | ZMPOP, waiting for a member.",
                c -> zmpop(c, 2, true));
        t.add("zrandmember -2 readonly 1 1 1 sorted-set 6.2.0 | Random members, optionally with their scores.",
                this::zrandmember);
        t.add("zscan -3 readonly 1 1 1 sorted-set 2.8.0 | Iterates over the members and scores with a cursor.",
                this::zscan);
    }

    private SortedSetValue zsetAt(Client c, int i) {
        Dict.Entry e = ks.lookup(c, i);
        if (e == null) {
            return null;
        }
        if (e.value instanceof SortedSetValue z) {
            return z;
        }
        throw CommandError.WRONG_TYPE;
    }

    private Dict.Entry member(SortedSetValue z, Client c, int j) {
        return z == null ? null : z.members.find(c.query, c.argOff[j], c.argLen[j], ks.hashArg(c, j));
    }

    // ---- ZADD, ZINCRBY, ZREM ----

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
            z = SortedSetValue.create(ks, c.argLen[j + 1]);
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
                            throw NAN_SCORE;
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
                    z.fit(ks.limits, c.argLen[m]);
                    incrResult = score;
                    added++;
                } else {
                    incrAborted = true;
                }
            }
        } catch (HeapExhausted | CommandError oom) {
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
        if (added + updated > 0) {
            ks.modified(c, 1);
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

    private void zincrby(Client c) {
        double by = ks.argDouble(c, 2);
        long keyHash = ks.hashArg(c, 1);
        Database db = ks.db(c);
        Dict.Entry e = db.lookup(c.query, c.argOff[1], c.argLen[1], keyHash);
        SortedSetValue z;
        if (e == null) {
            z = SortedSetValue.create(ks, c.argLen[3]);
            z.add(ks.copyArg(c, 3), ks.hashArg(c, 3), by);
            z.fit(ks.limits, c.argLen[3]);
            ks.add(c, 1, keyHash, z);
            ks.modified(c, 1);
            c.addDouble(by);
            return;
        }
        if (!(e.value instanceof SortedSetValue existing)) {
            throw CommandError.WRONG_TYPE;
        }
        z = existing;
        Dict.Entry m = member(z, c, 3);
        double score = by;
        if (m != null) {
            score = SortedSetValue.score(m) + by;
            if (Double.isNaN(score)) {
                throw NAN_SCORE;
            }
            z.update(m, score);
        } else {
            z.add(ks.copyArg(c, 3), ks.hashArg(c, 3), score);
            z.fit(ks.limits, c.argLen[3]);
        }
        ks.modified(c, 1);
        c.addDouble(score);
    }

    private void zrem(Client c) {
        Dict.Entry e = ks.lookup(c, 1);
        if (e == null) {
            c.addInteger(0);
            return;
        }
        if (!(e.value instanceof SortedSetValue z)) {
            throw CommandError.WRONG_TYPE;
        }
        long removed = 0;
        for (int j = 2; j < c.argc; j++) {
            Dict.Entry m = member(z, c, j);
            if (m != null) {
                MemorySegment block = m.key;
                z.remove(m);
                ks.blocks.free(block);
                removed++;
            }
        }
        afterRemoval(c, e, z, removed);
        c.addInteger(removed);
    }

    private void afterRemoval(Client c, Dict.Entry e, SortedSetValue z, long removed) {
        if (removed > 0) {
            if (z.size() == 0) {
                ks.db(c).delete(e);
            }
            ks.modified(c, 1);
        }
    }

    // ---- point queries ----

    private void zscore(Client c) {
        Dict.Entry m = member(zsetAt(c, 1), c, 2);
        if (m == null) {
            c.addNull();
        } else {
            c.addDouble(SortedSetValue.score(m));
        }
    }

    private void zmscore(Client c) {
        SortedSetValue z = zsetAt(c, 1);
        c.addArrayHeader(c.argc - 2);
        for (int j = 2; j < c.argc; j++) {
            Dict.Entry m = member(z, c, j);
            if (m == null) {
                c.addNull();
            } else {
                c.addDouble(SortedSetValue.score(m));
            }
        }
    }

    private void zrank(Client c, boolean rev) {
        SortedSetValue z = zsetAt(c, 1);
        Dict.Entry m = member(z, c, 2);
        if (m == null) {
            c.addNull();
            return;
        }
        long rank = z.order.rank((SkipList.Node) m.value);
        c.addInteger(rev ? z.size() - 1 - rank : rank);
    }

    private void zcount(Client c) {
        ZRange.Score range = ZRange.score(c.argString(2), c.argString(3));
        SortedSetValue z = zsetAt(c, 1);
        if (z == null || range.empty()) {
            c.addInteger(0);
            return;
        }
        SkipList.Node first = z.order.firstFrom(range.min(), range.minEx());
        SkipList.Node last = z.order.lastUpTo(range.max(), range.maxEx());
        if (first == null || last == null || !range.belowMax(first.score) || !range.aboveMin(last.score)) {
            c.addInteger(0);
            return;
        }
        c.addInteger(z.order.rank(last) - z.order.rank(first) + 1);
    }

    private void zlexcount(Client c) {
        ZRange.Lex range = ZRange.lex(argBytes(c, 2), argBytes(c, 3));
        SortedSetValue z = zsetAt(c, 1);
        long n = 0;
        if (z != null) {
            for (SkipList.Node node = z.order.first(); node != null; node = SkipList.after(node)) {
                if (range.contains(node.member, ks.blocks)) {
                    n++;
                }
            }
        }
        c.addInteger(n);
    }

    private static byte[] argBytes(Client c, int i) {
        byte[] b = new byte[c.argLen[i]];
        MemorySegment.copy(c.query, java.lang.foreign.ValueLayout.JAVA_BYTE, c.argOff[i], b, 0, b.length);
        return b;
    }

    // ---- ranges ----

    /** The nodes a range selects, in reply order. */
    private List<SkipList.Node> select(SortedSetValue z, int mode, boolean rev, Client c, int startArg, int stopArg,
                                       long offset, long limit) {
        List<SkipList.Node> out = new ArrayList<>();
        if (mode == RANK) {
            long start = ks.argLong(c, startArg);
            long stop = ks.argLong(c, stopArg);
            if (z == null) {
                return out;
            }
            IndexRange range = IndexRange.of(start, stop, z.size());
            if (range == null) {
                return out;
            }
            long n = range.count();
            SkipList.Node node = rev ? z.order.byRank(z.size() - 1 - range.first()) : z.order.byRank(range.first());
            for (long i = 0; i < n && node != null; i++) {
                out.add(node);
                node = rev ? SkipList.before(node) : SkipList.after(node);
            }
            return out;
        }
        if (mode == SCORE) {
            ZRange.Score range = rev ? ZRange.score(c.argString(stopArg), c.argString(startArg))
                    : ZRange.score(c.argString(startArg), c.argString(stopArg));
            if (z == null || offset < 0) {
                return out;
            }
            SkipList.Node node = rev ? z.order.lastUpTo(range.max(), range.maxEx())
                    : z.order.firstFrom(range.min(), range.minEx());
            while (node != null && offset > 0 && (rev ? range.aboveMin(node.score) : range.belowMax(node.score))) {
                node = rev ? SkipList.before(node) : SkipList.after(node);
                offset--;
            }
            while (node != null && limit != 0 && (rev ? range.aboveMin(node.score) : range.belowMax(node.score))) {
                out.add(node);
                limit--;
                node = rev ? SkipList.before(node) : SkipList.after(node);
            }
            return out;
        }
        ZRange.Lex range = rev ? ZRange.lex(argBytes(c, stopArg), argBytes(c, startArg))
                : ZRange.lex(argBytes(c, startArg), argBytes(c, stopArg));
        if (z == null || offset < 0) {
            return out;
        }
        SkipList.Node node = rev ? z.order.last() : z.order.first();
        while (node != null && !(rev ? range.belowMax(node.member, ks.blocks) : range.aboveMin(node.member, ks.blocks))) {
            node = rev ? SkipList.before(node) : SkipList.after(node);
        }
        while (node != null && offset > 0
                && (rev ? range.aboveMin(node.member, ks.blocks) : range.belowMax(node.member, ks.blocks))) {
            node = rev ? SkipList.before(node) : SkipList.after(node);
            offset--;
        }
        while (node != null && limit != 0
                && (rev ? range.aboveMin(node.member, ks.blocks) : range.belowMax(node.member, ks.blocks))) {
            out.add(node);
            limit--;
            node = rev ? SkipList.before(node) : SkipList.after(node);
        }
        return out;
    }

    /** Members, or members and scores: RESP3 gives each pair as an array of two. */
    private static void emit(Client c, List<SkipList.Node> nodes, boolean withScores) {
        if (withScores && c.resp >= 3) {
            c.addArrayHeader(nodes.size());
            for (SkipList.Node n : nodes) {
                c.addArrayHeader(2);
                c.addBulk(n.member);
                c.addDouble(n.score);
            }
            return;
        }
        c.addArrayHeader(withScores ? 2L * nodes.size() : nodes.size());
        for (SkipList.Node n : nodes) {
            c.addBulk(n.member);
            if (withScores) {
                c.addDouble(n.score);
            }
        }
    }

    private void zrangeCommand(Client c, boolean store) {
        int keyArg = store ? 2 : 1;
        int startArg = keyArg + 1;
        int stopArg = keyArg + 2;
        int mode = RANK;
        boolean rev = false;
        boolean withScores = false;
        boolean limitGiven = false;
        long offset = 0;
        long limit = -1;
        for (int j = stopArg + 1; j < c.argc; j++) {
            String opt = c.argString(j).toLowerCase(Locale.ROOT);
            switch (opt) {
                case "withscores" -> {
                    if (store) {
                        throw CommandError.SYNTAX;
                    }
                    withScores = true;
                }
                case "byscore" -> mode = SCORE;
                case "bylex" -> mode = LEX;
                case "rev" -> rev = true;
                case "limit" -> {
                    if (j + 2 >= c.argc) {
                        throw CommandError.SYNTAX;
                    }
                    offset = ks.argLong(c, j + 1);
                    limit = ks.argLong(c, j + 2);
                    limitGiven = true;
                    j += 2;
                }
                default -> throw CommandError.SYNTAX;
            }
        }
        if (limitGiven && mode == RANK) {
            throw new CommandError("ERR syntax error, LIMIT is only supported in combination with either BYSCORE "
                    + "or BYLEX");
        }
        if (withScores && mode == LEX) {
            throw new CommandError("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        }
        SortedSetValue z = zsetAt(c, keyArg);
        List<SkipList.Node> nodes = select(z, mode, rev, c, startArg, stopArg, offset, limit);
        if (store) {
            storeNodes(c, nodes);
        } else {
            emit(c, nodes, withScores);
        }
    }

    private void legacyRange(Client c, int mode, boolean rev) {
        boolean withScores = false;
        long offset = 0;
        long limit = -1;
        for (int j = 4; j < c.argc; j++) {
            String opt = c.argString(j).toLowerCase(Locale.ROOT);
            if (opt.equals("withscores") && mode != LEX) {
                withScores = true;
            } else if (opt.equals("limit") && mode != RANK && j + 2 < c.argc) {
                offset = ks.argLong(c, j + 1);
                limit = ks.argLong(c, j + 2);
                j += 2;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        SortedSetValue z = zsetAt(c, 1);
        // ZREV*BY* take max before min, as ZRANGE ... REV does: select() reads them so.
        emit(c, select(z, mode, rev, c, 2, 3, offset, limit), withScores);
    }

    private void storeNodes(Client c, List<SkipList.Node> nodes) {
        List<Map.Entry<byte[], Double>> items = new ArrayList<>();
        for (SkipList.Node n : nodes) {
            items.add(Map.entry(Values.bytes(n.member), n.score));
        }
        storeResult(c, 1, items);
        c.addInteger(items.size());
    }

    /** Replaces the key in argument {@code destArg} with a sorted set of {@code items} (deleted when empty). */
    private void storeResult(Client c, int destArg, List<Map.Entry<byte[], Double>> items) {
        SortedSetValue out = SortedSetValue.create(ks, items.isEmpty() ? 0 : items.getFirst().getKey().length);
        try {
            for (Map.Entry<byte[], Double> item : items) {
                MemorySegment m = ks.blocks.copyOf(MemorySegment.ofArray(item.getKey()), 0, item.getKey().length);
                out.add(m, ks.blocks.hash(m, 0, m.byteSize()), item.getValue());
                out.fit(ks.limits, m.byteSize());
            }
        } catch (HeapExhausted oom) {
            out.freeAll(ks.blocks);
            throw oom;
        }
        Database db = ks.db(c);
        Dict.Entry dst = ks.lookup(c, destArg);
        if (dst != null) {
            db.delete(dst);
        }
        if (out.size() > 0) {
            ks.add(c, destArg, ks.hashArg(c, destArg), out);
        } else {
            out.freeAll(ks.blocks);
        }
        if (dst != null || out.size() > 0) {
            ks.modified(c, destArg);
        }
    }

    private void zremrange(Client c, int mode) {
        Dict.Entry e = ks.lookup(c, 1);
        SortedSetValue z = null;
        if (e != null) {
            if (!(e.value instanceof SortedSetValue zz)) {
                throw CommandError.WRONG_TYPE;
            }
            z = zz;
        }
        List<SkipList.Node> nodes = select(z, mode, false, c, 2, 3, 0, -1);
        for (SkipList.Node n : nodes) {
            Dict.Entry m = z.entryOf(n);
            MemorySegment block = m.key;
            z.remove(m);
            ks.blocks.free(block);
        }
        if (z != null) {
            afterRemoval(c, e, z, nodes.size());
        }
        c.addInteger(nodes.size());
    }

    // ---- algebra ----

    private static final int UNION = 0;
    private static final int INTER = 1;
    private static final int DIFF = 2;

    /** The members and scores of a sorted set or plain set (score 1) in argument {@code i}, or null if absent. */
    private Map<ByteString, Double> input(Client c, int i) {
        Dict.Entry e = ks.lookup(c, i);
        if (e == null) {
            return null;
        }
        Map<ByteString, Double> out = new LinkedHashMap<>();
        if (e.value instanceof SortedSetValue z) {
            for (SkipList.Node n = z.order.first(); n != null; n = SkipList.after(n)) {
                out.put(ByteString.of(n.member), n.score);
            }
        } else if (e.value instanceof SetValue s) {
            s.members.forEach(m -> out.put(ByteString.of(m.key), 1.0));
        } else {
            throw CommandError.WRONG_TYPE;
        }
        return out;
    }

    private static double combine(String how, double a, double b) {
        double r = switch (how) {
            case "min" -> Math.min(a, b);
            case "max" -> Math.max(a, b);
            default -> a + b;
        };
        return Double.isNaN(r) ? 0 : r;
    }

    private void aggregate(Client c, int op, boolean store) {
        int numkeysArg = store ? 2 : 1;
        long numkeys;
        try {
            numkeys = Long.parseLong(c.argString(numkeysArg));
        } catch (NumberFormatException e) {
            throw CommandError.NOT_INTEGER;
        }
        String name = c.current != null ? c.current.name : "zunion";
        if (numkeys < 1) {
            throw new CommandError("ERR at least 1 input key is needed for '" + name + "' command");
        }
        if (numkeys > c.argc - numkeysArg - 1) {
            throw CommandError.SYNTAX;
        }
        int first = numkeysArg + 1;
        int end = first + (int) numkeys;
        double[] weights = new double[(int) numkeys];
        java.util.Arrays.fill(weights, 1);
        String how = "sum";
        boolean withScores = false;
        for (int j = end; j < c.argc; j++) {
            String opt = c.argString(j).toLowerCase(Locale.ROOT);
            if (opt.equals("weights") && op != DIFF && j + numkeys < c.argc) {
                for (int k = 0; k < numkeys; k++) {
                    try {
                        weights[k] = Double.parseDouble(c.argString(j + 1 + k));
                    } catch (NumberFormatException e) {
                        throw new CommandError("ERR weight value is not a float");
                    }
                    if (Double.isNaN(weights[k])) {
                        throw new CommandError("ERR weight value is not a float");
                    }
                }
                j += (int) numkeys;
            } else if (opt.equals("aggregate") && op != DIFF && j + 1 < c.argc) {
                how = c.argString(++j).toLowerCase(Locale.ROOT);
                if (!how.equals("sum") && !how.equals("min") && !how.equals("max")) {
                    throw CommandError.SYNTAX;
                }
            } else if (opt.equals("withscores") && !store) {
                withScores = true;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        List<Map<ByteString, Double>> inputs = new ArrayList<>();
        for (int j = first; j < end; j++) {
            inputs.add(input(c, j));
        }
        String aggregateBy = how;
        Map<ByteString, Double> result = new LinkedHashMap<>();
        if (op == UNION) {
            for (int k = 0; k < inputs.size(); k++) {
                Map<ByteString, Double> in = inputs.get(k);
                if (in == null) {
                    continue;
                }
                for (Map.Entry<ByteString, Double> m : in.entrySet()) {
                    double s = weighted(m.getValue(), weights[k]);
                    result.merge(m.getKey(), s, (a, b) -> combine(aggregateBy, a, b));
                }
            }
        } else if (op == INTER) {
            boolean anyMissing = inputs.stream().anyMatch(java.util.Objects::isNull);
            if (!anyMissing) {
                Map<ByteString, Double> firstIn = inputs.getFirst();
                outer:
                for (Map.Entry<ByteString, Double> m : firstIn.entrySet()) {
                    double s = weighted(m.getValue(), weights[0]);
                    for (int k = 1; k < inputs.size(); k++) {
                        Double other = inputs.get(k).get(m.getKey());
                        if (other == null) {
                            continue outer;
                        }
                        s = combine(how, s, weighted(other, weights[k]));
                    }
                    result.put(m.getKey(), s);
                }
            }
        } else {
            Map<ByteString, Double> firstIn = inputs.getFirst();
            if (firstIn != null) {
                outer:
                for (Map.Entry<ByteString, Double> m : firstIn.entrySet()) {
                    for (int k = 1; k < inputs.size(); k++) {
                        if (inputs.get(k) != null && inputs.get(k).containsKey(m.getKey())) {
                            continue outer;
                        }
                    }
                    result.put(m.getKey(), m.getValue());
                }
            }
        }
        List<Map.Entry<byte[], Double>> items = new ArrayList<>();
        for (Map.Entry<ByteString, Double> m : result.entrySet()) {
            items.add(Map.entry(m.getKey().bytes, m.getValue()));
        }
        items.sort((a, b) -> {
            int cmp = Double.compare(a.getValue(), b.getValue());
            return cmp != 0 ? cmp : java.util.Arrays.compareUnsigned(a.getKey(), b.getKey());
        });
        if (store) {
            storeResult(c, 1, items);
            c.addInteger(items.size());
            return;
        }
        if (withScores && c.resp >= 3) {
            c.addArrayHeader(items.size());
            for (Map.Entry<byte[], Double> item : items) {
                c.addArrayHeader(2);
                c.addBulkBytes(item.getKey());
                c.addDouble(item.getValue());
            }
            return;
        }
        c.addArrayHeader(withScores ? 2L * items.size() : items.size());
        for (Map.Entry<byte[], Double> item : items) {
            c.addBulkBytes(item.getKey());
            if (withScores) {
                c.addDouble(item.getValue());
            }
        }
    }

    private static double weighted(double score, double weight) {
        double r = score * weight;
        return Double.isNaN(r) ? 0 : r;
    }

    private void zintercard(Client c) {
        long numkeys;
        try {
            numkeys = Long.parseLong(c.argString(1));
        } catch (NumberFormatException e) {
            throw CommandError.NOT_INTEGER;
        }
        if (numkeys <= 0) {
            throw new CommandError("ERR at least 1 input key is needed for 'zintercard' command");
        }
        if (numkeys > c.argc - 2) {
            throw new CommandError("ERR Number of keys can't be greater than number of args");
        }
        int end = 2 + (int) numkeys;
        long limit = TrailingOption.LIMIT.parse(c, end);
        List<Map<ByteString, Double>> inputs = new ArrayList<>();
        for (int j = 2; j < end; j++) {
            inputs.add(input(c, j));
        }
        long n = 0;
        if (inputs.stream().noneMatch(java.util.Objects::isNull)) {
            outer:
            for (ByteString m : inputs.getFirst().keySet()) {
                for (int k = 1; k < inputs.size(); k++) {
                    if (!inputs.get(k).containsKey(m)) {
                        continue outer;
                    }
                }
                n++;
                if (limit > 0 && n >= limit) {
                    break;
                }
            }
        }
        c.addInteger(n);
    }

    // ---- pops ----

    /** Pops up to {@code count} members from {@code z} (key in argument {@code keyArg}), writing them. */
    private void popInto(Client c, Dict.Entry e, SortedSetValue z, boolean min, long count, int keyArg,
                         boolean nested) {
        long n = Math.min(count, z.size());
        if (nested) {
            c.addArrayHeader(n);
        } else {
            c.addArrayHeader(2 * n);
        }
        for (long i = 0; i < n; i++) {
            SkipList.Node node = min ? z.popMin() : z.popMax();
            if (nested) {
                c.addArrayHeader(2);
            }
            c.addBulk(node.member);
            c.addDouble(node.score);
            ks.blocks.free(node.member);
        }
        if (z.size() == 0) {
            ks.db(c).delete(e);
        }
        if (n > 0) {
            ks.modified(c, keyArg);
        }
    }

    private void zpop(Client c, boolean min) {
        if (c.argc > 3) {
            c.addSyntaxError();
            return;
        }
        boolean hasCount = c.argc == 3;
        long count = hasCount ? ks.argCount(c, 2) : 1;
        Dict.Entry e = ks.lookup(c, 1);
        if (e == null) {
            c.addArrayHeader(0);
            return;
        }
        if (!(e.value instanceof SortedSetValue z)) {
            c.addWrongType();
            return;
        }
        popInto(c, e, z, min, count, 1, hasCount && c.resp >= 3);
    }

    private void bzpop(Client c, boolean min) {
        long timeout = Dispatcher.timeoutMillis(c, c.argc - 1);
        for (int j = 1; j < c.argc - 1; j++) {
            Dict.Entry e = ks.lookup(c, j);
            if (e == null) {
                continue;
            }
            if (!(e.value instanceof SortedSetValue z)) {
                if (dispatcher.reprocessingBlocked) {
                    continue;
                }
                throw CommandError.WRONG_TYPE;
            }
            SkipList.Node node = min ? z.popMin() : z.popMax();
            c.addArrayHeader(3);
            c.addArgBulk(j);
            c.addBulk(node.member);
            c.addDouble(node.score);
            ks.blocks.free(node.member);
            if (z.size() == 0) {
                ks.db(c).delete(e);
            }
            ks.modified(c, j);
            return;
        }
        List<ByteString> keys = new ArrayList<>();
        for (int j = 1; j < c.argc - 1; j++) {
            keys.add(ByteString.arg(c, j));
        }
        dispatcher.blockOrAnswer(c, keys, timeout);
    }

    private void zmpop(Client c, int numkeysArg, boolean blocking) {
        long timeout = blocking ? Dispatcher.timeoutMillis(c, 1) : 0;
        long numkeys;
        try {
            numkeys = Long.parseLong(c.argString(numkeysArg));
        } catch (NumberFormatException e) {
            throw new CommandError("ERR numkeys should be greater than 0");
        }
        if (numkeys <= 0) {
            throw new CommandError("ERR numkeys should be greater than 0");
        }
        if (numkeys > c.argc) {
            throw CommandError.SYNTAX;
        }
        int whereArg = numkeysArg + 1 + (int) numkeys;
        if (whereArg >= c.argc) {
            throw CommandError.SYNTAX;
        }
        String where = c.argString(whereArg).toLowerCase(Locale.ROOT);
        if (!where.equals("min") && !where.equals("max")) {
            throw CommandError.SYNTAX;
        }
        boolean min = where.equals("min");
        long count = TrailingOption.COUNT.parse(c, whereArg + 1);
        for (int j = numkeysArg + 1; j < whereArg; j++) {
            Dict.Entry e = ks.lookup(c, j);
            if (e == null) {
                continue;
            }
            if (!(e.value instanceof SortedSetValue z)) {
                if (dispatcher.reprocessingBlocked) {
                    continue;
                }
                throw CommandError.WRONG_TYPE;
            }
            c.addArrayHeader(2);
            c.addArgBulk(j);
            popInto(c, e, z, min, count, j, true);
            return;
        }
        if (!blocking) {
            c.addNullArray();
            return;
        }
        List<ByteString> keys = new ArrayList<>();
        for (int j = numkeysArg + 1; j < whereArg; j++) {
            keys.add(ByteString.arg(c, j));
        }
        dispatcher.blockOrAnswer(c, keys, timeout);
    }

    private void zrandmember(Client c) {
        if (c.argc > 4) {
            throw CommandError.SYNTAX;
        }
        boolean withScores = false;
        if (c.argc == 4) {
            if (!c.argString(3).equalsIgnoreCase("withscores")) {
                throw CommandError.SYNTAX;
            }
            withScores = true;
        }
        boolean hasCount = c.argc >= 3;
        long count = hasCount ? ks.argLong(c, 2) : 1;
        SortedSetValue z = zsetAt(c, 1);
        if (z == null) {
            if (hasCount) {
                c.addArrayHeader(0);
            } else {
                c.addNull();
            }
            return;
        }
        if (!hasCount) {
            c.addBulk(z.members.randomEntry(ks.random).key);
            return;
        }
        List<Dict.Entry> picked = RandomPicks.pick(z.members, count, withScores, ks.random);
        if (withScores && c.resp >= 3) {
            c.addArrayHeader(picked.size());
            for (Dict.Entry m : picked) {
                c.addArrayHeader(2);
                c.addBulk(m.key);
                c.addDouble(SortedSetValue.score(m));
            }
            return;
        }
        c.addArrayHeader(withScores ? 2L * picked.size() : picked.size());
        for (Dict.Entry m : picked) {
            c.addBulk(m.key);
            if (withScores) {
                c.addDouble(SortedSetValue.score(m));
            }
        }
    }

    private void zscan(Client c) {
        KeyCommands.ScanOptions o = KeyCommands.scanOptions(c, 2, false);
        SortedSetValue z = zsetAt(c, 1);
        List<Dict.Entry> found = new ArrayList<>();
        long next = z == null ? 0 : KeyCommands.scanDict(z.members, o, found);
        List<Dict.Entry> kept = new ArrayList<>();
        for (Dict.Entry m : found) {
            if (ScanFilter.matches(ks, o.pattern(), m.key)) {
                kept.add(m);
            }
        }
        c.addArrayHeader(2);
        c.addBulkString(Long.toUnsignedString(next));
        c.addArrayHeader(2L * kept.size());
        for (Dict.Entry m : kept) {
            c.addBulk(m.key);
            c.addDoubleBulk(SortedSetValue.score(m));
        }
    }
}
