package flexos.redis;

/**
 * The thresholds that choose how small collections are stored, as Redis's {@code *-max-listpack-*},
 * {@code set-max-intset-entries} and {@code list-max-listpack-size}: a hash, set or sorted set within them is kept in
 * a packed table (one dense array of entries searched linearly, in insertion order for hashes and sorted sets and
 * in numeric order for an intset) and becomes a hash table for good once it outgrows them; a list is a chain of
 * nodes of at most that many entries (or bytes, when negative). CONFIG SET changes them for values created or grown
 * afterwards, as in Redis.
 */
final class EncodingLimits {

    long hashMaxEntries = 128;
    long hashMaxValue = 64;
    long setMaxIntsetEntries = 512;
    long zsetMaxEntries = 128;
    long zsetMaxValue = 64;
    /** Entries per list node when positive; -1..-5 mean nodes of at most 4, 8, 16, 32 or 64 KiB. */
    long listMaxSize = -2;

    void register(ServerConfig config) {
        config.register(ServerConfig.integer("hash-max-listpack-entries", 0, Long.MAX_VALUE, () -> hashMaxEntries,
                v -> hashMaxEntries = v), "hash-max-ziplist-entries");
        config.register(ServerConfig.integer("hash-max-listpack-value", 0, Long.MAX_VALUE, () -> hashMaxValue,
                v -> hashMaxValue = v), "hash-max-ziplist-value");
        config.register(ServerConfig.integer("set-max-intset-entries", 0, Long.MAX_VALUE, () -> setMaxIntsetEntries,
                v -> setMaxIntsetEntries = v));
        config.register(ServerConfig.integer("zset-max-listpack-entries", 0, Long.MAX_VALUE, () -> zsetMaxEntries,
                v -> zsetMaxEntries = v), "zset-max-ziplist-entries");
        config.register(ServerConfig.integer("zset-max-listpack-value", 0, Long.MAX_VALUE, () -> zsetMaxValue,
                v -> zsetMaxValue = v), "zset-max-ziplist-value");
        config.register(ServerConfig.integer("list-max-listpack-size", Integer.MIN_VALUE, Integer.MAX_VALUE,
                () -> listMaxSize, v -> listMaxSize = v), "list-max-ziplist-size");
        config.register(ServerConfig.string("list-compress-depth", () -> "0", v -> {
            if (!v.strip().equals("0")) {
                throw new IllegalArgumentException("this server does not compress list nodes: only 0 is true of it");
            }
        }));
    }
}
