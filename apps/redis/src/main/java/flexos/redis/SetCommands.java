package flexos.redis;

import java.util.ArrayList;
import java.util.List;

/** SADD, SPOP (with count), SREM, SCARD, SISMEMBER and SMEMBERS. */
final class SetCommands {

    private final Keyspace ks;

    SetCommands(Keyspace ks) {
        this.ks = ks;
    }

    void register(CommandTable table) {
        table.add("sadd", -3, this::sadd);
        table.add("spop", -2, this::spop);
        table.add("srem", -3, this::srem);
        table.add("scard", 2, c -> {
            SetValue set = ks.valueOf(c, SetValue.class);
            c.addInteger(set == null ? 0 : set.members.size());
        });
        table.add("sismember", 3, this::sismember);
        table.add("smembers", 2, this::smembers);
    }

    private void sadd(Client c) {
        long hash = ks.hashArg(c, 1);
        Database db = ks.db(c);
        Dict.Entry e = db.lookup(c.query, c.argOff[1], c.argLen[1], hash);
        SetValue set;
        boolean created = false;
        if (e == null) {
            set = new SetValue(ks.blocks);
            created = true;
        } else if (e.value instanceof SetValue existing) {
            set = existing;
        } else {
            c.addWrongType();
            return;
        }
        long added = 0;
        try {
            for (int j = 2; j < c.argc; j++) {
                long h = ks.hashArg(c, j);
                if (set.members.find(c.query, c.argOff[j], c.argLen[j], h) == null) {
                    set.members.insert(ks.copyArg(c, j), h);
                    added++;
                }
            }
        } catch (HeapExhausted oom) {
            if (created) {
                set.freeAll(ks.blocks);
            }
            throw oom;
        }
        if (created) {
            ks.add(c, 1, hash, set);
        }
        c.addInteger(added);
    }

    private void spop(Client c) {
        if (c.argc > 3) {
            c.addSyntaxError();
            return;
        }
        boolean hasCount = c.argc == 3;
        long count = hasCount ? ks.argCount(c, 2) : 1;
        Dict.Entry e = ks.lookup(c, 1);
        if (e == null) {
            if (hasCount) {
                c.addArrayHeader(0);
            } else {
                c.addNull();
            }
            return;
        }
        if (!(e.value instanceof SetValue set)) {
            c.addWrongType();
            return;
        }
        if (!hasCount) {
            popOne(c, set);
        } else {
            long n = Math.min(count, set.members.size());
            c.addArrayHeader(n);
            for (long i = 0; i < n; i++) {
                popOne(c, set);
            }
        }
        if (set.members.size() == 0) {
            ks.db(c).delete(e);
        }
    }

    private void popOne(Client c, SetValue set) {
        Dict.Entry m = set.members.randomEntry(ks.random);
        set.members.remove(m.key, m.hash);
        c.addBulk(m.key);
        ks.blocks.free(m.key);
    }

    private void srem(Client c) {
        Dict.Entry e = ks.lookup(c, 1);
        if (e == null) {
            c.addInteger(0);
            return;
        }
        if (!(e.value instanceof SetValue set)) {
            c.addWrongType();
            return;
        }
        long removed = 0;
        for (int j = 2; j < c.argc; j++) {
            Dict.Entry m = set.members.remove(c.query, c.argOff[j], c.argLen[j], ks.hashArg(c, j));
            if (m != null) {
                ks.blocks.free(m.key);
                removed++;
            }
        }
        if (set.members.size() == 0) {
            ks.db(c).delete(e);
        }
        c.addInteger(removed);
    }

    private void sismember(Client c) {
        SetValue set = ks.valueOf(c, SetValue.class);
        boolean member = set != null && set.members.find(c.query, c.argOff[2], c.argLen[2], ks.hashArg(c, 2)) != null;
        c.addInteger(member ? 1 : 0);
    }

    private void smembers(Client c) {
        SetValue set = ks.valueOf(c, SetValue.class);
        if (set == null) {
            c.addArrayHeader(0);
            return;
        }
        List<Dict.Entry> members = new ArrayList<>(set.members.size());
        set.members.forEach(members::add);
        c.addArrayHeader(members.size());
        for (Dict.Entry m : members) {
            c.addBulk(m.key);
        }
    }
}
