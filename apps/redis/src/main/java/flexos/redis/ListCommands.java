package flexos.redis;

import java.lang.foreign.MemorySegment;

/** LPUSH, RPUSH, LPOP, RPOP (with count), LRANGE, LLEN and LINDEX. */
final class ListCommands {

    private final Keyspace ks;

    ListCommands(Keyspace ks) {
        this.ks = ks;
    }

    void register(CommandTable table) {
        table.add("lpush", -3, c -> push(c, true));
        table.add("rpush", -3, c -> push(c, false));
        table.add("lpop", -2, c -> pop(c, true));
        table.add("rpop", -2, c -> pop(c, false));
        table.add("lrange", 4, this::lrange);
        table.add("llen", 2, this::llen);
        table.add("lindex", 3, this::lindex);
    }

    private void push(Client c, boolean head) {
        long hash = ks.hashArg(c, 1);
        Database db = ks.db(c);
        Dict.Entry e = db.lookup(c.query, c.argOff[1], c.argLen[1], hash);
        ListValue list;
        if (e == null) {
            list = new ListValue();
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
        if (list.size() == 0) {
            ks.db(c).delete(e);
        }
    }

    private void replyAndFree(Client c, MemorySegment element) {
        c.addBulk(element);
        ks.blocks.free(element);
    }

    private void lrange(Client c) {
        long start = ks.argLong(c, 2);
        long end = ks.argLong(c, 3);
        ListValue list = ks.valueOf(c, ListValue.class);
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
        ListValue list = ks.valueOf(c, ListValue.class);
        c.addInteger(list == null ? 0 : list.size());
    }

    private void lindex(Client c) {
        long index = ks.argLong(c, 2);
        ListValue list = ks.valueOf(c, ListValue.class);
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
}
