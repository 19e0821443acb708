package flexos.redis;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A Redis set: a {@link Dict} of off-heap member blocks. While every member is a canonical 64-bit integer and there
 * are at most {@code set-max-intset-entries}, the table is packed and kept in numeric order (OBJECT ENCODING
 * {@code intset}, each entry's {@link Dict.Entry#aux} holding its value); otherwise it is hashed.
 */
final class SetValue {

    final Dict members;

    /** A hashed set (for loaders that build large ones). */
    SetValue(Blocks blocks) {
        this.members = new Dict(blocks);
    }

    private SetValue(Blocks blocks, boolean packed) {
        this.members = new Dict(blocks, packed);
    }

    /** A new set in the encoding the limits choose for a first member {@code first}. */
    static SetValue create(Keyspace ks, MemorySegment s, long offset, long length) {
        return new SetValue(ks.blocks, ks.limits.setMaxIntsetEntries > 0
                && integerValue(s, offset, length) != null);
    }

    /** Adds a member block the set now owns (it must not be a member yet). */
    void add(MemorySegment member, long hash, EncodingLimits limits) {
        if (members.packed()) {
            Long value = integerValue(member, 0, member.byteSize());
            if (value == null || members.size() + 1 > limits.setMaxIntsetEntries) {
                members.makeHashed();
            } else {
                int lo = 0;
                int hi = members.size();
                while (lo < hi) {
                    int mid = (lo + hi) >>> 1;
                    if (members.entryAt(mid).aux < value) {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                members.insertAt(lo, member, hash).aux = value;
                return;
            }
        }
        members.insert(member, hash);
    }

    String encoding() {
        return members.packed() ? "intset" : "hashtable";
    }

    /** The value of a canonical decimal 64-bit integer (as Redis's string2ll), or {@code null}. */
    static Long integerValue(MemorySegment s, long offset, long length) {
        if (length == 0 || length > 20) {
            return null;
        }
        byte[] b = new byte[(int) length];
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, offset, b, 0, b.length);
        String text = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
        try {
            long v = Long.parseLong(text);
            return Long.toString(v).equals(text) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    void freeAll(Blocks blocks) {
        members.forEach(e -> blocks.free(e.key));
        members.clear();
    }
}
