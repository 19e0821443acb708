package flexos.sched.impl;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimerQueueTest {

    /** One step of a random workload: add a timer with a deadline, or cancel the n-th timer added so far. */
    record Operation(boolean add, long deadline, int victim) {
    }

    @Provide
    Arbitrary<List<Operation>> workloads() {
        Arbitrary<Operation> add = Arbitraries.longs().between(-50, 50).map(d -> new Operation(true, d, 0));
        Arbitrary<Operation> cancel = Arbitraries.integers().between(0, 60).map(v -> new Operation(false, 0, v));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, add),
                net.jqwik.api.Tuple.of(1, cancel)).list().ofMaxSize(60);
    }

    @Property(tries = 300)
    void dueTimersComeOutByDeadlineThenInsertionOrderAndCancelledOnesNever(
            @ForAll("workloads") List<Operation> workload) {
        TimerQueue queue = new TimerQueue();
        List<TimerQueue.Timer> added = new ArrayList<>();
        Set<Long> cancelled = new HashSet<>();
        for (Operation operation : workload) {
            if (operation.add()) {
                TimerQueue.Timer timer = new TimerQueue.Timer(added.size(), operation.deadline(), 0, () -> { });
                added.add(timer);
                queue.add(timer);
            } else if (operation.victim() < added.size()) {
                long id = added.get(operation.victim()).id;
                assertEquals(cancelled.add(id), queue.cancel(id), "cancel reports whether the timer was pending");
            }
        }
        List<TimerQueue.Timer> expected = added.stream()
                .filter(timer -> !cancelled.contains(timer.id))
                .sorted(Comparator.comparingLong((TimerQueue.Timer timer) -> timer.deadline)
                        .thenComparingLong(timer -> timer.id))
                .toList();
        assertEquals(expected.size(), queue.size());

        // Nothing is due before the earliest deadline; everything is due at the latest one.
        if (!expected.isEmpty()) {
            assertNull(queue.pollDue(expected.getFirst().deadline - 1));
        }
        List<TimerQueue.Timer> fired = new ArrayList<>();
        TimerQueue.Timer timer;
        while ((timer = queue.pollDue(Long.MAX_VALUE / 2)) != null) {
            fired.add(timer);
            queue.forget(timer);
        }
        assertEquals(expected, fired);
        assertTrue(queue.isEmpty());
        fired.forEach(t -> assertFalse(queue.cancel(t.id), "a fired one-shot timer is no longer pending"));
    }
}
