package flexos.redis;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Commands on keys whatever their type: DEL, EXISTS, KEYS, SCAN, TYPE, the EXPIRE/TTL family, RENAME, COPY, MOVE,
 * SWAPDB, RANDOMKEY, TOUCH, OBJECT, DBSIZE and FLUSH*.
 */
final class KeyCommands {

    private static final byte[] NX = {'N', 'X'};
    private static final byte[] XX = {'X', 'X'};
    private static final byte[] GT = {'G', 'T'};
    private static final byte[] LT = {'L', 'T'};
    private static final byte[] ASYNC = {'A', 'S', 'Y', 'N', 'C'};
    private static final byte[] SYNC = {'S', 'Y', 'N', 'C'};

    private final ServerContext ctx;
    private final Keyspace ks;

    KeyCommands(ServerContext ctx, Dispatcher dispatcher) {
        this.ctx = ctx;
        this.ks = ctx.ks;
    }

    void register(CommandTable t) {
        t.add("del -2 write 1 -1 1 generic 1.0.0 | Deletes keys.", this::del);
        t.add("unlink -2 write,fast 1 -1 1 generic 4.0.0 | Deletes keys (the memory is reclaimed at once here).",
                this::del);
        t.add("exists -2 readonly,fast 1 -1 1 generic 1.0.0 | Counts how many of the keys exist.", this::exists);
        t.add("keys 2 readonly 0 0 0 generic 1.0.0 | The keys matching a glob pattern.", this::keys);
        t.add("scan -2 readonly 0 0 0 generic 2.8.0 | Iterates over the keys with a cursor.", this::scan);
        t.add("type 2 readonly,fast 1 1 1 generic 1.0.0 | The type of a key's value.", this::type);
        t.add("expire -3 write,fast 1 1 1 generic 1.0.0 | Sets a key's time to live in seconds.",
                c -> expire(c, 1000, System.currentTimeMillis(), "expire"));
        t.add("pexpire -3 write,fast 1 1 1 generic 2.6.0 | Sets a key's time to live in milliseconds.",
                c -> expire(c, 1, System.currentTimeMillis(), "pexpire"));
        t.add("expireat -3 write,fast 1 1 1 generic 1.2.0 | Sets the Unix time in seconds at which a key expires.",
                c -> expire(c, 1000, 0, "expireat"));
        t.add("pexpireat -3 write,fast 1 1 1 generic 2.6.0 | Sets the Unix time in milliseconds at which a key "
                + "expires.", c -> expire(c, 1, 0, "pexpireat"));
        t.add("ttl 2 readonly,fast 1 1 1 generic 1.0.0 | A key's time to live in seconds.", c -> ttl(c, false));
        t.add("pttl 2 readonly,fast 1 1 1 generic 2.6.0 | A key's time to live in milliseconds.",
                c -> ttl(c, true));
        t.add("expiretime 2 readonly,fast 1 1 1 generic 7.0.0 | The Unix time in seconds at which a key expires.",
                c -> expireTime(c, false));
        t.add("pexpiretime 2 readonly,fast 1 1 1 generic 7.0.0 | The Unix time in milliseconds at which a key "
                + "expires.", c -> expireTime(c, true));
        t.add("persist 2 write,fast 1 1 1 generic 2.2.0 | Removes a key's time to live.", this::persist);
        t.add("rename 3 write 1 2 1 generic 1.0.0 | Renames a key, replacing any key of the new name.",
                c -> rename(c, false));
        t.add("renamenx 3 write,fast 1 2 1 generic 1.0.0 | Renames a key if the new name is not taken.",
                c -> rename(c, true));
        t.add("copy -3 write,denyoom 1 2 1 generic 6.2.0 | Copies a key's value to another key.", this::copy);
        t.add("move 3 write,fast 1 1 1 generic 1.0.0 | Moves a key to another database.", this::move);
        t.add("swapdb 3 write,fast 0 0 0 generic 4.0.0 | Swaps the contents of two databases.", this::swapdb);
        t.add("randomkey 1 readonly 0 0 0 generic 1.0.0 | A random key of the database.", this::randomkey);
        t.add("touch -2 readonly,fast 1 -1 1 generic 3.2.1 | Counts the existing keys and marks them used.",
                this::exists);
        t.add("dbsize 1 readonly,fast 0 0 0 server 1.0.0 | The number of keys in the database.",
                c -> c.addInteger(ks.db(c).size()));
        t.add("flushdb -1 write 0 0 0 server 1.0.0 | Deletes every key of the database.", c -> flush(c, false));
        t.add("flushall -1 write 0 0 0 server 1.0.0 | Deletes every key of every database.", c -> flush(c, true));
        t.add("memory -2 - 0 0 0 server 4.0.0 | A container for memory introspection commands.", null);
        t.addSub("memory", "usage -3 readonly 2 2 1 server 4.0.0 | The bytes of the compartment heap a key and its "
                + "value take (their blocks' sizes).", this::memoryUsage);
        t.addSub("memory", "help 2 loading,stale 0 0 0 server 4.0.0 | Shows the MEMORY subcommands.",
                c -> Help.reply(c, "MEMORY", List.of("USAGE <key> [SAMPLES <count>]",
                        "    Return memory in bytes used by <key> and its value.")));
        t.add("object -2 - 0 0 0 generic 2.2.3 | A container for commands that inspect how a value is stored.",
                null);
        t.addSub("object", "encoding 3 readonly 2 2 1 generic 2.2.3 | How a key's value is stored.",
                c -> objectInfo(c, "encoding"));
        t.addSub("object", "refcount 3 readonly 2 2 1 generic 2.2.3 | How many references a key's value has: "
                + "always 1, values are never shared here.", c -> objectInfo(c, "refcount"));
        t.addSub("object", "idletime 3 readonly 2 2 1 generic 2.2.3 | Seconds since a key was last used.",
                c -> objectInfo(c, "idletime"));
        t.addSub("object", "freq 3 readonly 2 2 1 generic 4.0.0 | A key's access frequency (only with an LFU "
                + "maxmemory-policy, which this server does not have).", c -> objectInfo(c, "freq"));
        t.addSub("object", "help 2 loading,stale 0 0 0 generic 6.2.0 | Shows the OBJECT subcommands.",
                c -> Help.reply(c, "OBJECT", List.of("ENCODING <key>",
                        "    Return the kind of internal representation used in order to store the value",
                        "    associated with a <key>.", "FREQ <key>",
                        "    Return the access frequency index of the <key>. The returned integer is",
                        "    proportional to the logarithm of the recent access frequency of the key.",
                        "IDLETIME <key>", "    Return the idle time of the <key>, that is the approximated",
                        "    number of seconds elapsed since the last access to the key.", "REFCOUNT <key>",
                        "    Return the number of references of the value associated with the specified",
                        "    <key>.")));
    }

