package flexos.redis;

import java.lang.foreign.MemorySegment;

/** A Redis hash: a {@link Dict} from off-heap field blocks to off-heap value blocks ({@link Dict.Entry#value}). */
final class HashValue {

    final Dict fields;

    HashValue(Blocks blocks) {
        this.fields = new Dict(blocks);
    }

    void freeAll(Blocks blocks) {
        fields.forEach(e -> {
            blocks.free(e.key);
            blocks.free((MemorySegment) e.value);
        });
        fields.clear();
    }
}
