package flexos.redis;

import java.lang.foreign.MemorySegment;

/**
 * Redis's {@code zskiplist}: members ordered by (score, member bytes), with O(log n) insertion and deletion and O(1)
 * access to the lowest element. Member blocks are owned by the enclosing {@link SortedSetValue}.
 */
final class SkipList {

    private static final int MAX_LEVEL = 32;

    static final class Node {
        final MemorySegment member;
        final double score;
        final Node[] forward;
        Node backward;

        Node(MemorySegment member, double score, int level) {
            this.member = member;
            this.score = score;
            this.forward = new Node[level];
        }
    }

    private final Blocks blocks;
    private final Xorshift random;
    private final Node header = new Node(null, 0, MAX_LEVEL);
    private int level = 1;
    private int length;

    SkipList(Blocks blocks, Xorshift random) {
        this.blocks = blocks;
        this.random = random;
    }

    int length() {
        return length;
    }

    /** The lowest element, or {@code null}. */
    Node first() {
        return header.forward[0];
    }

    /** The next higher element, or {@code null}. */
    static Node after(Node node) {
        return node.forward[0];
    }

    private boolean precedes(Node node, double score, MemorySegment member) {
        return node.score < score || (node.score == score && blocks.compare(node.member, member) < 0);
    }

    Node insert(double score, MemorySegment member) {
        Node[] update = new Node[MAX_LEVEL];
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && precedes(x.forward[i], score, member)) {
                x = x.forward[i];
            }
            update[i] = x;
        }
        int newLevel = randomLevel();
        if (newLevel > level) {
            for (int i = level; i < newLevel; i++) {
                update[i] = header;
            }
            level = newLevel;
        }
        Node node = new Node(member, score, newLevel);
        for (int i = 0; i < newLevel; i++) {
            node.forward[i] = update[i].forward[i];
            update[i].forward[i] = node;
        }
        node.backward = update[0] == header ? null : update[0];
        if (node.forward[0] != null) {
            node.forward[0].backward = node;
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
                update[i].forward[i] = node.forward[i];
            }
        }
        if (node.forward[0] != null) {
            node.forward[0].backward = node.backward;
        }
        while (level > 1 && header.forward[level - 1] == null) {
            level--;
        }
        length--;
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
