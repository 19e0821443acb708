package flexos.redis;

import java.lang.foreign.MemorySegment;

/**
 * A Redis hash: a {@link Dict} from off-heap field blocks to off-heap value blocks ({@link Dict.Entry#value}), packed
 * while small (OBJECT ENCODING {@code listpack}) and hashed once it outgrows {@link EncodingLimits}.
 */
final class HashValue {

    final Dict fields;

    /** A hashed hash (for loaders that build large ones). */
    HashValue(Blocks blocks) {
        this.fields = new Dict(blocks);
    }

    private HashValue(Blocks blocks, boolean packed) {
        this.fields = new Dict(blocks, packed);
    }

    /** A new hash in the encoding the limits choose for a first field and value of these lengths. */
    static HashValue create(Keyspace ks, long fieldLen, long valueLen) {
        EncodingLimits l = ks.limits;
        return new HashValue(ks.blocks, l.hashMaxEntries > 0 && fieldLen <= l.hashMaxValue
                && valueLen <= l.hashMaxValue);
    }

    /** After a field was written: converts to the hashed form if the hash outgrew the packed one. */
    void fit(EncodingLimits l, long fieldLen, long valueLen) {
        if (fields.packed() && (fields.size() > l.hashMaxEntries || fieldLen > l.hashMaxValue
                || valueLen > l.hashMaxValue)) {
            fields.makeHashed();
        }
    }

    String encoding() {
        return fields.packed() ? "listpack" : "hashtable";
    }

    void freeAll(Blocks blocks) {
        fields.forEach(e -> {
            blocks.free(e.key);
            blocks.free((MemorySegment) e.value);
        });
        fields.clear();
    }
}
