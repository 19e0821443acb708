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
