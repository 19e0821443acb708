package flexos.redis;

import java.lang.foreign.MemorySegment;

/** GET, SET (with its options), MSET, MGET, STRLEN, APPEND and the INCR family, with Redis's replies and errors. */
final class StringCommands {

    private static final byte[] NX = {'N', 'X'};
    private static final byte[] XX = {'X', 'X'};
    private static final byte[] GET = {'G', 'E', 'T'};
    private static final byte[] KEEPTTL = {'K', 'E', 'E', 'P', 'T', 'T', 'L'};
    private static final byte[] EX = {'E', 'X'};
    private static final byte[] PX = {'P', 'X'};
    private static final byte[] EXAT = {'E', 'X', 'A', 'T'};
    private static final byte[] PXAT = {'P', 'X', 'A', 'T'};

    private static final CommandError INVALID_SET_EXPIRE = new CommandError("ERR invalid expire time in 'set' command");
    private static final CommandError OVERFLOW = new CommandError("ERR increment or decrement would overflow");

    private final Keyspace ks;

    StringCommands(Keyspace ks) {
        this.ks = ks;
    }

    void register(CommandTable table) {
        table.add("get", 2, this::get);
        table.add("set", -3, this::set);
        table.add("mset", -3, this::mset);
        table.add("mget", -2, this::mget);
        table.add("strlen", 2, this::strlen);
        table.add("append", 3, this::append);
        table.add("incr", 2, c -> incrBy(c, 1));
        table.add("decr", 2, c -> incrBy(c, -1));
        table.add("incrby", 3, c -> incrBy(c, ks.argLong(c, 2)));
        table.add("decrby", 3, c -> {
            long by = ks.argLong(c, 2);
            if (by == Long.MIN_VALUE) {
                throw new CommandError("ERR decrement would overflow");
            }
            incrBy(c, -by);
        });
    }

    private void get(Client c) {
        Dict.Entry e = ks.lookup(c, 1);
        if (e == null) {
            c.addNull();
        } else if (e.value instanceof MemorySegment s) {
            c.addBulk(s);
        } else {
            c.addWrongType();
        }
    }

    private static final int FLAG_NX = 1;
    private static final int FLAG_XX = 2;
    private static final int FLAG_GET = 4;
    private static final int FLAG_KEEPTTL = 8;
    private static final int FLAG_EX = 16;
    private static final int FLAG_PX = 32;
    private static final int FLAG_EXAT = 64;
    private static final int FLAG_PXAT = 128;
    private static final int ANY_EXPIRE = FLAG_EX | FLAG_PX | FLAG_EXAT | FLAG_PXAT;

    private void set(Client c) {
        int flags = 0;
        int expireArg = -1;
        for (int j = 3; j < c.argc; j++) {
            boolean hasNext = j + 1 < c.argc;
            if (c.argIs(j, NX) && (flags & FLAG_XX) == 0) {
                flags |= FLAG_NX;
            } else if (c.argIs(j, XX) && (flags & FLAG_NX) == 0) {
                flags |= FLAG_XX;
            } else if (c.argIs(j, GET)) {
                flags |= FLAG_GET;
            } else if (c.argIs(j, KEEPTTL) && (flags & ANY_EXPIRE) == 0) {
                flags |= FLAG_KEEPTTL;
            } else if (hasNext && (flags & (ANY_EXPIRE | FLAG_KEEPTTL)) == 0 && expireOption(c, j) != 0) {
                flags |= expireOption(c, j);
                expireArg = ++j;
            } else {
                c.addSyntaxError();
                return;
            }
        }
        long expireAt = Database.NO_EXPIRY;
        if (expireArg >= 0) {
            expireAt = expireTime(c, expireArg, flags);
        }
        long hash = ks.hashArg(c, 1);
        Database db = ks.db(c);
        Dict.Entry e = db.lookup(c.query, c.argOff[1], c.argLen[1], hash);
        if ((flags & FLAG_GET) != 0) {
            if (e == null) {
                c.addNull();
            } else if (e.value instanceof MemorySegment old) {
                c.addBulk(old);
            } else {
                c.addWrongType();
                return;
            }
        }
        if (((flags & FLAG_NX) != 0 && e != null) || ((flags & FLAG_XX) != 0 && e == null)) {
            if ((flags & FLAG_GET) == 0) {
                c.addNull();
            }
            return;
        }
        e = store(c, db, e, hash, (flags & FLAG_KEEPTTL) != 0);
        if (expireAt != Database.NO_EXPIRY) {
            db.setExpiry(e, expireAt);
        }
        if ((flags & FLAG_GET) == 0) {
            c.addOk();
        }
    }

    private static int expireOption(Client c, int j) {
        if (c.argIs(j, EX)) {
            return FLAG_EX;
        } else if (c.argIs(j, PX)) {
            return FLAG_PX;
        } else if (c.argIs(j, EXAT)) {
            return FLAG_EXAT;
        } else if (c.argIs(j, PXAT)) {
            return FLAG_PXAT;
        }
        return 0;
    }