    private void del(Client c) {
        long deleted = 0;
        for (int j = 1; j < c.argc; j++) {
            Dict.Entry e = ks.lookup(c, j);
            if (e != null) {
                ks.db(c).delete(e);
                ks.modified(c, j);
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
        boolean all = pLen == 1 && q.get(java.lang.foreign.ValueLayout.JAVA_BYTE, pOff) == '*';
        List<MemorySegment> matched = new ArrayList<>();
        ks.db(c).keys.forEach(e -> {
            if (!Database.expired(e, now) && (all || ctx.patterns.fnmatch(q, pOff, pLen, e.key, 0, e.key.byteSize()))) {
                matched.add(e.key);
            }
        });
        c.addArrayHeader(matched.size());
        for (MemorySegment key : matched) {
            c.addBulk(key);
        }
    }

    /** The parsed options of a SCAN-family command: MATCH, COUNT and (SCAN only) TYPE. */
    record ScanOptions(long cursor, byte[] pattern, long count, String type) {
    }

    /** Parses {@code cursor [MATCH p] [COUNT n] [TYPE t]} starting at argument {@code at}. */
    static ScanOptions scanOptions(Client c, int at, boolean typeAllowed) {
        long cursor;
        try {
            cursor = Long.parseUnsignedLong(c.argString(at));
        } catch (NumberFormatException e) {
            throw new CommandError("ERR invalid cursor");
        }
        byte[] pattern = null;
        long count = 10;
        String type = null;
        for (int j = at + 1; j < c.argc; j += 2) {
            String opt = c.argString(j).toLowerCase(Locale.ROOT);
            if (j + 1 >= c.argc) {
                throw CommandError.SYNTAX;
            }
            switch (opt) {
                case "count" -> {
                    try {
                        count = Long.parseLong(c.argString(j + 1));
                    } catch (NumberFormatException e) {
                        throw CommandError.NOT_INTEGER;
                    }
                    if (count < 1) {
                        throw CommandError.SYNTAX;
                    }
                }
                case "match" -> pattern = c.argString(j + 1).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                case "type" -> {
                    if (!typeAllowed) {
                        throw CommandError.SYNTAX;
                    }
                    type = c.argString(j + 1).toLowerCase(Locale.ROOT);
                }
                default -> throw CommandError.SYNTAX;
            }
        }
        return new ScanOptions(cursor, pattern, count, type);
    }

    /** Scans {@code dict} from the options' cursor; returns the next cursor and fills {@code out}. */
    static long scanDict(Dict dict, ScanOptions o, List<Dict.Entry> out) {
        long cursor = o.cursor();
        long maxIterations = o.count() * 10;
        do {
            cursor = dict.scan(cursor, out::add);
        } while (cursor != 0 && maxIterations-- > 0 && out.size() < o.count());
        return cursor;
    }

    boolean matches(byte[] pattern, MemorySegment s) {
        return pattern == null || (pattern.length == 1 && pattern[0] == '*')
                || ctx.patterns.fnmatch(MemorySegment.ofArray(pattern), 0, pattern.length, s, 0, s.byteSize());
    }

    private void scan(Client c) {
        ScanOptions o = scanOptions(c, 1, true);
        List<Dict.Entry> found = new ArrayList<>();
        Database db = ks.db(c);
        long next = scanDict(db.keys, o, found);
        long now = System.currentTimeMillis();
        List<MemorySegment> keys = new ArrayList<>();
        List<Dict.Entry> expired = new ArrayList<>();
        for (Dict.Entry e : found) {
            if (Database.expired(e, now)) {
                expired.add(e);
                continue;
            }
            if (o.type() != null && !typeName(e.value).equals(o.type())) {
                continue;
            }
            if (matches(o.pattern(), e.key)) {
                keys.add(e.key);
            }
        }
        c.addArrayHeader(2);
        c.addBulkString(Long.toUnsignedString(next));
        c.addArrayHeader(keys.size());
        for (MemorySegment key : keys) {
            c.addBulk(key);
        }
        for (Dict.Entry e : expired) {
            db.expire(e);
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

    /** Redis's {@code expireGenericCommand}: a time in {@code unit} ms from {@code base}, with NX/XX/GT/LT. */
    private void expire(Client c, long unit, long base, String name) {
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
        CommandError invalid = new CommandError("ERR invalid expire time in '" + name + "' command");
        if (when > Long.MAX_VALUE / unit || when < Long.MIN_VALUE / unit) {
            throw invalid;
        }
        when *= unit;
        if ((when > 0 && base > Long.MAX_VALUE - when) || (when < 0 && base < Long.MIN_VALUE - when)) {
            throw invalid;
        }
        when += base;
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
        if (when <= System.currentTimeMillis()) {
            ks.db(c).delete(e);
        } else {
            ks.db(c).setExpiry(e, when);
        }
        ks.modified(c, 1);
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

    private void expireTime(Client c, boolean millis) {
        Dict.Entry e = ks.lookup(c, 1);
        if (e == null) {
            c.addInteger(-2);
        } else if (e.aux == Database.NO_EXPIRY) {
            c.addInteger(-1);
        } else {
            c.addInteger(millis ? e.aux : e.aux / 1000);
        }
    }

    private void persist(Client c) {
        Dict.Entry e = ks.lookup(c, 1);
        if (e != null && ks.db(c).persist(e)) {
            ks.modified(c, 1);
            c.addInteger(1);
        } else {
            c.addInteger(0);
        }
    }

    private void rename(Client c, boolean nx) {
        Dict.Entry src = ks.lookup(c, 1);
        if (src == null) {
            c.addError("ERR no such key");
            return;
        }
        boolean same = c.argLen[1] == c.argLen[2] && ks.blocks.sameBytes(src.key, c.query, c.argOff[2], c.argLen[2]);
        if (same) {
            if (nx) {
                c.addInteger(0);
            } else {
                c.addOk();
            }
            return;
        }
        Database db = ks.db(c);
        Dict.Entry dst = ks.lookup(c, 2);
        if (dst != null) {
            if (nx) {
                c.addInteger(0);
                return;
            }
        }
        if (dst != null) {
            db.delete(dst);
        }
        Object value = src.value;
        long expiry = src.aux;
        db.unlink(src);
        Dict.Entry moved = db.add(c.query, c.argOff[2], c.argLen[2], ks.hashArg(c, 2), value);
        if (expiry != Database.NO_EXPIRY) {
            db.setExpiry(moved, expiry);
        }
        ks.modified(c, 1);
        ks.modified(c, 2);
        if (nx) {
            c.addInteger(1);
        } else {
            c.addOk();
        }
    }

    private int dbIndex(Client c, int i) {
        long index;
        try {
            index = Long.parseLong(c.argString(i));
        } catch (NumberFormatException e) {
            throw CommandError.NOT_INTEGER;
        }
        if (index < 0 || index >= Keyspace.DATABASES) {
            throw new CommandError("ERR DB index is out of range");
        }
        return (int) index;
    }

    private void copy(Client c) {
        int targetDb = c.db;
        boolean replace = false;
        for (int j = 3; j < c.argc; j++) {
            String opt = c.argString(j).toLowerCase(Locale.ROOT);
            if (opt.equals("replace")) {
                replace = true;
            } else if (opt.equals("db") && j + 1 < c.argc) {
                targetDb = dbIndex(c, ++j);
            } else {
                throw CommandError.SYNTAX;
            }
        }
        boolean sameKey = c.argLen[1] == c.argLen[2]
                && java.util.Arrays.equals(Values.bytes(c.query.asSlice(c.argOff[1], c.argLen[1])),
                Values.bytes(c.query.asSlice(c.argOff[2], c.argLen[2])));
        if (sameKey && targetDb == c.db) {
            c.addError("ERR source and destination objects are the same");
            return;
        }
        Dict.Entry src = ks.lookup(c, 1);
        if (src == null) {
            c.addInteger(0);
            return;
        }
        Database dst = ks.databases[targetDb];
        long hash = ks.hashArg(c, 2);
        Dict.Entry existing = dst.lookup(c.query, c.argOff[2], c.argLen[2], hash);
        if (existing != null && !replace) {
            c.addInteger(0);
            return;
        }
        Object copy = ValueCopy.duplicate(src.value, ks);
        if (existing != null) {
            dst.delete(existing);
        }
        Dict.Entry added;
        try {
            added = dst.add(c.query, c.argOff[2], c.argLen[2], hash, copy);
        } catch (HeapExhausted e) {
            dst.freeValue(copy);
            throw e;
        }
        if (src.aux != Database.NO_EXPIRY) {
            dst.setExpiry(added, src.aux);
        }
        ks.modified(targetDb, added.key);
        c.addInteger(1);
    }

    private void move(Client c) {
        int target;
        try {
            target = dbIndex(c, 2);
        } catch (CommandError e) {
            if (e == CommandError.NOT_INTEGER) {
                throw e;
            }
            c.addError("ERR DB index is out of range");
            return;
        }
        if (target == c.db) {
            c.addError("ERR source and destination objects are the same");
            return;
        }
        Dict.Entry src = ks.lookup(c, 1);
        if (src == null) {
            c.addInteger(0);
            return;
        }
        Database dst = ks.databases[target];
        long hash = ks.hashArg(c, 1);
        if (dst.lookup(c.query, c.argOff[1], c.argLen[1], hash) != null) {
            c.addInteger(0);
            return;
        }
        Object value = src.value;
        long expiry = src.aux;
        Dict.Entry moved = dst.add(c.query, c.argOff[1], c.argLen[1], hash, value);
        ks.db(c).unlink(src);
        if (expiry != Database.NO_EXPIRY) {
            dst.setExpiry(moved, expiry);
        }
        ks.modified(c, 1);
        ks.modified(target, moved.key);
        c.addInteger(1);
    }

    private void swapdb(Client c) {
        int a;
        int b;
        try {
            a = Integer.parseInt(c.argString(1));
        } catch (NumberFormatException e) {
            c.addError("ERR invalid first DB index");
            return;
        }
        try {
            b = Integer.parseInt(c.argString(2));
        } catch (NumberFormatException e) {
            c.addError("ERR invalid second DB index");
            return;
        }
        if (a < 0 || a >= Keyspace.DATABASES || b < 0 || b >= Keyspace.DATABASES) {
            c.addError("ERR DB index is out of range");
            return;
        }
        if (a != b) {
            touchWatchersOf(a);
            touchWatchersOf(b);
            ks.databases[a].swapWith(ks.databases[b]);
            touchWatchersOf(a);
            touchWatchersOf(b);
            ks.observers.allBlockedReady(a);
            ks.observers.allBlockedReady(b);
            ks.dirty++;
        }
        c.addOk();
    }

    private void touchWatchersOf(int db) {
        if (!ks.observers.anyWatched()) {
            return;
        }
        Database d = ks.databases[db];
        ks.observers.touchAll(db, key -> {
            MemorySegment k = key.segment();
            return d.peek(k, 0, k.byteSize(), ks.blocks.hash(k, 0, k.byteSize())) != null;
        });
    }

    private void randomkey(Client c) {
        Database db = ks.db(c);
        long now = System.currentTimeMillis();
        for (int tries = 0; tries < 100 && db.size() > 0; tries++) {
            Dict.Entry e = db.keys.randomEntry(ks.random);
            if (Database.expired(e, now)) {
                db.expire(e);
                continue;
            }
            c.addBulk(e.key);
            return;
        }
        c.addNull();
    }

    private void flush(Client c, boolean all) {
        if (c.argc > 2 || (c.argc == 2 && !c.argIs(1, ASYNC) && !c.argIs(1, SYNC))) {
            c.addSyntaxError();
            return;
        }
        if (all) {
            for (int i = 0; i < Keyspace.DATABASES; i++) {
                touchWatchersOf(i);
                ks.dirty += ks.databases[i].size();
            }
            ks.flushAll();
        } else {
            touchWatchersOf(c.db);
            ks.dirty += ks.db(c).size();
            ks.db(c).flush();
        }
        c.addOk();
    }

    private void memoryUsage(Client c) {
        if (c.argc != 3 && !(c.argc == 5 && c.argString(3).equalsIgnoreCase("samples"))) {
            throw CommandError.SYNTAX;
        }
        if (c.argc == 5) {
            ks.argLong(c, 4);
        }
        Database db = ks.db(c);
        Dict.Entry e = db.lookup(c.query, c.argOff[2], c.argLen[2], ks.hashArg(c, 2));
        if (e == null) {
            c.addNull();
            return;
        }
        long[] bytes = {e.key.byteSize()};
        switch (e.value) {
            case MemorySegment s -> bytes[0] += s.byteSize();
            case ListValue l -> {
                for (int i = 0; i < l.size(); i++) {
                    bytes[0] += l.get(i).byteSize();
                }
            }
            case SetValue s -> s.members.forEach(m -> bytes[0] += m.key.byteSize());
            case HashValue h -> h.fields.forEach(f -> bytes[0] += f.key.byteSize()
                    + ((MemorySegment) f.value).byteSize());
            case SortedSetValue z -> z.members.forEach(m -> bytes[0] += m.key.byteSize() + 8);
            default -> { }
        }
        c.addInteger(bytes[0]);
    }

    /** OBJECT ENCODING names the structure this server really stores the value in. */
    static String encoding(Object value) {
        return switch (value) {
            case MemorySegment s -> "raw";
            case ListValue l -> "quicklist";
            case SetValue s -> s.encoding();
            case HashValue h -> h.encoding();
            case SortedSetValue z -> z.encoding();
            default -> "unknown";
        };
    }

    private void objectInfo(Client c, String what) {
        Database db = ks.db(c);
        Dict.Entry e = db.peek(c.query, c.argOff[2], c.argLen[2], ks.hashArg(c, 2));
        if (e != null && Database.expired(e, System.currentTimeMillis())) {
            db.expire(e);
            e = null;
        }
        if (e == null) {
            c.addNull();
            return;
        }
        switch (what) {
            case "encoding" -> c.addBulkString(encoding(e.value));
            case "refcount" -> c.addInteger(1);
            case "idletime" -> c.addInteger(Math.max(0, LruClock.now - e.lru));
            default -> c.addError("ERR An LFU maxmemory policy is not selected, access frequency not tracked. "
                    + "Please note that when switching between policies at runtime LRU and LFU data will take "
                    + "some time to adjust.");
        }
    }
}
