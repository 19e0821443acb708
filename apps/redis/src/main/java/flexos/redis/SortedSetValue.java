package flexos.redis;

import java.lang.foreign.MemorySegment;

/**
 * A Redis sorted set: a {@link Dict} from member to score (for O(1) ZSCORE and ZADD updates) beside a
 * {@link SkipList} in score order (for ZPOPMIN and ranges), sharing one off-heap block per member.
 * A member's dict entry holds its score's bits in {@link Dict.Entry#aux} and its skiplist node in
 * {@link Dict.Entry#value}.
 */
final class SortedSetValue {

    final Dict members;
    final SkipList order;

    SortedSetValue(Blocks blocks, Xorshift random) {
        this.members = new Dict(blocks);
        this.order = new SkipList(blocks, random);
    }

    private SortedSetValue(Blocks blocks, Xorshift random, boolean packed) {
        this.members = new Dict(blocks, packed);
        this.order = new SkipList(blocks, random);
    }

    /**
     * A new sorted set whose member table is packed (OBJECT ENCODING {@code listpack}: a dense array searched
     * linearly) when the limits allow a first member of {@code memberLen} bytes, else hashed ({@code skiplist}).
     * Both forms keep the members in score order in the skiplist.
     */
    static SortedSetValue create(Keyspace ks, long memberLen) {
        EncodingLimits l = ks.limits;
        return new SortedSetValue(ks.blocks, ks.random, l.zsetMaxEntries > 0 && memberLen <= l.zsetMaxValue);
    }

    /** After a member was added: converts the member table if the set outgrew the packed form. */
    void fit(EncodingLimits l, long memberLen) {
        if (members.packed() && (members.size() > l.zsetMaxEntries || memberLen > l.zsetMaxValue)) {
            members.makeHashed();
        }
    }

    String encoding() {
        return members.packed() ? "listpack" : "skiplist";
    }

    int size() {
        return members.size();
    }

    static double score(Dict.Entry e) {
        return Double.longBitsToDouble(e.aux);
    }

    /** Adds a member whose block the set now owns. */
    void add(MemorySegment member, long hash, double score) {
        Dict.Entry e = members.insert(member, hash);
        e.aux = Double.doubleToRawLongBits(score);
        e.value = order.insert(score, member);
    }

    /** Moves an existing member to {@code score}. */
    void update(Dict.Entry e, double score) {
        order.delete((SkipList.Node) e.value);
        e.aux = Double.doubleToRawLongBits(score);
        e.value = order.insert(score, e.key);
    }

    /** Removes a member; the caller frees its block ({@link Dict.Entry#key}). */
    void remove(Dict.Entry e) {
        order.delete((SkipList.Node) e.value);
        members.remove(e.key, e.hash);
    }

    /** The member entry of {@code node}. */
    Dict.Entry entryOf(SkipList.Node node) {
        return members.find(node.member, 0, node.member.byteSize(), members.hash(node.member, 0, node.member.byteSize()));
    }

    /** Removes the highest member and returns its node; the caller frees its member block. */
    SkipList.Node popMax() {
        SkipList.Node node = order.last();
        order.delete(node);
        members.remove(node.member, members.hash(node.member, 0, node.member.byteSize()));
        return node;
    }

    /** Removes the lowest member and returns its node; the caller frees its member block. */
    SkipList.Node popMin() {
        SkipList.Node node = order.first();
        order.delete(node);
        members.remove(node.member, members.hash(node.member, 0, node.member.byteSize()));
        return node;
    }

    void freeAll(Blocks blocks) {
        members.forEach(e -> blocks.free(e.key));
        members.clear();
    }
}
