package flexos.redis;

import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;

/**
 * A chained hash table keyed by off-heap key blocks, grown and shrunk incrementally as Redis's {@code dict} is: while
 * a resize is under way the table has two bucket arrays, and every operation moves a bucket from the old one to the
 * new one, so no single command pays for rehashing the whole keyspace.
 *
 * <p>Keys are hashed with the libc hash and compared with {@code memcmp}; the table never copies or frees a key: its
 * owner does. Each entry carries one object ({@link Entry#value}) and one long ({@link Entry#aux}) for its owner.
 * Not thread-safe: the server touches it from its event loop only.
 */
final class Dict {

    /** One key of the table. */
    static final class Entry {
        final long hash;
        final MemorySegment key;
        Object value;
        long aux;
        /** When a key was last read or written, in {@link LruClock} seconds (OBJECT IDLETIME). */
        int lru;
        Entry next;

        Entry(long hash, MemorySegment key) {
            this.hash = hash;
            this.key = key;
        }
    }

    private static final int INITIAL_SIZE = 4;
    /** Empty buckets a rehash step may skip, so a sparse table costs a bounded amount per operation. */
    private static final int EMPTY_VISITS_PER_STEP = 10;

    private final Blocks blocks;
    /**
     * The packed form, for small collections (Redis's listpack and intset): the entries in one dense array, in
     * insertion (or the owner's) order, searched linearly; no bucket array, no chains. {@link #makeHashed} turns it
     * into the hashed form for good.
     */
    private Entry[] dense;
    private int denseCount;
    private Entry[] table = new Entry[0];
    private Entry[] next;
    private int tableUsed;
    private int nextUsed;
    private int rehashIndex = -1;

    Dict(Blocks blocks) {
        this.blocks = blocks;
    }

    /** A table in the packed form when {@code packed}, else hashed. */
    Dict(Blocks blocks, boolean packed) {
        this.blocks = blocks;
        if (packed) {
            dense = new Entry[4];
        }
    }

    boolean packed() {
        return dense != null;
    }

    int size() {
        return dense != null ? denseCount : tableUsed + nextUsed;
    }

    /** Turns the packed form into the hashed one, keeping every entry object. */
    void makeHashed() {
        if (dense == null) {
            return;
        }
        Entry[] items = dense;
        int n = denseCount;
        dense = null;
        denseCount = 0;
        int size = INITIAL_SIZE;
        while (size < n) {
            size *= 2;
        }
        table = new Entry[size];
        for (int i = 0; i < n; i++) {
            Entry e = items[i];
            int b = (int) e.hash & (size - 1);
            e.next = table[b];
            table[b] = e;
        }
        tableUsed = n;
    }

    /** The entry at {@code index} of the packed form. */
    Entry entryAt(int index) {
        return dense[index];
    }

    /** Adds {@code key} at {@code index} of the packed form (the owner keeps it ordered, as an intset). */
    Entry insertAt(int index, MemorySegment key, long hash) {
        if (denseCount == dense.length) {
            dense = java.util.Arrays.copyOf(dense, dense.length * 2);
        }
        System.arraycopy(dense, index, dense, index + 1, denseCount - index);
        Entry e = new Entry(hash, key);
        dense[index] = e;
        denseCount++;
        return e;
    }

    private int denseIndex(MemorySegment s, long offset, long length, long hash) {
        for (int i = 0; i < denseCount; i++) {
            Entry e = dense[i];
            if (e.hash == hash && blocks.sameBytes(e.key, s, offset, length)) {
                return i;
            }
        }
        return -1;
    }

    long hash(MemorySegment s, long offset, long length) {
        return blocks.hash(s, offset, length);
    }

    /** The entry whose key is {@code s[offset, offset+length)} (hashing to {@code hash}), or {@code null}. */
    Entry find(MemorySegment s, long offset, long length, long hash) {
        if (dense != null) {
            int i = denseIndex(s, offset, length, hash);
            return i < 0 ? null : dense[i];
        }
        if (size() == 0) {
            return null;
        }
        if (rehashIndex >= 0) {
            rehashStep();
        }
        Entry e = chainFind(table, s, offset, length, hash);
        if (e == null && next != null) {
            e = chainFind(next, s, offset, length, hash);
        }
        return e;
    }

