package flexos.redis;

/**
 * Redis's {@code activeExpireCycle} (the sampling version): each run visits the databases in turn, samples keys
 * that have a time to live, deletes the expired ones, and samples the same database again while more than a quarter
 * of a sample had expired. The work per run is bounded by a time budget, so a keyspace full of expiring keys never
 * stalls the event loop; lazy expiry on access covers what a run leaves.
 */
final class ActiveExpiry implements Runnable {

    /** Keys sampled per round (Redis's {@code ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP}). */
    static final int KEYS_PER_LOOP = 20;
    /** A run's time budget: a quarter of the 100 ms period, as Redis's slow cycle. */
    static final long BUDGET_NANOS = 25_000_000L;
    /** Rehash steps given to each database per run, so an idle table still finishes resizing. */
    private static final int REHASH_STEPS = 100;

    private final Keyspace ks;
    private final ServerStats stats;
    private final Dict.Entry[] sample = new Dict.Entry[KEYS_PER_LOOP];
    private int nextDatabase;

    ActiveExpiry(Keyspace ks, ServerStats stats) {
        this.ks = ks;
        this.stats = stats;
    }

    @Override
    public void run() {
        long deadline = System.nanoTime() + BUDGET_NANOS;
        for (int visited = 0; visited < Keyspace.DATABASES; visited++) {
            Database db = ks.databases[nextDatabase];
            nextDatabase = (nextDatabase + 1) % Keyspace.DATABASES;
            db.keys.rehash(REHASH_STEPS);
            db.expires.rehash(REHASH_STEPS);
            int expired;
            do {
                expired = sampleOnce(db);
                if (System.nanoTime() > deadline) {
                    return;
                }
            } while (expired > KEYS_PER_LOOP / 4);
        }
    }

    /** Samples up to {@link #KEYS_PER_LOOP} keys with a time to live and deletes the expired ones; returns how many. */
    int sampleOnce(Database db) {
        int n = Math.min(KEYS_PER_LOOP, db.expires.size());
        if (n == 0) {
            return 0;
        }
        long now = System.currentTimeMillis();
        int found = 0;
        for (int i = 0; i < n; i++) {
            Dict.Entry e = (Dict.Entry) db.expires.randomEntry(ks.random).value;
            if (e.aux != Database.NO_EXPIRY && e.aux <= now && !contains(found, e)) {
                sample[found++] = e;
            }
        }
        for (int i = 0; i < found; i++) {
            db.expire(sample[i]);
            sample[i] = null;
        }
        return found;
    }

    private boolean contains(int count, Dict.Entry e) {
        for (int i = 0; i < count; i++) {
            if (sample[i] == e) {
                return true;
            }
        }
        return false;
    }
}
