package flexos.sched.impl;

import flexos.sched.api.Task;

import java.util.Arrays;

/**
 * The scheduler's tasks in FIFO order, as parallel arrays so that stepping them allocates nothing. A task removed
 * while a round is under way leaves a hole (a {@code null} slot) that {@link #compact} closes after the round,
 * so indexes stay stable during a round and new tasks, appended at the end, wait for the next one.
 * Not thread-safe: only the scheduler's thread touches it.
 */
final class RunQueue {

    private long[] ids = new long[8];
    private String[] names = new String[8];
    private Task[] tasks = new Task[8];
    private int size;
    private int live;

    /** Slots in use, holes included: the bound of a round. */
    int size() {
        return size;
    }

    /** Tasks still queued. */
    int live() {
        return live;
    }

    /** The task in slot {@code index}, or {@code null} for a hole. */
    Task taskAt(int index) {
        return tasks[index];
    }

    void add(long id, String name, Task task) {
        if (size == tasks.length) {
            int capacity = size * 2;
            ids = Arrays.copyOf(ids, capacity);
            names = Arrays.copyOf(names, capacity);
            tasks = Arrays.copyOf(tasks, capacity);
        }
        ids[size] = id;
        names[size] = name;
        tasks[size] = task;
        size++;
        live++;
    }

    /** Removes the task in slot {@code index} if it is still {@code task} (it may have been cancelled meanwhile). */
    void removeIfAt(int index, Task task) {
        if (tasks[index] == task) {
            clear(index);
        }
    }

    /** Removes the task with this id; returns whether it was queued. */
    boolean remove(long id) {
        for (int i = 0; i < size; i++) {
            if (tasks[i] != null && ids[i] == id) {
                clear(i);
                return true;
            }
        }
        return false;
    }

    /** Closes the holes, keeping the order of the remaining tasks. */
    void compact() {
        if (live == size) {
            return;
        }
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (tasks[i] != null) {
                ids[kept] = ids[i];
                names[kept] = names[i];
                tasks[kept] = tasks[i];
                kept++;
            }
        }
        Arrays.fill(names, kept, size, null);
        Arrays.fill(tasks, kept, size, null);
        size = kept;
    }

    /** The names of the queued tasks in order, for diagnostics. */
    String describe() {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < size; i++) {
            if (tasks[i] != null) {
                if (text.length() > 1) {
                    text.append(", ");
                }
                text.append(names[i]).append('#').append(ids[i]);
            }
        }
        return text.append(']').toString();
    }

    private void clear(int index) {
        tasks[index] = null;
        names[index] = null;
        live--;
    }
}
