package flexos.redis;

import flexos.libc.api.PatternRoutines;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/** Commands on keys whatever their type: DEL, EXISTS, KEYS, TYPE, the EXPIRE/TTL family, SELECT, DBSIZE, FLUSH*. */
final class KeyCommands {

    private static final byte[] NX = {'N', 'X'};
    private static final byte[] XX = {'X', 'X'};
    private static final byte[] GT = {'G', 'T'};
    private static final byte[] LT = {'L', 'T'};
    private static final byte[] ASYNC = {'A', 'S', 'Y', 'N', 'C'};
    private static final byte[] SYNC = {'S', 'Y', 'N', 'C'};

    private final Keyspace ks;
    private final PatternRoutines patterns;

    KeyCommands(Keyspace ks, PatternRoutines patterns) {
        this.ks = ks;
        this.patterns = patterns;
    }

    void register(CommandTable table) {
        table.add("del", -2, this::del);
        table.add("unlink", -2, this::del);
        table.add("exists", -2, this::exists);
        table.add("keys", 2, this::keys);
        table.add("type", 2, this::type);
        table.add("expire", -3, c -> expire(c, true, "expire"));
        table.add("pexpire", -3, c -> expire(c, false, "pexpire"));
        table.add("ttl", 2, c -> ttl(c, false));
        table.add("pttl", 2, c -> ttl(c, true));
        table.add("persist", 2, this::persist);
        table.add("select", 2, this::select);
        table.add("dbsize", 1, c -> c.addInteger(ks.db(c).size()));
        table.add("flushdb", -1, c -> flush(c, false));
        table.add("flushall", -1, c -> flush(c, true));
    }

    private void del(Client c) {
        long deleted = 0;
        for (int j = 1; j < c.argc; j++) {
            Dict.Entry e = ks.lookup(c, j);
            if (e != null) {
                ks.db(c).delete(e);
                deleted++;
            }
        }
        c.addInteger(deleted);
    }

    private void exists(Client c) {
        long found = 0;
        for (int j = 1; j < c.argc; j++) {
            if (ks.lookup(c, j) != null) {
                found++;
            }
        }
        c.addInteger(found);
    }

    private void keys(Client c) {
        long now = System.currentTimeMillis();
        MemorySegment q = c.query;
        long pOff = c.argOff[1];
        long pLen = c.argLen[1];
        List<MemorySegment> matched = new ArrayList<>();
        ks.db(c).keys.forEach(e -> {
            boolean live = e.aux == Database.NO_EXPIRY || e.aux > now;
            if (live && patterns.fnmatch(q, pOff, pLen, e.key, 0, e.key.byteSize())) {
                matched.add(e.key);
            }
        });
        c.addArrayHeader(matched.size());
        for (MemorySegment key : matched) {
            c.addBulk(key);
        }
    }

    static String typeName(Object value) {
        return switch (value) {
            case MemorySegment s -> "string";
            case ListValue l -> "list";
            case SetValue s -> "set";
            case HashValue h -> "hash";
            case SortedSetValue z -> "zset";
            default -> "none";
        };
    }

    private void type(Client c) {
        Dict.Entry e = ks.lookup(c, 1);
        c.addStatus(e == null ? "none" : typeName(e.value));
    }

    private static final int FLAG_NX = 1;
    private static final int FLAG_XX = 2;
    private static final int FLAG_GT = 4;
    private static final int FLAG_LT = 8;

    /** Redis's {@code expireGenericCommand}: relative seconds or milliseconds, with NX/XX/GT/LT conditions. */
    private void expire(Client c, boolean seconds, String name) {
        int flags = 0;
        for (int j = 3; j < c.argc; j++) {
            if (c.argIs(j, NX)) {
                flags |= FLAG_NX;
            } else if (c.argIs(j, XX)) {
                flags |= FLAG_XX;
            } else if (c.argIs(j, GT)) {
                flags |= FLAG_GT;
            } else if (c.argIs(j, LT)) {
                flags |= FLAG_LT;
            } else {
                c.addError("ERR Unsupported option " + c.argString(j));
                return;
            }
        }
        if ((flags & FLAG_NX) != 0 && (flags & (FLAG_XX | FLAG_GT | FLAG_LT)) != 0) {
            c.addError("ERR NX and XX, GT or LT options at the same time are not compatible");
            return;
        }
        if ((flags & FLAG_GT) != 0 && (flags & FLAG_LT) != 0) {
            c.addError("ERR GT and LT options at the same time are not compatible");
            return;
        }
        long when = ks.argLong(c, 2);
        long now = System.currentTimeMillis();
        if (seconds) {
            if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) {
                c.addError("ERR invalid expire time in '" + name + "' command");
                return;
            }
            when *= 1000;
        }
        if (when > Long.MAX_VALUE - now) {
            c.addError("ERR invalid expire time in '" + name + "' command");
            return;
        }
        when += now;
        Dict.Entry e = ks.lookup(c, 1);
        if (e == null) {
            c.addInteger(0);
            return;
        }
        long current = e.aux;
        boolean hasTtl = current != Database.NO_EXPIRY;
        if (((flags & FLAG_NX) != 0 && hasTtl)
                || ((flags & FLAG_XX) != 0 && !hasTtl)
                || ((flags & FLAG_GT) != 0 && (!hasTtl || when <= current))
                || ((flags & FLAG_LT) != 0 && hasTtl && when >= current)) {
            c.addInteger(0);
            return;
        }
        if (when <= now) {
            ks.db(c).delete(e);
        } else {
            ks.db(c).setExpiry(e, when);
        }
        c.addInteger(1);
    }

    private void ttl(Client c, boolean millis) {
        Dict.Entry e = ks.lookup(c, 1);
        if (e == null) {
            c.addInteger(-2);
        } else if (e.aux == Database.NO_EXPIRY) {
            c.addInteger(-1);
        } else {
            long left = Math.max(0, e.aux - System.currentTimeMillis());
            c.addInteger(millis ? left : (left + 500) / 1000);
        }
    }

    private void persist(Client c) {
        Dict.Entry e = ks.lookup(c, 1);
        c.addInteger(e != null && ks.db(c).persist(e) ? 1 : 0);
    }

    private void select(Client c) {
        long index = ks.argLong(c, 1);
        if (index < Integer.MIN_VALUE || index > Integer.MAX_VALUE) {
            throw CommandError.NOT_INTEGER;
        }
        if (index < 0 || index >= Keyspace.DATABASES) {
            c.addError("ERR DB index is out of range");
            return;
        }
        c.db = (int) index;
        c.addOk();
    }

    private void flush(Client c, boolean all) {
        if (c.argc > 2 || (c.argc == 2 && !c.argIs(1, ASYNC) && !c.argIs(1, SYNC))) {
            c.addSyntaxError();
            return;
        }
        if (all) {
            ks.flushAll();
        } else {
            ks.db(c).flush();
        }
        c.addOk();
    }
}