    private Entry chainFind(Entry[] buckets, MemorySegment s, long offset, long length, long hash) {
        if (buckets.length == 0) {
            return null;
        }
        for (Entry e = buckets[(int) hash & (buckets.length - 1)]; e != null; e = e.next) {
            if (e.hash == hash && blocks.sameBytes(e.key, s, offset, length)) {
                return e;
            }
        }
        return null;
    }

    /** Adds {@code key}, which must not be in the table yet, and returns its entry. */
    Entry insert(MemorySegment key, long hash) {
        if (dense != null) {
            return insertAt(denseCount, key, hash);
        }
        if (rehashIndex >= 0) {
            rehashStep();
        } else {
            growIfFull();
        }
        Entry e = new Entry(hash, key);
        if (next != null) {
            int i = (int) hash & (next.length - 1);
            e.next = next[i];
            next[i] = e;
            nextUsed++;
        } else {
            int i = (int) hash & (table.length - 1);
            e.next = table[i];
            table[i] = e;
            tableUsed++;
        }
        return e;
    }

    /** Removes and returns the entry of {@code s[offset, offset+length)}, or returns {@code null}. */
    Entry remove(MemorySegment s, long offset, long length, long hash) {
        if (dense != null) {
            int i = denseIndex(s, offset, length, hash);
            if (i < 0) {
                return null;
            }
            Entry e = dense[i];
            System.arraycopy(dense, i + 1, dense, i, denseCount - i - 1);
            dense[--denseCount] = null;
            return e;
        }
        if (size() == 0) {
            return null;
        }
        if (rehashIndex >= 0) {
            rehashStep();
        }
        Entry e = chainRemove(table, s, offset, length, hash);
        if (e != null) {
            tableUsed--;
        } else if (next != null) {
            e = chainRemove(next, s, offset, length, hash);
            if (e != null) {
                nextUsed--;
            }
        }
        if (e != null && rehashIndex < 0) {
            shrinkIfSparse();
        }
        return e;
    }

    private Entry chainRemove(Entry[] buckets, MemorySegment s, long offset, long length, long hash) {
        if (buckets.length == 0) {
            return null;
        }
        int i = (int) hash & (buckets.length - 1);
        Entry prev = null;
        for (Entry e = buckets[i]; e != null; prev = e, e = e.next) {
            if (e.hash == hash && blocks.sameBytes(e.key, s, offset, length)) {
                if (prev == null) {
                    buckets[i] = e.next;
                } else {
                    prev.next = e.next;
                }
                e.next = null;
                return e;
            }
        }
        return null;
    }

    /** Removes the entry of an existing key block. */
    Entry remove(MemorySegment key, long hash) {
        return remove(key, 0, key.byteSize(), hash);
    }

    /** A uniformly chosen bucket's random entry, or {@code null} when empty (Redis's {@code dictGetRandomKey}). */
    Entry randomEntry(Xorshift random) {
        if (dense != null) {
            return denseCount == 0 ? null : dense[random.nextInt(denseCount)];
        }
        if (size() == 0) {
            return null;
        }
        if (rehashIndex >= 0) {
            rehashStep();
        }
        Entry head;
        do {
            if (next != null) {
                // Buckets below rehashIndex in the old table are empty by construction.
                int span = table.length - rehashIndex + next.length;
                int pick = rehashIndex + random.nextInt(span);
                head = pick < table.length ? table[pick] : next[pick - table.length];
            } else {
                head = table[random.nextInt(table.length)];
            }
        } while (head == null);
        int length = 0;
        for (Entry e = head; e != null; e = e.next) {
            length++;
        }
        Entry e = head;
        for (int skip = random.nextInt(length); skip > 0; skip--) {
            e = e.next;
        }
        return e;
    }

    /** Calls {@code action} for every entry; {@code action} must not change the table. */
    void forEach(Consumer<Entry> action) {
        if (dense != null) {
            for (int i = 0; i < denseCount; i++) {
                action.accept(dense[i]);
            }
            return;
        }
        visit(table, action);
        if (next != null) {
            visit(next, action);
        }
    }

