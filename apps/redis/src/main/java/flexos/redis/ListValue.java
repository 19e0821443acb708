package flexos.redis;

import java.lang.foreign.MemorySegment;

/** A Redis list: a ring of off-heap element blocks, O(1) at both ends and by index. */
final class ListValue {

    private MemorySegment[] ring = new MemorySegment[8];
    private int head;
    private int size;

    int size() {
        return size;
    }

    void pushHead(MemorySegment element) {
        ensureRoom();
        head = (head - 1) & (ring.length - 1);
        ring[head] = element;
        size++;
    }

    void pushTail(MemorySegment element) {
        ensureRoom();
        ring[(head + size) & (ring.length - 1)] = element;
        size++;
    }

    /** Removes and returns the first element; the caller frees it. The list must not be empty. */
    MemorySegment popHead() {
        MemorySegment element = ring[head];
        ring[head] = null;
        head = (head + 1) & (ring.length - 1);
        size--;
        return element;
    }

    /** Removes and returns the last element; the caller frees it. The list must not be empty. */
    MemorySegment popTail() {
        int i = (head + size - 1) & (ring.length - 1);
        MemorySegment element = ring[i];
        ring[i] = null;
        size--;
        return element;
    }

    /** The element at {@code index}, which must be in {@code [0, size)}. */
    MemorySegment get(int index) {
        return ring[(head + index) & (ring.length - 1)];
    }

    private void ensureRoom() {
        if (size == ring.length) {
            MemorySegment[] bigger = new MemorySegment[ring.length * 2];
            for (int i = 0; i < size; i++) {
                bigger[i] = get(i);
            }
            ring = bigger;
            head = 0;
        }
    }

    void freeAll(Blocks blocks) {
        for (int i = 0; i < size; i++) {
            blocks.free(get(i));
        }
        ring = new MemorySegment[8];
        head = 0;
        size = 0;
    }
}
