package flexos.redis;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A Redis list, as a quicklist: a chain of nodes, each holding up to {@code list-max-listpack-size} element blocks
 * (entries when positive; when negative, elements of at most 4, 8, 16, 32 or 64 KiB in total), so that pushing and
 * popping at either end is O(1) and indexing walks nodes rather than elements. The node size is fixed when the list
 * is created, as Redis fixes a quicklist's fill.
 */
final class ListValue {

    /** One node: a small ring of element blocks. */
    private static final class Node {
        MemorySegment[] items = new MemorySegment[4];
        int start;
        int count;
        long bytes;

        MemorySegment get(int i) {
            return items[(start + i) % items.length];
        }

        void set(int i, MemorySegment e) {
            items[(start + i) % items.length] = e;
        }

        void grow() {
            if (count == items.length) {
                MemorySegment[] bigger = new MemorySegment[items.length * 2];
                for (int i = 0; i < count; i++) {
                    bigger[i] = get(i);
                }
                items = bigger;
                start = 0;
            }
        }

        void addFirst(MemorySegment e) {
            grow();
            start = (start - 1 + items.length) % items.length;
            items[start] = e;
            count++;
            bytes += e.byteSize();
        }

        void addLast(MemorySegment e) {
            grow();
            items[(start + count) % items.length] = e;
            count++;
            bytes += e.byteSize();
        }

        MemorySegment removeFirst() {
            MemorySegment e = items[start];
            items[start] = null;
            start = (start + 1) % items.length;
            count--;
            bytes -= e.byteSize();
            return e;
        }

        MemorySegment removeLast() {
            int i = (start + count - 1) % items.length;
            MemorySegment e = items[i];
            items[i] = null;
            count--;
            bytes -= e.byteSize();
            return e;
        }
    }

    private final long fill;
    private final List<Node> nodes = new ArrayList<>();
    private int size;

    /** A list with nodes of Redis's default size (8 KiB). */
    ListValue() {
        this(-2);
    }

    ListValue(long fill) {
        this.fill = fill == 0 ? 1 : fill;
    }

    static ListValue create(Keyspace ks) {
        return new ListValue(ks.limits.listMaxSize);
    }

    int size() {
        return size;
    }

    /** The number of nodes (for tests and OBJECT-style introspection). */
    int nodeCount() {
        return nodes.size();
    }

    private boolean fits(Node n, MemorySegment e) {
        if (fill > 0) {
            return n.count < fill;
        }
        long limit = 4096L << Math.min(4, -fill - 1);
        return n.count == 0 || n.bytes + e.byteSize() <= limit;
    }

    void pushHead(MemorySegment element) {
        if (nodes.isEmpty() || !fits(nodes.getFirst(), element)) {
            nodes.addFirst(new Node());
        }
        nodes.getFirst().addFirst(element);
        size++;
    }

    void pushTail(MemorySegment element) {
        if (nodes.isEmpty() || !fits(nodes.getLast(), element)) {
            nodes.addLast(new Node());
        }
        nodes.getLast().addLast(element);
        size++;
    }

    /** Removes and returns the first element; the caller frees it. The list must not be empty. */
    MemorySegment popHead() {
        Node n = nodes.getFirst();
        MemorySegment e = n.removeFirst();
        if (n.count == 0) {
            nodes.removeFirst();
        }
        size--;
        return e;
    }

    /** Removes and returns the last element; the caller frees it. The list must not be empty. */
    MemorySegment popTail() {
        Node n = nodes.getLast();
        MemorySegment e = n.removeLast();
        if (n.count == 0) {
            nodes.removeLast();
        }
        size--;
        return e;
    }

    /** The node holding {@code index} and the index within it, in {@code at[0]}. */
    private Node locate(int index, int[] at) {
        if (index < size / 2) {
            for (Node n : nodes) {
                if (index < n.count) {
                    at[0] = index;
                    return n;
                }
                index -= n.count;
            }
        } else {
            int fromEnd = size - 1 - index;
            for (int k = nodes.size() - 1; k >= 0; k--) {
                Node n = nodes.get(k);
                if (fromEnd < n.count) {
                    at[0] = n.count - 1 - fromEnd;
                    return n;
                }
                fromEnd -= n.count;
            }
        }
        throw new IndexOutOfBoundsException(index);
    }

    /** The element at {@code index}, which must be in {@code [0, size)}. */
    MemorySegment get(int index) {
        int[] at = new int[1];
        return locate(index, at).get(at[0]);
    }

    /** Replaces the element at {@code index} and returns the old one, which the caller frees. */
    MemorySegment set(int index, MemorySegment element) {
        int[] at = new int[1];
        Node n = locate(index, at);
        MemorySegment old = n.get(at[0]);
        n.set(at[0], element);
        n.bytes += element.byteSize() - old.byteSize();
        return old;
    }

    /** Inserts {@code element} so that it becomes the one at {@code index} ({@code size} appends). O(n). */
    void insert(int index, MemorySegment element) {
        if (index == 0) {
            pushHead(element);
            return;
        }
        if (index == size) {
            pushTail(element);
            return;
        }
        rebuild(index, element, -1);
    }

    /** Removes and returns the element at {@code index}; the caller frees it. O(n). */
    MemorySegment removeAt(int index) {
        if (index == 0) {
            return popHead();
        }
        if (index == size - 1) {
            return popTail();
        }
        MemorySegment removed = get(index);
        rebuild(-1, null, index);
        return removed;
    }

    /** Re-chains every element, inserting {@code element} at {@code insertAt} or dropping the one at {@code removeAt}. */
    private void rebuild(int insertAt, MemorySegment element, int removeAt) {
        List<MemorySegment> all = new ArrayList<>(size + 1);
        for (Node n : nodes) {
            for (int i = 0; i < n.count; i++) {
                all.add(n.get(i));
            }
        }
        if (insertAt >= 0) {
            all.add(insertAt, element);
        }
        if (removeAt >= 0) {
            all.remove(removeAt);
        }
        nodes.clear();
        size = 0;
        for (MemorySegment e : all) {
            pushTail(e);
        }
    }

    void freeAll(Blocks blocks) {
        for (Node n : nodes) {
            for (int i = 0; i < n.count; i++) {
                blocks.free(n.get(i));
            }
        }
        nodes.clear();
        size = 0;
    }
}
