package flexos.sched.impl;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The scheduler's pending timers: a binary min-heap ordered by deadline, with removal by id in O(log n).
 * Timers with equal deadlines come out in the order they were (re)inserted. Deadlines are compared as
 * {@link System#nanoTime()} values are, by the sign of their difference, so the queue works across the clock's
 * wrap-around as long as no two deadlines are more than 2<sup>62</sup> ns apart.
 *
 * <p>A timer taken out by {@link #pollDue} stays known by id until {@link #forget} is called, so that a periodic
 * timer can be cancelled while its action runs. Not thread-safe: only the scheduler's thread touches it.
 */
final class TimerQueue {

    /** One timer: a one-shot one when {@code period} is 0. */
    static final class Timer {
        final long id;
        final long period;
        final Runnable action;
        long deadline;
        /** Insertion order, the tie-break between equal deadlines. */
        long sequence;
        /** Position in the heap, or -1 while out of it (firing, or gone). */
        int index = -1;
        boolean cancelled;

        Timer(long id, long deadline, long period, Runnable action) {
            this.id = id;
            this.deadline = deadline;
            this.period = period;
            this.action = action;
        }
    }

    private Timer[] heap = new Timer[16];
    private int size;
    private long nextSequence;
    private final Map<Long, Timer> byId = new HashMap<>();

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** The timer with the earliest deadline, or {@code null}. */
    Timer peek() {
        return size == 0 ? null : heap[0];
    }

    void add(Timer timer) {
        byId.put(timer.id, timer);
        insert(timer);
    }

    /** Puts a timer that {@link #pollDue} took out back in, due at {@code deadline}. */
    void reinsert(Timer timer, long deadline) {
        timer.deadline = deadline;
        insert(timer);
    }

    /** Takes out the earliest timer if it is due at {@code now}, else returns {@code null}. */
    Timer pollDue(long now) {
        if (size == 0 || heap[0].deadline - now > 0) {
            return null;
        }
        Timer top = heap[0];
        removeAt(0);
        return top;
    }

    /** Drops a timer taken out by {@link #pollDue} for good: cancelling it no longer finds it. */
    void forget(Timer timer) {
        byId.remove(timer.id, timer);
    }

    /** Cancels the timer with this id; returns whether there was one. */
    boolean cancel(long id) {
        Timer timer = byId.remove(id);
        if (timer == null) {
            return false;
        }
        timer.cancelled = true;
        if (timer.index >= 0) {
            removeAt(timer.index);
        }
        return true;
    }

    private void insert(Timer timer) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        timer.sequence = nextSequence++;
        timer.index = size;
        heap[size++] = timer;
        siftUp(timer.index);
    }

    private void removeAt(int index) {
        Timer removed = heap[index];
        removed.index = -1;
        int last = --size;
        if (index != last) {
            Timer moved = heap[last];
            heap[index] = moved;
            moved.index = index;
            heap[last] = null;
            siftDown(index);
            if (heap[index] == moved) {
                siftUp(index);
            }
        } else {
            heap[last] = null;
        }
    }

    private static boolean earlier(Timer a, Timer b) {
        long difference = a.deadline - b.deadline;
        return difference < 0 || (difference == 0 && a.sequence < b.sequence);
    }

    private void siftUp(int index) {
        Timer timer = heap[index];
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            Timer above = heap[parent];
            if (!earlier(timer, above)) {
                break;
            }
            heap[index] = above;
            above.index = index;
            index = parent;
        }
        heap[index] = timer;
        timer.index = index;
    }

    private void siftDown(int index) {
        Timer timer = heap[index];
        int half = size >>> 1;
        while (index < half) {
            int child = 2 * index + 1;
            int right = child + 1;
            if (right < size && earlier(heap[right], heap[child])) {
                child = right;
            }
            if (!earlier(heap[child], timer)) {
                break;
            }
            heap[index] = heap[child];
            heap[index].index = index;
            index = child;
        }
        heap[index] = timer;
        timer.index = index;
    }
}
