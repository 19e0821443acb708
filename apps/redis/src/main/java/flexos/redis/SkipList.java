package flexos.redis;

import java.lang.foreign.MemorySegment;

/**
 * Redis's {@code zskiplist}: members ordered by (score, member bytes), with O(log n) insertion, deletion, rank and
 * access by rank, because every forward link records its span (how many elements it skips). Member blocks are
 * owned by the enclosing {@link SortedSetValue}.
 */
final class SkipList {

    private static final int MAX_LEVEL = 32;

    static final class Node {
        final MemorySegment member;
        final double score;
        final Node[] forward;
        final long[] span;
        Node backward;

        Node(MemorySegment member, double score, int level) {
            this.member = member;
            this.score = score;
            this.forward = new Node[level];
            this.span = new long[level];
        }
    }

    private final Blocks blocks;
    private final Xorshift random;
    private final Node header = new Node(null, 0, MAX_LEVEL);
    private Node tail;
    private int level = 1;
    private long length;

    SkipList(Blocks blocks, Xorshift random) {
        this.blocks = blocks;
        this.random = random;
    }

    long length() {
        return length;
    }

    /** The lowest element, or {@code null}. */
    Node first() {
        return header.forward[0];
    }

    /** The highest element, or {@code null}. */
    Node last() {
        return tail;
    }

    /** The next higher element, or {@code null}. */
    static Node after(Node node) {
        return node.forward[0];
    }

    /** The next lower element, or {@code null}. */
    static Node before(Node node) {
        return node.backward;
    }

    private boolean precedes(Node node, double score, MemorySegment member) {
        return node.score < score || (node.score == score && blocks.compare(node.member, member) < 0);
    }

    Node insert(double score, MemorySegment member) {
        Node[] update = new Node[MAX_LEVEL];
        long[] rank = new long[MAX_LEVEL];
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            rank[i] = i == level - 1 ? 0 : rank[i + 1];
            while (x.forward[i] != null && precedes(x.forward[i], score, member)) {
                rank[i] += x.span[i];
                x = x.forward[i];
            }
            update[i] = x;
        }
        int newLevel = randomLevel();
        if (newLevel > level) {
            for (int i = level; i < newLevel; i++) {
                rank[i] = 0;
                update[i] = header;
                update[i].span[i] = length;
            }
            level = newLevel;
        }
        Node node = new Node(member, score, newLevel);
        for (int i = 0; i < newLevel; i++) {
            node.forward[i] = update[i].forward[i];
            update[i].forward[i] = node;
            node.span[i] = update[i].span[i] - (rank[0] - rank[i]);
            update[i].span[i] = (rank[0] - rank[i]) + 1;
        }
        for (int i = newLevel; i < level; i++) {
            update[i].span[i]++;
        }
        node.backward = update[0] == header ? null : update[0];
        if (node.forward[0] != null) {
            node.forward[0].backward = node;
        } else {
            tail = node;
        }
        length++;
        return node;
    }

    /** Unlinks {@code node}, which must be in the list. */
    void delete(Node node) {
        Node[] update = new Node[MAX_LEVEL];
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && x.forward[i] != node && precedes(x.forward[i], node.score, node.member)) {
                x = x.forward[i];
            }
            update[i] = x;
        }
        for (int i = 0; i < level; i++) {
            if (update[i].forward[i] == node) {
                update[i].span[i] += node.span[i] - 1;
                update[i].forward[i] = node.forward[i];
            } else {
                update[i].span[i] -= 1;
            }
        }
        if (node.forward[0] != null) {
            node.forward[0].backward = node.backward;
        } else {
            tail = node.backward;
        }
        while (level > 1 && header.forward[level - 1] == null) {
            level--;
        }
        length--;
    }

    /** The 0-based rank of {@code node}, which must be in the list. */
    long rank(Node node) {
        long rank = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && (x.forward[i] == node
                    || precedes(x.forward[i], node.score, node.member))) {
                rank += x.span[i];
                x = x.forward[i];
                if (x == node) {
                    return rank - 1;
                }
            }
        }
        return rank - 1;
    }

    /** The element of 0-based rank {@code rank}, or {@code null} outside {@code [0, length)}. */
    Node byRank(long rank) {
        if (rank < 0 || rank >= length) {
            return null;
        }
        long traversed = 0;
        long target = rank + 1;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && traversed + x.span[i] <= target) {
                traversed += x.span[i];
                x = x.forward[i];
            }
            if (traversed == target) {
                return x;
            }
        }
        return null;
    }

    /** The first element whose score is above {@code min} (or equal, unless {@code exclusive}), or {@code null}. */
    Node firstFrom(double min, boolean exclusive) {
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && (exclusive ? x.forward[i].score <= min : x.forward[i].score < min)) {
                x = x.forward[i];
            }
        }
        return x.forward[0];
    }

    /** The last element whose score is below {@code max} (or equal, unless {@code exclusive}), or {@code null}. */
    Node lastUpTo(double max, boolean exclusive) {
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && (exclusive ? x.forward[i].score < max : x.forward[i].score <= max)) {
                x = x.forward[i];
            }
        }
        return x == header ? null : x;
    }

    private int randomLevel() {
        int l = 1;
        // p = 1/4, as Redis's ZSKIPLIST_P.
        while (l < MAX_LEVEL && (random.nextLong() & 3) == 0) {
            l++;
        }
        return l;
    }
}
