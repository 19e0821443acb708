package flexos.redis;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The set commands and the set algebra, with Redis's replies and errors. */
final class SetCommands {

    private final Keyspace ks;

    SetCommands(Keyspace ks) {
        this.ks = ks;
    }

    void register(CommandTable t) {
        t.add("sadd -3 write,denyoom,fast 1 1 1 set 1.0.0 | Adds members to a set; returns how many are new.",
                this::sadd);
        t.add("srem -3 write,fast 1 1 1 set 1.0.0 | Removes members from a set.", this::srem);
        t.add("scard 2 readonly,fast 1 1 1 set 1.0.0 | The number of members of a set.", c -> {
            SetValue set = setAt(c, 1);
            c.addInteger(set == null ? 0 : set.members.size());
        });
        t.add("sismember 3 readonly,fast 1 1 1 set 1.0.0 | Whether a value is a member of a set.",
                c -> c.addInteger(isMember(setAt(c, 1), c, 2) ? 1 : 0));
        t.add("smismember -3 readonly,fast 1 1 1 set 6.2.0 | Whether each value is a member of a set.", c -> {
            SetValue set = setAt(c, 1);
            c.addArrayHeader(c.argc - 2);
            for (int j = 2; j < c.argc; j++) {
                c.addInteger(isMember(set, c, j) ? 1 : 0);
            }
        });
        t.add("smembers 2 readonly 1 1 1 set 1.0.0 | The members of a set.", this::smembers);
        t.add("spop -2 write,fast 1 1 1 set 1.0.0 | Removes and returns random members of a set.", this::spop);
        t.add("srandmember -2 readonly 1 1 1 set 1.0.0 | Random members of a set.", this::srandmember);
        t.add("smove 4 write,fast 1 2 1 set 1.0.0 | Moves a member from one set to another.", this::smove);
        t.add("sinter -2 readonly 1 -1 1 set 1.0.0 | The intersection of sets.", c -> algebra(c, 1, INTER, false));
        t.add("sinterstore -3 write,denyoom 1 -1 1 set 1.0.0 | Stores the intersection of sets in a key.",
                c -> algebra(c, 2, INTER, true));
        t.add("sunion -2 readonly 1 -1 1 set 1.0.0 | The union of sets.", c -> algebra(c, 1, UNION, false));
        t.add("sunionstore -3 write,denyoom 1 -1 1 set 1.0.0 | Stores the union of sets in a key.",
                c -> algebra(c, 2, UNION, true));
        t.add("sdiff -2 readonly 1 -1 1 set 1.0.0 | The members of the first set that are in none of the others.",
                c -> algebra(c, 1, DIFF, false));
        t.add("sdiffstore -3 write,denyoom 1 -1 1 set 1.0.0 | Stores the difference of sets in a key.",
                c -> algebra(c, 2, DIFF, true));
        t.add("sintercard -3 readonly 0 0 1+1 set 7.0.0 | The size of the intersection of sets, optionally "
                + "stopping at a limit.", this::sintercard);
        t.add("sscan -3 readonly 1 1 1 set 2.8.0 | Iterates over the members of a set with a cursor.",
                this::sscan);
    }

    private static final int INTER = 0;
    private static final int UNION = 1;
    private static final int DIFF = 2;

    private SetValue setAt(Client c, int i) {
        Dict.Entry e = ks.lookup(c, i);
        if (e == null) {
            return null;
        }
        if (e.value instanceof SetValue s) {
            return s;
        }
        throw CommandError.WRONG_TYPE;
    }

    private boolean isMember(SetValue set, Client c, int j) {
        return set != null && set.members.find(c.query, c.argOff[j], c.argLen[j], ks.hashArg(c, j)) != null;
    }