    private long expireTime(Client c, int arg, int flags) {
        long value = ks.argLong(c, arg);
        if (value <= 0) {
            throw INVALID_SET_EXPIRE;
        }
        boolean seconds = (flags & (FLAG_EX | FLAG_EXAT)) != 0;
        if (seconds) {
            if (value > Long.MAX_VALUE / 1000) {
                throw INVALID_SET_EXPIRE;
            }
            value *= 1000;
        }
        if ((flags & (FLAG_EX | FLAG_PX)) != 0) {
            long now = System.currentTimeMillis();
            if (value > Long.MAX_VALUE - now) {
                throw INVALID_SET_EXPIRE;
            }
            value += now;
        }
        return value;
    }

    /**
     * Sets the key in argument 1 to the value in argument 2 and returns its entry: in place when an existing string
     * value has the same length (the hot path of a benchmark's SET allocates nothing), else in a new block.
     */
    private Dict.Entry store(Client c, Database db, Dict.Entry e, long hash, boolean keepTtl) {
        int valueArg = 2;
        int length = c.argLen[valueArg];
        if (e == null) {
            return ks.add(c, 1, hash, ks.copyArg(c, valueArg));
        }
        if (e.value instanceof MemorySegment old && old.byteSize() == length && length > 0) {
            ks.blocks.copy(old, 0, c.query, c.argOff[valueArg], length);
        } else {
            db.replaceValue(e, ks.copyArg(c, valueArg));
        }
        if (!keepTtl) {
            db.persist(e);
        }
        return e;
    }

    private void mset(Client c) {
        if ((c.argc & 1) == 0) {
            c.addError("ERR wrong number of arguments for 'mset' command");
            return;
        }
        Database db = ks.db(c);
        for (int j = 1; j < c.argc; j += 2) {
            long hash = ks.hashArg(c, j);
            Dict.Entry e = db.lookup(c.query, c.argOff[j], c.argLen[j], hash);
            if (e == null) {
                ks.add(c, j, hash, ks.copyArg(c, j + 1));
            } else {
                if (e.value instanceof MemorySegment old && old.byteSize() == c.argLen[j + 1] && old.byteSize() > 0) {
                    ks.blocks.copy(old, 0, c.query, c.argOff[j + 1], c.argLen[j + 1]);
                } else {
                    db.replaceValue(e, ks.copyArg(c, j + 1));
                }
                db.persist(e);
            }
        }
        c.addOk();
    }

    private void mget(Client c) {
        c.addArrayHeader(c.argc - 1);
        for (int j = 1; j < c.argc; j++) {
            Dict.Entry e = ks.lookup(c, j);
            if (e != null && e.value instanceof MemorySegment s) {
                c.addBulk(s);
            } else {
                c.addNull();
            }
        }
    }

    private void strlen(Client c) {
        Dict.Entry e = ks.lookup(c, 1);
        if (e == null) {
            c.addInteger(0);
        } else if (e.value instanceof MemorySegment s) {
            c.addInteger(s.byteSize());
        } else {
            c.addWrongType();
        }
    }

    private void append(Client c) {
        long hash = ks.hashArg(c, 1);
        Database db = ks.db(c);
        Dict.Entry e = db.lookup(c.query, c.argOff[1], c.argLen[1], hash);
        if (e == null) {
            ks.add(c, 1, hash, ks.copyArg(c, 2));
            c.addInteger(c.argLen[2]);
            return;
        }
        if (!(e.value instanceof MemorySegment old)) {
            c.addWrongType();
            return;
        }
        long total = old.byteSize() + c.argLen[2];
        if (total > RequestParser.MAX_BULK) {
            c.addError("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
            return;
        }
        MemorySegment grown = ks.blocks.allocate(total);
        ks.blocks.copy(grown, 0, old, 0, old.byteSize());
        ks.blocks.copy(grown, old.byteSize(), c.query, c.argOff[2], c.argLen[2]);
        db.replaceValue(e, grown);
        c.addInteger(total);
    }

    private void incrBy(Client c, long delta) {
        long hash = ks.hashArg(c, 1);
        Database db = ks.db(c);
        Dict.Entry e = db.lookup(c.query, c.argOff[1], c.argLen[1], hash);
        long current = 0;
        if (e != null) {
            if (!(e.value instanceof MemorySegment s)) {
                c.addWrongType();
                return;
            }
            try {
                current = ks.numbers.strtoll(s, 0, s.byteSize());
            } catch (NumberFormatException ex) {
                c.addNotInteger();
                return;
            }
        }
        if ((delta < 0 && current < Long.MIN_VALUE - delta) || (delta > 0 && current > Long.MAX_VALUE - delta)) {
            throw OVERFLOW;
        }
        long value = current + delta;
        MemorySegment scratch = ks.scratch;
        int n = ks.numbers.lltoa(value, scratch, 0);
        if (e != null && e.value instanceof MemorySegment old && old.byteSize() == n) {
            ks.blocks.copy(old, 0, scratch, 0, n);
        } else if (e != null) {
            db.replaceValue(e, ks.blocks.copyOf(scratch, 0, n));
        } else {
            ks.add(c, 1, hash, ks.blocks.copyOf(scratch, 0, n));
        }
        c.addInteger(value);
    }
}
