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
    private Entry[] table = new Entry[0];
    private Entry[] next;
    private int tableUsed;
    private int nextUsed;
    private int rehashIndex = -1;

    Dict(Blocks blocks) {
        this.blocks = blocks;
    }

    int size() {
        return tableUsed + nextUsed;
    }

    long hash(MemorySegment s, long offset, long length) {
        return blocks.hash(s, offset, length);
    }

    /** The entry whose key is {@code s[offset, offset+length)} (hashing to {@code hash}), or {@code null}. */
    Entry find(MemorySegment s, long offset, long length, long hash) {
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
        while (rehashIndex >= 0 && steps-- > 0) {
            rehashStep();
        }
    }
}