    private void sadd(Client c) {
        long hash = ks.hashArg(c, 1);
        Database db = ks.db(c);
        Dict.Entry e = db.lookup(c.query, c.argOff[1], c.argLen[1], hash);
        SetValue set;
        boolean created = false;
        if (e == null) {
            set = SetValue.create(ks, c.query, c.argOff[2], c.argLen[2]);
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
                    set.add(ks.copyArg(c, j), h, ks.limits);
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
        if (added > 0) {
            ks.modified(c, 1);
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
                c.addSetHeader(0);
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
            c.addSetHeader(n);
            for (long i = 0; i < n; i++) {
                popOne(c, set);
            }
        }
        if (set.members.size() == 0) {
            ks.db(c).delete(e);
        }
        if (!hasCount || count > 0) {
            ks.modified(c, 1);
        }
    }

    private void popOne(Client c, SetValue set) {
        Dict.Entry m = set.members.randomEntry(ks.random);
        set.members.remove(m.key, m.hash);
        c.addBulk(m.key);
        ks.blocks.free(m.key);
    }

    private void srandmember(Client c) {
        if (c.argc > 3) {
            c.addSyntaxError();
            return;
        }
        boolean hasCount = c.argc == 3;
        long count = hasCount ? ks.argLong(c, 2) : 1;
        SetValue set = setAt(c, 1);
        if (set == null) {
            if (hasCount) {
                c.addArrayHeader(0);
            } else {
                c.addNull();
            }
            return;
        }
        if (!hasCount) {
            c.addBulk(set.members.randomEntry(ks.random).key);
            return;
        }
        List<Dict.Entry> picked = RandomPicks.pick(set.members, count, false, ks.random);
        c.addArrayHeader(picked.size());
        for (Dict.Entry m : picked) {
            c.addBulk(m.key);
        }
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
        if (removed > 0) {
            ks.modified(c, 1);
        }
        c.addInteger(removed);
    }

    private void smembers(Client c) {
        SetValue set = setAt(c, 1);
        if (set == null) {
            c.addSetHeader(0);
            return;
        }
        List<Dict.Entry> members = new ArrayList<>(set.members.size());
        set.members.forEach(members::add);
        c.addSetHeader(members.size());
        for (Dict.Entry m : members) {
            c.addBulk(m.key);
        }
    }

    private void smove(Client c) {
        SetValue src = setAt(c, 1);
        SetValue dst = setAt(c, 2);
        if (src == null) {
            c.addInteger(0);
            return;
        }
        long h = ks.hashArg(c, 3);
        if (src == dst) {
            c.addInteger(src.members.find(c.query, c.argOff[3], c.argLen[3], h) != null ? 1 : 0);
            return;
        }
        Dict.Entry m = src.members.remove(c.query, c.argOff[3], c.argLen[3], h);
        if (m == null) {
            c.addInteger(0);
            return;
        }
        if (src.members.size() == 0) {
            ks.db(c).delete(ks.lookup(c, 1));
        }
        ks.modified(c, 1);
        if (dst == null) {
            dst = SetValue.create(ks, m.key, 0, m.key.byteSize());
            ks.add(c, 2, ks.hashArg(c, 2), dst);
        }
        if (dst.members.find(m.key, 0, m.key.byteSize(), m.hash) == null) {
            dst.add(m.key, m.hash, ks.limits);
            ks.modified(c, 2);
        } else {
            ks.blocks.free(m.key);
        }
        c.addInteger(1);
    }

    /** The sets of arguments {@code from..argc-1}, {@code null} for missing keys; WRONGTYPE checked first. */
    private List<SetValue> sets(Client c, int from, int to) {
        List<SetValue> out = new ArrayList<>();
        for (int j = from; j < to; j++) {
            out.add(setAt(c, j));
        }
        return out;
    }

    /** The members of the result as (bytes) segments on the heap: they are copied into new blocks on store. */
    private List<MemorySegment> compute(List<SetValue> sets, int op) {
        List<MemorySegment> result = new ArrayList<>();
        if (op == INTER) {
            for (SetValue s : sets) {
                if (s == null) {
                    return result;
                }
            }
            List<SetValue> bySize = new ArrayList<>(sets);
            bySize.sort(Comparator.comparingInt(s -> s.members.size()));
            SetValue smallest = bySize.getFirst();
            smallest.members.forEach(m -> {
                for (int k = 1; k < bySize.size(); k++) {
                    if (bySize.get(k).members.find(m.key, 0, m.key.byteSize(), m.hash) == null) {
                        return;
                    }
                }
                result.add(m.key);
            });
        } else if (op == UNION) {
            Dict seen = new Dict(ks.blocks);
            for (SetValue s : sets) {
                if (s == null) {
                    continue;
                }
                s.members.forEach(m -> {
                    if (seen.find(m.key, 0, m.key.byteSize(), m.hash) == null) {
                        seen.insert(m.key, m.hash);
                        result.add(m.key);
                    }
                });
            }
        } else {
            SetValue first = sets.getFirst();
            if (first == null) {
                return result;
            }
            first.members.forEach(m -> {
                for (int k = 1; k < sets.size(); k++) {
                    SetValue other = sets.get(k);
                    if (other != null && other.members.find(m.key, 0, m.key.byteSize(), m.hash) != null) {
                        return;
                    }
                }
                result.add(m.key);
            });
        }
        return result;
    }

    private void algebra(Client c, int firstSet, int op, boolean store) {
        List<SetValue> sets = sets(c, firstSet, c.argc);
        List<MemorySegment> result = compute(sets, op);
        if (!store) {
            c.addSetHeader(result.size());
            for (MemorySegment m : result) {
                c.addBulk(m);
            }
            return;
        }
        SetValue out = result.isEmpty() ? new SetValue(ks.blocks)
                : SetValue.create(ks, result.getFirst(), 0, result.getFirst().byteSize());
        try {
            for (MemorySegment m : result) {
                out.add(ks.blocks.copyOf(m, 0, m.byteSize()), ks.blocks.hash(m, 0, m.byteSize()), ks.limits);
            }
        } catch (HeapExhausted oom) {
            out.freeAll(ks.blocks);
            throw oom;
        }
        Database db = ks.db(c);
        Dict.Entry dst = ks.lookup(c, 1);
        if (dst != null) {
            db.delete(dst);
        }
        if (out.members.size() > 0) {
            ks.add(c, 1, ks.hashArg(c, 1), out);
        } else {
            out.freeAll(ks.blocks);
        }
        ks.modified(c, 1);
        c.addInteger(result.size());
    }

    private void sintercard(Client c) {
        long numkeys;
        try {
            numkeys = Long.parseLong(c.argString(1));
        } catch (NumberFormatException e) {
            throw new CommandError("ERR numkeys should be greater than 0");
        }
        if (numkeys <= 0) {
            throw new CommandError("ERR numkeys should be greater than 0");
        }
        if (numkeys > c.argc - 2) {
            throw new CommandError("ERR Number of keys can't be greater than number of args");
        }
        int end = 2 + (int) numkeys;
        long limit = TrailingOption.LIMIT.parse(c, end);
        long n = compute(sets(c, 2, end), INTER).size();
        c.addInteger(limit > 0 ? Math.min(limit, n) : n);
    }

    private void sscan(Client c) {
        KeyCommands.ScanOptions o = KeyCommands.scanOptions(c, 2, false);
        SetValue set = setAt(c, 1);
        List<Dict.Entry> found = new ArrayList<>();
        long next = set == null ? 0 : KeyCommands.scanDict(set.members, o, found);
        List<Dict.Entry> kept = new ArrayList<>();
        for (Dict.Entry m : found) {
            if (ScanFilter.matches(ks, o.pattern(), m.key)) {
                kept.add(m);
            }
        }
        c.addArrayHeader(2);
        c.addBulkString(Long.toUnsignedString(next));
        c.addArrayHeader(kept.size());
        for (Dict.Entry m : kept) {
            c.addBulk(m.key);
        }
    }
}
