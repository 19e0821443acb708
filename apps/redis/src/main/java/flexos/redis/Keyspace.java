package flexos.redis;

import flexos.libc.api.NumberRoutines;

import java.lang.foreign.MemorySegment;

/**
 * The 16 databases and what every command needs to reach them: lookups of a client's arguments, the number
 * routines for strict integer arguments, and a random source. Commands run on the event loop only.
 */
final class Keyspace {

    static final int DATABASES = 16;

    final Database[] databases = new Database[DATABASES];
    final Blocks blocks;
    final NumberRoutines numbers;
    final Xorshift random = new Xorshift(System.nanoTime());
    /** Room for formatting one number (64 bytes), owned by the server's {@link SharedReplies}. */
    final MemorySegment scratch;
    final KeyObservers observers = new KeyObservers();
    final EncodingLimits limits = new EncodingLimits();
    /** libc's glob matching, for the SCAN family's MATCH. */
    flexos.libc.api.PatternRoutines patterns;
    /** The function libraries snapshots write and load (the scripting commands' when the image has lua). */
    FunctionLibraries functions = FunctionLibraries.NONE;
    /** Changes since start (Redis's {@code server.dirty}). */
    long dirty;

    Keyspace(Blocks blocks, NumberRoutines numbers, MemorySegment scratch) {
        this.blocks = blocks;
        this.scratch = scratch;
        this.numbers = numbers;
        for (int i = 0; i < DATABASES; i++) {
            databases[i] = new Database(i, blocks, observers);
        }
    }

    /** The key in argument {@code i} of {@code c} was changed: counts the change and tells its watchers. */
    void modified(Client c, int i) {
        dirty++;
        observers.modified(c.db, c.query, c.argOff[i], c.argLen[i]);
    }

    /** The key {@code key} of database {@code db} was changed. */
    void modified(int db, MemorySegment key) {
        dirty++;
        observers.modified(db, key, 0, key.byteSize());
    }

    /** The entry of key {@code key} (bytes anywhere) in database {@code db}, or {@code null}. */
    Dict.Entry lookup(int db, MemorySegment key) {
        return databases[db].lookup(key, 0, key.byteSize(), blocks.hash(key, 0, key.byteSize()));
    }

    /** Argument {@code i} as a double of any finite or infinite value (Redis's getDoubleFromObject). */
    double argAnyDouble(Client c, int i) {
        return argDouble(c, i);
    }

    Database db(Client c) {
        return databases[c.db];
    }

    long hashArg(Client c, int i) {
        return blocks.hash(c.query, c.argOff[i], c.argLen[i]);
    }

    /** The live entry of the key in argument {@code i}, or {@code null}. */
    Dict.Entry lookup(Client c, int i) {
        return databases[c.db].lookup(c.query, c.argOff[i], c.argLen[i], hashArg(c, i));
    }

    /**
     * The value of the key in argument 1 when it is a {@code type}, or {@code null} when the key does not exist.
     *
     * @throws CommandError {@code WRONGTYPE} when the key holds another kind of value
     */
    <T> T valueOf(Client c, Class<T> type) {
        Dict.Entry e = lookup(c, 1);
        if (e == null) {
            return null;
        }
        if (type.isInstance(e.value)) {
            return type.cast(e.value);
        }
        throw CommandError.WRONG_TYPE;
    }

    /** Adds the key in argument {@code i} (absent) with {@code value}, freeing {@code value} if the key cannot be stored. */
    Dict.Entry add(Client c, int i, long hash, Object value) {
        Database db = databases[c.db];
        try {
            return db.add(c.query, c.argOff[i], c.argLen[i], hash, value);
        } catch (HeapExhausted e) {
            db.freeValue(value);
            throw e;
        }
    }

    /** Argument {@code i} as a strict 64-bit integer. */
    long argLong(Client c, int i) {
        try {
            return numbers.strtoll(c.query, c.argOff[i], c.argLen[i]);
        } catch (NumberFormatException e) {
            throw CommandError.NOT_INTEGER;
        }
    }

    /** Argument {@code i} as a count of at least 0, with Redis's error for the POP family's count. */
    long argCount(Client c, int i) {
        long n;
        try {
            n = numbers.strtoll(c.query, c.argOff[i], c.argLen[i]);
        } catch (NumberFormatException e) {
            throw CommandError.NOT_POSITIVE;
        }
        if (n < 0) {
            throw CommandError.NOT_POSITIVE;
        }
        return n;
    }

    /** Argument {@code i} as a score: a number, {@code inf} or {@code -inf}, never NaN. */
    double argDouble(Client c, int i) {
        double d;
        try {
            d = numbers.strtod(c.query, c.argOff[i], c.argLen[i]);
        } catch (NumberFormatException e) {
            throw CommandError.NOT_FLOAT;
        }
        if (Double.isNaN(d)) {
            throw CommandError.NOT_FLOAT;
        }
        return d;
    }

    /** A new block holding argument {@code i}. */
    MemorySegment copyArg(Client c, int i) {
        return blocks.copyOf(c.query, c.argOff[i], c.argLen[i]);
    }

    /** Keys deleted, in every database, because their time to live passed. */
    long expiredKeys() {
        long n = 0;
        for (Database db : databases) {
            n += db.expiredKeys;
        }
        return n;
    }

    long keyCount() {
        long n = 0;
        for (Database db : databases) {
            n += db.size();
        }
        return n;
    }

    void flushAll() {
        for (Database db : databases) {
            db.flush();
        }
    }
}
