package flexos.redis;

import java.lang.foreign.MemorySegment;

/**
 * The string commands: GET, SET and its variants, the MSET/MGET family, ranges, APPEND, the INCR family, LCS and the
 * bitmap commands, with Redis's replies and errors.
 */
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

    void register(CommandTable t) {
        t.add("get 2 readonly,fast 1 1 1 string 1.0.0 | The string value of a key.", this::get);
        t.add("set -3 write,denyoom 1 1 1 string 1.0.0 | Sets a key to a string, with optional conditions and "
                + "time to live.", this::set);
        t.add("setnx 3 write,denyoom,fast 1 1 1 string 1.0.0 | Sets a key to a string only if it does not exist.",
                this::setnx);
        t.add("setex 4 write,denyoom 1 1 1 string 2.0.0 | Sets a key to a string with a time to live in seconds.",
                c -> setWithExpiry(c, true, "setex"));
        t.add("psetex 4 write,denyoom 1 1 1 string 2.6.0 | Sets a key to a string with a time to live in "
                + "milliseconds.", c -> setWithExpiry(c, false, "psetex"));
        t.add("getset 3 write,denyoom,fast 1 1 1 string 1.0.0 | Sets a key to a string and returns its old "
                + "value.", this::getset);
        t.add("getdel 2 write,fast 1 1 1 string 6.2.0 | Returns a key's string value and deletes the key.",
                this::getdel);
        t.add("getex -2 write,fast 1 1 1 string 6.2.0 | Returns a key's string value and changes or removes its "
                + "time to live.", this::getex);
        t.add("mset -3 write,denyoom 1 -1 2 string 1.0.1 | Sets several keys to strings at once.", this::mset);
        t.add("msetnx -3 write,denyoom 1 -1 2 string 1.0.1 | Sets several keys at once, only if none of them "
                + "exists.", this::msetnx);
        t.add("mget -2 readonly,fast 1 -1 1 string 1.0.0 | The string values of several keys.", this::mget);
        t.add("strlen 2 readonly,fast 1 1 1 string 2.2.0 | The length of a key's string value.", this::strlen);
        t.add("append 3 write,denyoom,fast 1 1 1 string 2.0.0 | Appends to a key's string value.", this::append);
        t.add("incr 2 write,denyoom,fast 1 1 1 string 1.0.0 | Adds 1 to a key's integer value.",
                c -> incrBy(c, 1));
        t.add("decr 2 write,denyoom,fast 1 1 1 string 1.0.0 | Subtracts 1 from a key's integer value.",
                c -> incrBy(c, -1));
        t.add("incrby 3 write,denyoom,fast 1 1 1 string 1.0.0 | Adds an integer to a key's integer value.",
                c -> incrBy(c, ks.argLong(c, 2)));
        t.add("decrby 3 write,denyoom,fast 1 1 1 string 1.0.0 | Subtracts an integer from a key's integer value.",
                c -> {
                    long by = ks.argLong(c, 2);
                    if (by == Long.MIN_VALUE) {
                        throw new CommandError("ERR decrement would overflow");
                    }
                    incrBy(c, -by);
                });
        t.add("incrbyfloat 3 write,denyoom,fast 1 1 1 string 2.6.0 | Adds a decimal number to a key's numeric "
                + "value.", this::incrbyfloat);
        t.add("getrange 4 readonly 1 1 1 string 2.4.0 | A substring of a key's string value.", this::getrange);
        t.add("substr 4 readonly 1 1 1 string 1.0.0 | A substring of a key's string value (GETRANGE's old name).",
                this::getrange);
        t.add("setrange 4 write,denyoom 1 1 1 string 2.2.0 | Overwrites part of a key's string value from an "
                + "offset.", this::setrange);
        t.add("lcs -3 readonly 1 2 1 string 7.0.0 | The longest common subsequence of two keys' strings.",
                new Lcs(ks)::lcs);
        Bitmaps bits = new Bitmaps(ks);
        t.add("setbit 4 write,denyoom 1 1 1 bitmap 2.2.0 | Sets or clears one bit of a key's string value.",
                bits::setbit);
        t.add("getbit 3 readonly,fast 1 1 1 bitmap 2.2.0 | One bit of a key's string value.", bits::getbit);
        t.add("bitcount -2 readonly 1 1 1 bitmap 2.6.0 | Counts the set bits of a key's string value, or of a "
                + "range of it.", bits::bitcount);
        t.add("bitpos -3 readonly 1 1 1 bitmap 2.8.7 | The first set or clear bit of a key's string value.",
                bits::bitpos);
        t.add("bitop -4 write,denyoom 2 -1 1 bitmap 2.6.0 | AND, OR, XOR or NOT of keys' strings, stored in a key.",
                bits::bitop);
    }

    /** The string value of the key in argument {@code i}, or {@code null}; WRONGTYPE for another type. */
    MemorySegment stringAt(Client c, int i) {
        Dict.Entry e = ks.lookup(c, i);
        if (e == null) {
            return null;
        }
        if (e.value instanceof MemorySegment s) {
            return s;
        }
        throw CommandError.WRONG_TYPE;
    }

    private void setnx(Client c) {
        long hash = ks.hashArg(c, 1);
        Database db = ks.db(c);
        if (db.lookup(c.query, c.argOff[1], c.argLen[1], hash) != null) {
            c.addInteger(0);
            return;
        }
        ks.add(c, 1, hash, ks.copyArg(c, 2));
        ks.modified(c, 1);
        c.addInteger(1);
    }

    private void setWithExpiry(Client c, boolean seconds, String name) {
        long ttl = ks.argLong(c, 2);
        CommandError invalid = new CommandError("ERR invalid expire time in '" + name + "' command");
        if (ttl <= 0 || (seconds && ttl > Long.MAX_VALUE / 1000)) {
            throw invalid;
        }
        long ms = seconds ? ttl * 1000 : ttl;
        long now = System.currentTimeMillis();
        if (ms > Long.MAX_VALUE - now) {
            throw invalid;
        }
        long hash = ks.hashArg(c, 1);
        Database db = ks.db(c);
        Dict.Entry e = db.lookup(c.query, c.argOff[1], c.argLen[1], hash);
        e = storeValue(c, db, e, hash, 3, false);
        db.setExpiry(e, now + ms);
        ks.modified(c, 1);
        c.addOk();
    }

    private void getset(Client c) {
        long hash = ks.hashArg(c, 1);
        Database db = ks.db(c);
        Dict.Entry e = db.lookup(c.query, c.argOff[1], c.argLen[1], hash);
        if (e == null) {
            c.addNull();
        } else if (e.value instanceof MemorySegment old) {
            c.addBulk(old);
        } else {
            throw CommandError.WRONG_TYPE;
        }
        storeValue(c, db, e, hash, 2, false);
        ks.modified(c, 1);
    }

    private void getdel(Client c) {
        Dict.Entry e = ks.lookup(c, 1);
        if (e == null) {
            c.addNull();
            return;
        }
        if (!(e.value instanceof MemorySegment s)) {
            throw CommandError.WRONG_TYPE;
        }
        c.addBulk(s);
        ks.db(c).delete(e);
        ks.modified(c, 1);
    }

    private void getex(Client c) {
        int flags = 0;
        int expireArg = -1;
        boolean persist = false;
        for (int j = 2; j < c.argc; j++) {
            boolean hasNext = j + 1 < c.argc;
            if (c.argIs(j, PERSIST) && flags == 0 && !persist) {
                persist = true;
            } else if (hasNext && flags == 0 && !persist && expireOption(c, j) != 0) {
                flags = expireOption(c, j);
                expireArg = ++j;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        long expireAt = expireArg >= 0 ? expireTime(c, expireArg, flags, "getex") : Database.NO_EXPIRY;
        Dict.Entry e = ks.lookup(c, 1);
        if (e == null) {
            c.addNull();
            return;
        }
        if (!(e.value instanceof MemorySegment s)) {
            throw CommandError.WRONG_TYPE;
        }
        c.addBulk(s);
        Database db = ks.db(c);
        if (expireAt != Database.NO_EXPIRY) {
            if (expireAt <= System.currentTimeMillis()) {
                db.delete(e);
            } else {
                db.setExpiry(e, expireAt);
            }
            ks.modified(c, 1);
        } else if (persist && db.persist(e)) {
            ks.modified(c, 1);
        }
    }

    private static final byte[] PERSIST = "PERSIST".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private void msetnx(Client c) {
        if ((c.argc & 1) == 0) {
            c.addError("ERR wrong number of arguments for 'msetnx' command");
            return;
        }
        for (int j = 1; j < c.argc; j += 2) {
            if (ks.lookup(c, j) != null) {
                c.addInteger(0);
                return;
            }
        }
        Database db = ks.db(c);
        for (int j = 1; j < c.argc; j += 2) {
            long hash = ks.hashArg(c, j);
            Dict.Entry e = db.lookup(c.query, c.argOff[j], c.argLen[j], hash);
            storeValue(c, db, e, hash, j + 1, false, j);
            ks.modified(c, j);
        }
        c.addInteger(1);
    }

    private Dict.Entry storeValue(Client c, Database db, Dict.Entry e, long hash, int valueArg, boolean keepTtl) {
        return storeValue(c, db, e, hash, valueArg, keepTtl, 1);
    }

    /** Sets the key in argument {@code keyArg} to the string in argument {@code valueArg}; returns its entry. */
    private Dict.Entry storeValue(Client c, Database db, Dict.Entry e, long hash, int valueArg, boolean keepTtl,
                                  int keyArg) {
        int length = c.argLen[valueArg];
        if (e == null) {
            return ks.add(c, keyArg, hash, ks.copyArg(c, valueArg));
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

    private void incrbyfloat(Client c) {
        java.math.BigDecimal by = decimal(c.argString(2));
        if (by == null) {
            throw Values.infinite(c.argString(2)) ? Values.NAN_OR_INFINITY : CommandError.NOT_FLOAT;
        }
        long hash = ks.hashArg(c, 1);
        Database db = ks.db(c);
        Dict.Entry e = db.lookup(c.query, c.argOff[1], c.argLen[1], hash);
        java.math.BigDecimal current = java.math.BigDecimal.ZERO;
        if (e != null) {
            if (!(e.value instanceof MemorySegment s)) {
                throw CommandError.WRONG_TYPE;
            }
            current = decimal(Values.text(s));
            if (current == null) {
                throw CommandError.NOT_FLOAT;
            }
        }
        String text = Values.addDecimals(current, by);
        if (text == null) {
            throw new CommandError("ERR increment would produce NaN or Infinity");
        }
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        MemorySegment value = ks.blocks.copyOf(MemorySegment.ofArray(bytes), 0, bytes.length);
        if (e == null) {
            ks.add(c, 1, hash, value);
        } else {
            db.replaceValue(e, value);
        }
        ks.modified(c, 1);
        c.addBulkBytes(bytes);
    }

    /** A decimal number as Redis's strtold accepts it (no spaces, finite), or {@code null}. */
    static java.math.BigDecimal decimal(String text) {
        return Values.decimal(text);
    }

    private void getrange(Client c) {
        long start = ks.argLong(c, 2);
        long end = ks.argLong(c, 3);
        MemorySegment s = stringAt(c, 1);
        long len = s == null ? 0 : s.byteSize();
        if (start < 0 && end < 0 && start > end) {
            c.addBulkBytes(new byte[0]);
            return;
        }
        if (start < 0) {
            start += len;
        }
        if (end < 0) {
            end += len;
        }
        if (start < 0) {
            start = 0;
        }
        if (end < 0) {
            end = 0;
        }
        if (end >= len) {
            end = len - 1;
        }
        if (len == 0 || start > end) {
            c.addBulkBytes(new byte[0]);
            return;
        }
        c.addBulk(s, start, end - start + 1);
    }

    private void setrange(Client c) {
        long offset = ks.argLong(c, 2);
        if (offset < 0) {
            throw new CommandError("ERR offset is out of range");
        }
        int vlen = c.argLen[3];
        long hash = ks.hashArg(c, 1);
        Database db = ks.db(c);
        Dict.Entry e = db.lookup(c.query, c.argOff[1], c.argLen[1], hash);
        MemorySegment old = null;
        if (e != null) {
            if (!(e.value instanceof MemorySegment s)) {
                throw CommandError.WRONG_TYPE;
            }
            old = s;
        }
        if (vlen == 0) {
            c.addInteger(old == null ? 0 : old.byteSize());
            return;
        }
        if (offset > RequestParser.MAX_BULK - vlen) {
            throw new CommandError("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
        }
        long oldLen = old == null ? 0 : old.byteSize();
        long newLen = Math.max(oldLen, offset + vlen);
        MemorySegment value;
        if (old != null && newLen == oldLen) {
            value = old;
        } else {
            value = ks.blocks.allocate(newLen);
            ks.blocks.memory().memset(value, 0, (byte) 0, newLen);
            if (old != null) {
                ks.blocks.copy(value, 0, old, 0, oldLen);
            }
        }
        ks.blocks.copy(value, offset, c.query, c.argOff[3], vlen);
        if (e == null) {
            ks.add(c, 1, hash, value);
        } else if (value != old) {
            db.replaceValue(e, value);
        }
        ks.modified(c, 1);
        c.addInteger(newLen);
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
            expireAt = expireTime(c, expireArg, flags, "set");
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
        ks.modified(c, 1);
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

    private long expireTime(Client c, int arg, int flags, String command) {
        long value = ks.argLong(c, arg);
        CommandError invalid = command.equals("set") ? INVALID_SET_EXPIRE
                : new CommandError("ERR invalid expire time in '" + command + "' command");
        if (value <= 0) {
            throw invalid;
        }
        boolean seconds = (flags & (FLAG_EX | FLAG_EXAT)) != 0;
        if (seconds) {
            if (value > Long.MAX_VALUE / 1000) {
                throw invalid;
            }
            value *= 1000;
        }
        if ((flags & (FLAG_EX | FLAG_PX)) != 0) {
            long now = System.currentTimeMillis();
            if (value > Long.MAX_VALUE - now) {
                throw invalid;
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
            ks.modified(c, j);
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
            ks.modified(c, 1);
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
        ks.modified(c, 1);
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
        ks.modified(c, 1);
        c.addInteger(value);
    }
}
