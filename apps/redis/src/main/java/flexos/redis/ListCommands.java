package flexos.redis;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The list commands, blocking ones included: a blocking pop that finds every key empty blocks the client (see
 * {@link Dispatcher#blockOrAnswer}) and is run again when a push makes one of its keys ready.
 */
final class ListCommands {

    private final ServerContext ctx;
    private final Keyspace ks;
    private final Dispatcher dispatcher;

    ListCommands(ServerContext ctx, Dispatcher dispatcher) {
        this.ctx = ctx;
        this.ks = ctx.ks;
        this.dispatcher = dispatcher;
    }

    void register(CommandTable t) {
        t.add("lpush -3 write,denyoom,fast 1 1 1 list 1.0.0 | Prepends elements to a list.",
                c -> push(c, true, false));
        t.add("rpush -3 write,denyoom,fast 1 1 1 list 1.0.0 | Appends elements to a list.",
                c -> push(c, false, false));
        t.add("lpushx -3 write,denyoom,fast 1 1 1 list 2.2.0 | Prepends elements to a list that exists.",
                c -> push(c, true, true));
        t.add("rpushx -3 write,denyoom,fast 1 1 1 list 2.2.0 | Appends elements to a list that exists.",
                c -> push(c, false, true));
        t.add("lpop -2 write,fast 1 1 1 list 1.0.0 | Removes and returns the first elements of a list.",
                c -> pop(c, true));
        t.add("rpop -2 write,fast 1 1 1 list 1.0.0 | Removes and returns the last elements of a list.",
                c -> pop(c, false));
        t.add("lrange 4 readonly 1 1 1 list 1.0.0 | A range of a list's elements.", this::lrange);
        t.add("llen 2 readonly,fast 1 1 1 list 1.0.0 | The length of a list.", this::llen);
        t.add("lindex 3 readonly 1 1 1 list 1.0.0 | The element of a list at an index.", this::lindex);
        t.add("lset 4 write,denyoom 1 1 1 list 1.0.0 | Sets the element of a list at an index.", this::lset);
        t.add("linsert 5 write,denyoom 1 1 1 list 2.2.0 | Inserts an element before or after another.",
                this::linsert);
        t.add("lrem 4 write 1 1 1 list 1.0.0 | Removes occurrences of an element from a list.", this::lrem);
        t.add("ltrim 4 write 1 1 1 list 1.0.0 | Keeps only a range of a list.", this::ltrim);
        t.add("lpos -3 readonly 1 1 1 list 6.0.6 | The positions of an element in a list.", this::lpos);
        t.add("lmove 5 write,denyoom 1 2 1 list 6.2.0 | Pops an element from one end of a list and pushes it to "
                + "an end of another.", c -> move(c, side(c, 3), side(c, 4), false, 0));
        t.add("rpoplpush 3 write,denyoom 1 2 1 list 1.2.0 | Pops the last element of a list and prepends it to "
                + "another.", c -> move(c, false, true, false, 0));
        t.add("blmove 6 write,denyoom,blocking 1 2 1 list 6.2.0 | LMOVE, waiting for an element if the source "
                + "is empty.", c -> move(c, side(c, 3), side(c, 4), true, Dispatcher.timeoutMillis(c, 5)));
        t.add("brpoplpush 4 write,denyoom,blocking 1 2 1 list 2.2.0 | RPOPLPUSH, waiting for an element if the "
                + "source is empty.", c -> move(c, false, true, true, Dispatcher.timeoutMillis(c, 3)));
        t.add("blpop -3 write,blocking 1 -2 1 list 2.0.0 | Pops the first element of the first non-empty list, "
                + "waiting for one.", c -> bpop(c, true));
        t.add("brpop -3 write,blocking 1 -2 1 list 2.0.0 | Pops the last element of the first non-empty list, "
                + "waiting for one.", c -> bpop(c, false));
        t.add("lmpop -4 write 0 0 1+1 list 7.0.0 | Pops elements from the first non-empty list of several.",
                c -> mpop(c, 1, false));
        t.add("blmpop -5 write,blocking 0 0 1+2 list 7.0.0 | LMPOP, waiting for an element.",
                c -> mpop(c, 2, true));
    }

    private static boolean side(Client c, int i) {
        String s = c.argString(i).toLowerCase(Locale.ROOT);
        if (s.equals("left")) {
            return true;
        }
        if (s.equals("right")) {
            return false;
        }
        throw CommandError.SYNTAX;
    }

    /** The list in argument {@code i}, or {@code null}; WRONGTYPE for another type. */
    private ListValue listAt(Client c, int i) {
        Dict.Entry e = ks.lookup(c, i);
        if (e == null) {
            return null;
        }
        if (e.value instanceof ListValue l) {
            return l;
        }
        throw CommandError.WRONG_TYPE;
    }

    private void push(Client c, boolean head, boolean onlyIfExists) {
        long hash = ks.hashArg(c, 1);
        Database db = ks.db(c);
        Dict.Entry e = db.lookup(c.query, c.argOff[1], c.argLen[1], hash);
        ListValue list;
        if (e == null) {
            if (onlyIfExists) {
                c.addInteger(0);
                return;
            }
            list = ListValue.create(ks);
            try {
                fill(c, list, head);
            } catch (HeapExhausted oom) {
                list.freeAll(ks.blocks);
                throw oom;
            }
            ks.add(c, 1, hash, list);
        } else if (e.value instanceof ListValue existing) {
            list = existing;
            fill(c, list, head);
        } else {
            c.addWrongType();
            return;
        }
        ks.modified(c, 1);
        c.addInteger(list.size());
    }

    private void fill(Client c, ListValue list, boolean head) {
        for (int j = 2; j < c.argc; j++) {
            MemorySegment element = ks.copyArg(c, j);
            if (head) {
                list.pushHead(element);
            } else {
                list.pushTail(element);
            }
        }
    }

    private void pop(Client c, boolean head) {
        if (c.argc > 3) {
            c.addError("ERR wrong number of arguments for '" + (head ? "lpop" : "rpop") + "' command");
            return;
        }
        boolean hasCount = c.argc == 3;
        long count = hasCount ? ks.argCount(c, 2) : 1;
        Dict.Entry e = ks.lookup(c, 1);
        if (e == null) {
            if (hasCount) {
                c.addNullArray();
            } else {
                c.addNull();
            }
            return;
        }
        if (!(e.value instanceof ListValue list)) {
            c.addWrongType();
            return;
        }
        if (hasCount) {
            long n = Math.min(count, list.size());
            c.addArrayHeader(n);
            for (long i = 0; i < n; i++) {
                replyAndFree(c, head ? list.popHead() : list.popTail());
            }
        } else {
            replyAndFree(c, head ? list.popHead() : list.popTail());
        }
        deleteIfEmpty(c, e, list, 1);
    }

    private void deleteIfEmpty(Client c, Dict.Entry e, ListValue list, int keyArg) {
        if (list.size() == 0) {
            ks.db(c).delete(e);
        }
        ks.modified(c, keyArg);
    }

    private void replyAndFree(Client c, MemorySegment element) {
        c.addBulk(element);
        ks.blocks.free(element);
    }

    private void lrange(Client c) {
        long start = ks.argLong(c, 2);
        long end = ks.argLong(c, 3);
        ListValue list = listAt(c, 1);
        if (list == null) {
            c.addArrayHeader(0);
            return;
        }
        IndexRange range = IndexRange.of(start, end, list.size());
        if (range == null) {
            c.addArrayHeader(0);
            return;
        }
        c.addArrayHeader(range.count());
        for (long i = range.first(); i <= range.last(); i++) {
            c.addBulk(list.get((int) i));
        }
    }

    private void llen(Client c) {
        ListValue list = listAt(c, 1);
        c.addInteger(list == null ? 0 : list.size());
    }

    private void lindex(Client c) {
        long index = ks.argLong(c, 2);
        ListValue list = listAt(c, 1);
        if (list == null) {
            c.addNull();
            return;
        }
        if (index < 0) {
            index += list.size();
        }
        if (index < 0 || index >= list.size()) {
            c.addNull();
        } else {
            c.addBulk(list.get((int) index));
        }
    }

    private void lset(Client c) {
        long index = ks.argLong(c, 2);
        ListValue list = listAt(c, 1);
        if (list == null) {
            c.addError("ERR no such key");
            return;
        }
        if (index < 0) {
            index += list.size();
        }
        if (index < 0 || index >= list.size()) {
            c.addError("ERR index out of range");
            return;
        }
        ks.blocks.free(list.set((int) index, ks.copyArg(c, 3)));
        ks.modified(c, 1);
        c.addOk();
    }

    private void linsert(Client c) {
        String where = c.argString(2).toLowerCase(Locale.ROOT);
        boolean after;
        if (where.equals("after")) {
            after = true;
        } else if (where.equals("before")) {
            after = false;
        } else {
            throw CommandError.SYNTAX;
        }
        ListValue list = listAt(c, 1);
        if (list == null) {
            c.addInteger(0);
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            if (ks.blocks.sameBytes(list.get(i), c.query, c.argOff[3], c.argLen[3])) {
                list.insert(after ? i + 1 : i, ks.copyArg(c, 4));
                ks.modified(c, 1);
                c.addInteger(list.size());
                return;
            }
        }
        c.addInteger(-1);
    }

    private void lrem(Client c) {
        long count = ks.argLong(c, 2);
        Dict.Entry e = ks.lookup(c, 1);
        if (e == null) {
            c.addInteger(0);
            return;
        }
        if (!(e.value instanceof ListValue list)) {
            throw CommandError.WRONG_TYPE;
        }
        long removed = 0;
        if (count >= 0) {
            for (int i = 0; i < list.size() && (count == 0 || removed < count); ) {
                if (ks.blocks.sameBytes(list.get(i), c.query, c.argOff[3], c.argLen[3])) {
                    ks.blocks.free(list.removeAt(i));
                    removed++;
                } else {
                    i++;
                }
            }
        } else {
            for (int i = list.size() - 1; i >= 0 && removed < -count; i--) {
                if (ks.blocks.sameBytes(list.get(i), c.query, c.argOff[3], c.argLen[3])) {
                    ks.blocks.free(list.removeAt(i));
                    removed++;
                }
            }
        }
        if (removed > 0) {
            deleteIfEmpty(c, e, list, 1);
        }
        c.addInteger(removed);
    }

    private void ltrim(Client c) {
        long start = ks.argLong(c, 2);
        long end = ks.argLong(c, 3);
        Dict.Entry e = ks.lookup(c, 1);
        if (e == null) {
            c.addOk();
            return;
        }
        if (!(e.value instanceof ListValue list)) {
            throw CommandError.WRONG_TYPE;
        }
        IndexRange range = IndexRange.of(start, end, list.size());
        int keepFirst = range == null ? list.size() : (int) range.first();
        int keepLast = range == null ? -1 : (int) range.last();
        int tail = list.size() - 1 - keepLast;
        for (int i = 0; i < tail && list.size() > 0; i++) {
            ks.blocks.free(list.popTail());
        }
        for (int i = 0; i < keepFirst && list.size() > 0; i++) {
            ks.blocks.free(list.popHead());
        }
        deleteIfEmpty(c, e, list, 1);
        c.addOk();
    }

    private void lpos(Client c) {
        long rank = 1;
        long count = -1;
        long maxlen = 0;
        for (int j = 3; j < c.argc; j++) {
            String opt = c.argString(j).toLowerCase(Locale.ROOT);
            if (j + 1 >= c.argc) {
                throw CommandError.SYNTAX;
            }
            switch (opt) {
                case "rank" -> {
                    rank = ks.argLong(c, ++j);
                    if (rank == 0) {
                        throw new CommandError("ERR RANK can't be zero: use 1 to start from the first match, 2 "
                                + "from the second ... or use negative to start from the end of the list");
                    }
                    if (rank == Long.MIN_VALUE) {
                        throw new CommandError("ERR value is out of range, value must between "
                                + "-9223372036854775807 and 9223372036854775807");
                    }
                }
                case "count" -> {
                    count = ks.argLong(c, ++j);
                    if (count < 0) {
                        throw new CommandError("ERR COUNT can't be negative");
                    }
                }
                case "maxlen" -> {
                    maxlen = ks.argLong(c, ++j);
                    if (maxlen < 0) {
                        throw new CommandError("ERR MAXLEN can't be negative");
                    }
                }
                default -> throw CommandError.SYNTAX;
            }
        }
        ListValue list = listAt(c, 1);
        if (list == null) {
            if (count >= 0) {
                c.addArrayHeader(0);
            } else {
                c.addNull();
            }
            return;
        }
        List<Long> found = new ArrayList<>();
        long want = count == 0 ? Long.MAX_VALUE : count < 0 ? 1 : count;
        long skip = Math.abs(rank) - 1;
        int n = list.size();
        long compared = 0;
        for (int k = 0; k < n && found.size() < want && (maxlen == 0 || compared < maxlen); k++, compared++) {
            int i = rank > 0 ? k : n - 1 - k;
            if (ks.blocks.sameBytes(list.get(i), c.query, c.argOff[2], c.argLen[2])) {
                if (skip > 0) {
                    skip--;
                } else {
                    found.add((long) i);
                }
            }
        }
        if (count >= 0) {
            c.addArrayHeader(found.size());
            for (long i : found) {
                c.addInteger(i);
            }
        } else if (found.isEmpty()) {
            c.addNull();
        } else {
            c.addInteger(found.getFirst());
        }
    }

    /** LMOVE and its blocking and older forms: {@code fromHead}/{@code toHead} choose the ends. */
    private void move(Client c, boolean fromHead, boolean toHead, boolean blocking, long timeout) {
        Dict.Entry src = ks.lookup(c, 1);
        if (src != null && !(src.value instanceof ListValue)) {
            if (blocking && dispatcher.reprocessingBlocked) {
                dispatcher.stillBlocked = true;
                return;
            }
            throw CommandError.WRONG_TYPE;
        }
        Dict.Entry dst = ks.lookup(c, 2);
        if (dst != null && !(dst.value instanceof ListValue)) {
            if (src == null && blocking) {
                // Redis checks the destination only once there is an element to move.
            } else {
                throw CommandError.WRONG_TYPE;
            }
        }
        if (src == null) {
            if (blocking) {
                dispatcher.blockOrAnswer(c, List.of(ByteString.arg(c, 1)), timeout);
            } else {
                c.addNull();
            }
            return;
        }
        ListValue from = (ListValue) src.value;
        MemorySegment element = fromHead ? from.popHead() : from.popTail();
        boolean sameKey = src == dst;
        if (from.size() == 0 && !sameKey) {
            ks.db(c).delete(src);
        }
        ks.modified(c, 1);
        dst = ks.lookup(c, 2);
        ListValue to;
        if (dst == null) {
            to = ListValue.create(ks);
            ks.add(c, 2, ks.hashArg(c, 2), to);
        } else {
            to = (ListValue) dst.value;
        }
        if (toHead) {
            to.pushHead(element);
        } else {
            to.pushTail(element);
        }
        ks.modified(c, 2);
        c.addBulk(element);
    }

    /** BLPOP and BRPOP: keys are arguments 1 to argc-2, the timeout the last. */
    private void bpop(Client c, boolean head) {
        long timeout = Dispatcher.timeoutMillis(c, c.argc - 1);
        for (int j = 1; j < c.argc - 1; j++) {
            Dict.Entry e = ks.lookup(c, j);
            if (e == null) {
                continue;
            }
            if (!(e.value instanceof ListValue list)) {
                if (dispatcher.reprocessingBlocked) {
                    continue;
                }
                throw CommandError.WRONG_TYPE;
            }
            c.addArrayHeader(2);
            c.addArgBulk(j);
            replyAndFree(c, head ? list.popHead() : list.popTail());
            deleteIfEmpty(c, e, list, j);
            return;
        }
        List<ByteString> keys = new ArrayList<>();
        for (int j = 1; j < c.argc - 1; j++) {
            keys.add(ByteString.arg(c, j));
        }
        dispatcher.blockOrAnswer(c, keys, timeout);
    }

    /** LMPOP and BLMPOP: {@code numkeysArg} is where numkeys is. */
    private void mpop(Client c, int numkeysArg, boolean blocking) {
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
        int sideArg = numkeysArg + 1 + (int) Math.min(numkeys, Integer.MAX_VALUE - 16);
        if (numkeys > c.argc || sideArg >= c.argc) {
            throw CommandError.SYNTAX;
        }
        boolean head = side(c, sideArg);
        long count = TrailingOption.COUNT.parse(c, sideArg + 1);
        for (int j = numkeysArg + 1; j < sideArg; j++) {
            Dict.Entry e = ks.lookup(c, j);
            if (e == null) {
                continue;
            }
            if (!(e.value instanceof ListValue list)) {
                if (dispatcher.reprocessingBlocked) {
                    continue;
                }
                throw CommandError.WRONG_TYPE;
            }
            long n = Math.min(count, list.size());
            c.addArrayHeader(2);
            c.addArgBulk(j);
            c.addArrayHeader(n);
            for (long i = 0; i < n; i++) {
                replyAndFree(c, head ? list.popHead() : list.popTail());
            }
            deleteIfEmpty(c, e, list, j);
            return;
        }
        if (!blocking) {
            c.addNullArray();
            return;
        }
        List<ByteString> keys = new ArrayList<>();
        for (int j = numkeysArg + 1; j < sideArg; j++) {
            keys.add(ByteString.arg(c, j));
        }
        dispatcher.blockOrAnswer(c, keys, timeout);
    }
}
