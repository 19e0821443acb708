package flexos.redis;

import java.lang.foreign.MemorySegment;

/**
 * One of the 16 numbered keyspaces: a {@link Dict} of keys and a second one of the keys that have a time to live, as
 * Redis's {@code redisDb}. Values are a {@link MemorySegment} (a string), {@link ListValue}, {@link SetValue},
 * {@link HashValue} or {@link SortedSetValue}. A key's expiry time (Unix milliseconds) is kept in its entry's
 * {@link Dict.Entry#aux} ({@link #NO_EXPIRY} for none) so that a read needs one lookup; the expires table shares the
 * key block, points back at the key's entry, and exists for the active expiry cycle and the INFO counts.
 *
 * <p>Expiry is lazy on access ({@link #lookup} deletes an expired key) and active ({@link ActiveExpiry}).
 */
final class Database {

    static final long NO_EXPIRY = -1;

    final int index;
    Dict keys;
    Dict expires;
    private final Blocks blocks;
    private final KeyObservers observers;
    /** Keys deleted because their time to live passed (INFO's expired_keys). */
    long expiredKeys;

    Database(int index, Blocks blocks, KeyObservers observers) {
        this.index = index;
        this.blocks = blocks;
        this.observers = observers;
        this.keys = new Dict(blocks);
        this.expires = new Dict(blocks);
    }

    int size() {
        return keys.size();
    }

    long hash(MemorySegment s, long offset, long length) {
        return keys.hash(s, offset, length);
    }

    /** The live entry of key {@code s[offset, offset+length)}, or {@code null}; deletes the key if it has expired. */
    Dict.Entry lookup(MemorySegment s, long offset, long length, long hash) {
        Dict.Entry e = keys.find(s, offset, length, hash);
        if (e != null && e.aux != NO_EXPIRY && e.aux <= System.currentTimeMillis()) {
            expire(e);
            return null;
        }
        if (e != null) {
            e.lru = LruClock.now;
        }
        return e;
    }

    /** Removes a key without freeing its value (RENAME, MOVE hand the value to another key). */
    void unlink(Dict.Entry e) {
        keys.remove(e.key, e.hash);
        if (e.aux != NO_EXPIRY) {
            expires.remove(e.key, e.hash);
        }
        blocks.free(e.key);
    }

    /** The entry of a key whatever its time to live, without expiring it (for SCAN and KEYS filters). */
    Dict.Entry peek(MemorySegment s, long offset, long length, long hash) {
        return keys.find(s, offset, length, hash);
    }

    /** Deletes a key whose time to live has passed, telling its watchers. */
    void expire(Dict.Entry e) {
        observers.modified(index, e.key, 0, e.key.byteSize());
        delete(e);
        expiredKeys++;
    }

    static boolean expired(Dict.Entry e, long now) {
        return e.aux != NO_EXPIRY && e.aux <= now;
    }

    /** Adds a key that is not present, copying its bytes into a new block, and returns its entry (no value yet). */
    Dict.Entry add(MemorySegment s, long offset, long length, long hash, Object value) {
        MemorySegment key = blocks.copyOf(s, offset, length);
        Dict.Entry e = keys.insert(key, hash);
        e.value = value;
        e.aux = NO_EXPIRY;
        e.lru = LruClock.now;
        return e;
    }

    /** Removes a key and frees its key block and value. */
    void delete(Dict.Entry e) {
        keys.remove(e.key, e.hash);
        if (e.aux != NO_EXPIRY) {
            expires.remove(e.key, e.hash);
        }
        freeValue(e.value);
        blocks.free(e.key);
    }

    /** Replaces a key's value, freeing the old one; the time to live is kept. */
    void replaceValue(Dict.Entry e, Object value) {
        Object old = e.value;
        e.value = value;
        freeValue(old);
    }

    void setExpiry(Dict.Entry e, long whenMillis) {
        if (e.aux == NO_EXPIRY) {
            expires.insert(e.key, e.hash).value = e;
        }
        e.aux = whenMillis;
    }

    /** Removes a key's time to live; returns whether it had one. */
    boolean persist(Dict.Entry e) {
        if (e.aux == NO_EXPIRY) {
            return false;
        }
        expires.remove(e.key, e.hash);
        e.aux = NO_EXPIRY;
        return true;
    }

    /** Swaps the contents of two databases (SWAPDB). */
    void swapWith(Database other) {
        Dict k = keys;
        Dict x = expires;
        setDicts(other.keys, other.expires);
        other.setDicts(k, x);
    }

    private void setDicts(Dict k, Dict x) {
        this.keys = k;
        this.expires = x;
    }

    /** Deletes every key, freeing every block. */
    void flush() {
        keys.forEach(e -> {
            freeValue(e.value);
            blocks.free(e.key);
        });
        keys.clear();
        expires.clear();
    }

    void freeValue(Object value) {
        switch (value) {
            case MemorySegment s -> blocks.free(s);
            case ListValue l -> l.freeAll(blocks);
            case SetValue s -> s.freeAll(blocks);
            case HashValue h -> h.freeAll(blocks);
            case SortedSetValue z -> z.freeAll(blocks);
            case null, default -> { }
        }
    }
}