    private static void visit(Entry[] buckets, Consumer<Entry> action) {
        for (Entry head : buckets) {
            for (Entry e = head; e != null; ) {
                Entry following = e.next;
                action.accept(e);
                e = following;
            }
        }
    }

    /** Forgets every entry at once; the owner frees their blocks. */
    void clear() {
        if (dense != null) {
            java.util.Arrays.fill(dense, 0, denseCount, null);
            denseCount = 0;
            return;
        }
        table = new Entry[0];
        next = null;
        tableUsed = 0;
        nextUsed = 0;
        rehashIndex = -1;
    }

    private void growIfFull() {
        if (table.length == 0) {
            table = new Entry[INITIAL_SIZE];
        } else if (tableUsed >= table.length) {
            startResize(table.length * 2);
        }
    }

    private void shrinkIfSparse() {
        if (table.length > INITIAL_SIZE && tableUsed * 8 < table.length) {
            int size = INITIAL_SIZE;
            while (size < tableUsed) {
                size *= 2;
            }
            startResize(size);
        }
    }

    private void startResize(int size) {
        if (tableUsed == 0) {
            table = new Entry[size];
            return;
        }
        next = new Entry[size];
        nextUsed = 0;
        rehashIndex = 0;
    }

    /** Moves one non-empty bucket of the old table to the new one, as Redis's {@code dictRehash(d, 1)}. */
    private void rehashStep() {
        int emptyVisits = EMPTY_VISITS_PER_STEP;
        while (table[rehashIndex] == null) {
            rehashIndex++;
            if (rehashIndex == table.length) {
                finishResize();
                return;
            }
            if (--emptyVisits == 0) {
                return;
            }
        }
        int mask = next.length - 1;
        for (Entry e = table[rehashIndex]; e != null; ) {
            Entry following = e.next;
            int i = (int) e.hash & mask;
            e.next = next[i];
            next[i] = e;
            tableUsed--;
            nextUsed++;
            e = following;
        }
        table[rehashIndex] = null;
        rehashIndex++;
        if (tableUsed == 0 || rehashIndex == table.length) {
            finishResize();
        }
    }

    private void finishResize() {
        table = next;
        tableUsed = nextUsed;
        next = null;
        nextUsed = 0;
        rehashIndex = -1;
    }

    /** Runs rehash steps until none is pending or {@code steps} have run; the active expiry cycle calls it when idle. */
    void rehash(int steps) {
        while (dense == null && rehashIndex >= 0 && steps-- > 0) {
            rehashStep();
        }
    }

    /**
     * Redis's {@code dictScan}: visits the entries of the bucket {@code cursor} names (in both tables while a resize
     * is under way) and returns the next cursor, 0 when the scan is complete. The cursor counts in reverse binary,
     * so a scan started before a resize still visits every entry present from its start to its end at least once.
     */
    long scan(long cursor, Consumer<Entry> action) {
        if (dense != null) {
            // As Redis scans a listpack: everything at once, and the scan is complete.
            forEach(action);
            return 0;
        }
        if (size() == 0) {
            return 0;
        }
        if (next == null) {
            long mask = table.length - 1;
            visitBucket(table[(int) (cursor & mask)], action);
            cursor |= ~mask;
            cursor = Long.reverse(cursor);
            cursor++;
            return Long.reverse(cursor);
        }
        Entry[] small = table.length <= next.length ? table : next;
        Entry[] large = small == table ? next : table;
        long m0 = small.length - 1;
        long m1 = large.length - 1;
        visitBucket(small[(int) (cursor & m0)], action);
        do {
            visitBucket(large[(int) (cursor & m1)], action);
            cursor |= ~m1;
            cursor = Long.reverse(cursor);
            cursor++;
            cursor = Long.reverse(cursor);
        } while ((cursor & (m0 ^ m1)) != 0);
        return cursor;
    }

    private static void visitBucket(Entry head, Consumer<Entry> action) {
        for (Entry e = head; e != null; ) {
            Entry following = e.next;
            action.accept(e);
            e = following;
        }
    }
}
