package flexos.redis;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The clients that watch keys: those that WATCH a key (its modification fails their EXEC) and those blocked on a key
 * by BLPOP and friends (its modification may serve them). Both registries are empty in the common case, and then a
 * modification costs one check.
 */
final class KeyObservers {

    private record DbKey(int db, ByteString key) {
    }

    private final Map<DbKey, List<Client>> watchers = new HashMap<>();
    private final Map<DbKey, ArrayDeque<Client>> blocked = new HashMap<>();
    private final Set<DbKey> ready = new LinkedHashSet<>();

    // ---- WATCH ----

    void watch(Client c, int db, ByteString key) {
        watchers.computeIfAbsent(new DbKey(db, key), k -> new ArrayList<>(2)).add(c);
    }

    void unwatchAll(Client c) {
        if (c.watched == null) {
            return;
        }
        for (WatchedKey w : c.watched) {
            DbKey k = new DbKey(w.db(), w.key());
            List<Client> list = watchers.get(k);
            if (list != null) {
                list.remove(c);
                if (list.isEmpty()) {
                    watchers.remove(k);
                }
            }
        }
        c.watched = null;
        c.dirtyCas = false;
    }

    boolean anyWatched() {
        return !watchers.isEmpty();
    }

    /** A key of database {@code db} changed (or was deleted, or expired). */
    void modified(int db, MemorySegment s, long offset, long length) {
        if (watchers.isEmpty() && blocked.isEmpty()) {
            return;
        }
        DbKey k = new DbKey(db, ByteString.of(s, offset, length));
        List<Client> list = watchers.get(k);
        if (list != null) {
            for (Client c : list) {
                c.dirtyCas = true;
            }
        }
        if (blocked.containsKey(k)) {
            ready.add(k);
        }
    }

    /** Every watcher of any key of {@code db} that {@code exists} says exists (FLUSHDB, SWAPDB). */
    void touchAll(int db, java.util.function.Predicate<ByteString> exists) {
        for (Map.Entry<DbKey, List<Client>> e : watchers.entrySet()) {
            if (e.getKey().db() == db && exists.test(e.getKey().key())) {
                for (Client c : e.getValue()) {
                    c.dirtyCas = true;
                }
            }
        }
    }

    /** After SWAPDB, clients blocked on a key that now exists in {@code db} may be served. */
    void allBlockedReady(int db) {
        for (DbKey k : blocked.keySet()) {
            if (k.db() == db) {
                ready.add(k);
            }
        }
    }

    // ---- blocking ----

    void block(Client c) {
        for (ByteString key : c.blocked.keys) {
            blocked.computeIfAbsent(new DbKey(c.blocked.db, key), k -> new ArrayDeque<>()).add(c);
        }
    }

    void unblock(Client c) {
        Blocked b = c.blocked;
        for (ByteString key : b.keys) {
            DbKey k = new DbKey(b.db, key);
            ArrayDeque<Client> queue = blocked.get(k);
            if (queue != null) {
                queue.remove(c);
                if (queue.isEmpty()) {
                    blocked.remove(k);
                }
            }
        }
    }

    boolean hasReady() {
        return !ready.isEmpty();
    }

    int blockedClientCount() {
        Set<Client> all = new java.util.HashSet<>();
        blocked.values().forEach(all::addAll);
        return all.size();
    }

    /**
     * Takes the ready keys and gives, in order, the clients blocked on each, oldest first: the caller runs their
     * commands again.
     */
    List<List<Client>> takeReady() {
        List<List<Client>> out = new ArrayList<>();
        for (DbKey k : ready) {
            ArrayDeque<Client> queue = blocked.get(k);
            if (queue != null) {
                out.add(new ArrayList<>(queue));
            }
        }
        ready.clear();
        return out;
    }
}
