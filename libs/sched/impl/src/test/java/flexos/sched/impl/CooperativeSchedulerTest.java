package flexos.sched.impl;

import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import flexos.sched.api.Scheduler;
import flexos.sched.api.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class CooperativeSchedulerTest {

    private static final long MS = 1_000_000L;

    private final CooperativeScheduler scheduler = new CooperativeScheduler();
    /** The tests of deadlines and rates run in virtual time, so that what they assert is exact. */
    private final ManualClock clock = new ManualClock();
    private final CooperativeScheduler timed = new CooperativeScheduler(clock);

    /** A task that records its name each step and finishes after {@code steps} steps. */
    private static Task recording(List<String> log, String name, int steps) {
        int[] left = {steps};
        return maxWait -> {
            log.add(name);
            return --left[0] > 0;
        };
    }

    @Test
    void tasksRunRoundRobinInSpawnOrderUntilTheyFinish() {
        List<String> log = new ArrayList<>();
        scheduler.spawn("a", recording(log, "a", 3));
        scheduler.spawn("b", recording(log, "b", 1));
        scheduler.spawn("c", recording(log, "c", 2));

        scheduler.run();

        assertEquals(List.of("a", "b", "c", "a", "c", "a"), log);
        assertEquals(6, scheduler.switches());
    }

    @Test
    void aTaskSpawnedDuringARoundRunsAtTheEndOfTheQueueFromTheNextRound() {
        List<String> log = new ArrayList<>();
        scheduler.spawn("a", maxWait -> {
            log.add("a");
            scheduler.spawn("late", recording(log, "late", 1));
            return false;
        });
        scheduler.spawn("b", recording(log, "b", 2));

        scheduler.run();

        assertEquals(List.of("a", "b", "b", "late"), log);
    }

    @Test
    void maxWaitIsZeroWhileAnotherTaskIsQueued() {
        List<Long> waits = new ArrayList<>();
        scheduler.spawn("long", maxWait -> {
            waits.add(maxWait);
            return waits.size() < 3;
        });
        scheduler.spawn("short", maxWait -> false);

        scheduler.run();

        // First round: "short" is still queued; afterwards "long" is alone with nothing else pending.
        assertEquals(List.of(0L, Long.MAX_VALUE, Long.MAX_VALUE), waits);
    }

    @Test
    void maxWaitIsTheTimeLeftToTheNextTimerWhenOnlyTimersArePending() {
        List<Long> waits = new ArrayList<>();
        timed.after(200 * MS, () -> { });
        long before = timed.nanoTime();
        timed.spawn("alone", maxWait -> {
            waits.add(maxWait);
            return false;
        });

        timed.run();

        assertEquals(List.of(200 * MS), waits);
        // run() returned only after the timer fired, so it waited for it, and no longer.
        assertEquals(200 * MS, timed.nanoTime() - before);
    }

    @Test
    void maxWaitIsZeroWhenATimerIsAlreadyDue() {
        List<Long> waits = new ArrayList<>();
        // A timer set by a timer is left for the next turn, so it is already overdue when the task is stepped.
        timed.after(0, () -> {
            clock.advance(1);
            timed.after(0, () -> { });
        });
        timed.spawn("alone", maxWait -> {
            waits.add(maxWait);
            return false;
        });

        timed.run();

        assertEquals(List.of(0L), waits);
    }

    @Test
    void timersFireOnceInDeadlineOrderNotSchedulingOrder() {
        List<String> log = new ArrayList<>();
        scheduler.after(30 * MS, () -> log.add("30"));
        scheduler.after(10 * MS, () -> log.add("10"));
        scheduler.after(20 * MS, () -> log.add("20"));
        scheduler.after(10 * MS + 1, () -> log.add("10+1ns"));

        scheduler.run();

        assertEquals(List.of("10", "10+1ns", "20", "30"), log);
        assertEquals(4, scheduler.switches());
    }

    @Test
    void timerFiresAtItsDeadlineNotBefore() {
        long[] firedAt = new long[1];
        long start = timed.nanoTime();
        timed.after(50 * MS, () -> firedAt[0] = timed.nanoTime());

        timed.run();

        assertEquals(50 * MS, firedAt[0] - start);
    }

    @Test
    void everyRepeatsAtAFixedRateUntilCancelled() {
        long period = 20 * MS;
        List<Long> firings = new ArrayList<>();
        long start = timed.nanoTime();
        long[] id = new long[1];
        id[0] = timed.every(period, () -> {
            firings.add(timed.nanoTime() - start);
            if (firings.size() == 5) {
                assertTrue(timed.cancel(id[0]), "a periodic timer is pending while it fires");
            }
        });

        timed.run();

        assertEquals(List.of(20 * MS, 40 * MS, 60 * MS, 80 * MS, 100 * MS), firings);
        assertFalse(timed.cancel(id[0]));
    }

    @Test
    void periodicDeadlinesStayOnTheirGridAndSkipMissedPeriods() {
        // on time: exactly one period later, whatever time it is now
        assertEquals(1_100, CooperativeScheduler.nextPeriodicDeadline(1_000, 100, 1_050));
        // late within the period: still on the grid, so lateness does not accumulate
        assertEquals(1_100, CooperativeScheduler.nextPeriodicDeadline(1_000, 100, 1_099));
        // missed several periods: the next grid point after now, not a burst of catch-up firings
        assertEquals(1_400, CooperativeScheduler.nextPeriodicDeadline(1_000, 100, 1_350));
        assertEquals(1_500, CooperativeScheduler.nextPeriodicDeadline(1_000, 100, 1_400));
        // across the clock's wrap-around
        assertEquals(Long.MIN_VALUE + 49, CooperativeScheduler.nextPeriodicDeadline(Long.MAX_VALUE - 50, 100, Long.MAX_VALUE));
    }

    @Test
    void periodicTimerDoesNotDriftWhenItsActionIsSlow() {
        long period = 20 * MS;
        List<Long> firings = new ArrayList<>();
        long start = timed.nanoTime();
        long[] id = new long[1];
        id[0] = timed.every(period, () -> {
            firings.add(timed.nanoTime() - start);
            // each firing takes 10 ms: a fixed-delay timer would slip by that much every period
            clock.advance(10 * MS);
            if (firings.size() == 6) {
                timed.cancel(id[0]);
            }
        });

        timed.run();

        // fixed rate: the 6th firing at 120 ms; fixed delay would put it at 120 + 5 * 10 = 170 ms
        assertEquals(List.of(20 * MS, 40 * MS, 60 * MS, 80 * MS, 100 * MS, 120 * MS), firings);
    }

    @Test
    void aPeriodicActionSlowerThanItsPeriodSkipsTheMissedFiringsInsteadOfBursting() {
        long period = 20 * MS;
        List<Long> firings = new ArrayList<>();
        long start = timed.nanoTime();
        long[] id = new long[1];
        id[0] = timed.every(period, () -> {
            firings.add(timed.nanoTime() - start);
            clock.advance(45 * MS);
            if (firings.size() == 3) {
                timed.cancel(id[0]);
            }
        });

        timed.run();

        // The firing due at 20 ends at 65. The deadline after it was set on the grid when it started (40), so it fires
        // once, late, at 65; 60 passed meanwhile and is skipped, not replayed. That firing ends at 110, its successor
        // (80) fires once at 110, and 100 is skipped.
        assertEquals(List.of(20 * MS, 65 * MS, 110 * MS), firings);
    }

    @Test
    void cancelRemovesAQueuedTaskAndAPendingTimer() {
        List<String> log = new ArrayList<>();
        long task = scheduler.spawn("doomed", recording(log, "doomed", 100));
        long timer = scheduler.after(5 * MS, () -> log.add("timer"));
        long kept = scheduler.after(10 * MS, () -> log.add("kept"));
        assertNotEquals(task, timer);
        assertNotEquals(timer, kept);

        assertTrue(scheduler.cancel(task));
        assertTrue(scheduler.cancel(timer));
        assertFalse(scheduler.cancel(task), "already cancelled");
        assertFalse(scheduler.cancel(12345), "unknown id");

        scheduler.run();

        assertEquals(List.of("kept"), log);
    }

    @Test
    void aTaskCancelledByAnotherDuringARoundIsNotSteppedAgain() {
        List<String> log = new ArrayList<>();
        long[] victim = new long[1];
        scheduler.spawn("killer", maxWait -> {
            log.add("killer");
            assertTrue(scheduler.cancel(victim[0]));
            return false;
        });
        victim[0] = scheduler.spawn("victim", recording(log, "victim", 100));
        scheduler.spawn("bystander", recording(log, "bystander", 2));

        scheduler.run();

        assertEquals(List.of("killer", "bystander", "bystander"), log);
    }

    @Test
    void aOneShotTimerIsNoLongerPendingWhileItFires() {
        boolean[] cancelled = new boolean[1];
        long[] id = new long[1];
        id[0] = scheduler.after(0, () -> cancelled[0] = scheduler.cancel(id[0]));

        scheduler.run();

        assertFalse(cancelled[0]);
    }

    @Test
    void stopFromAnotherThreadEndsARunThatSleepsOnAFarTimer() throws Exception {
        scheduler.after(TimeUnit.HOURS.toNanos(1), () -> { });
        CountDownLatch returned = new CountDownLatch(1);
        Thread runner = Thread.ofPlatform().start(() -> {
            scheduler.run();
            returned.countDown();
        });
        try {
            Thread.sleep(50);
            long asked = System.nanoTime();
            scheduler.stop();
            assertTrue(returned.await(2, TimeUnit.SECONDS), "run() did not return after stop()");
            assertTrue(System.nanoTime() - asked < TimeUnit.SECONDS.toNanos(1));
        } finally {
            scheduler.stop();
            runner.join(2_000);
        }
        assertFalse(runner.isAlive());
    }

    @Test
    void stopFromAnotherThreadEndsARunWithBusyTasks() throws Exception {
        scheduler.spawn("spin", maxWait -> true);
        scheduler.spawn("spin too", maxWait -> true);
        Thread runner = Thread.ofPlatform().start(scheduler::run);
        try {
            Thread.sleep(50);
            scheduler.stop();
            runner.join(2_000);
            assertFalse(runner.isAlive(), "run() did not return after stop()");
        } finally {
            scheduler.stop();
            runner.join(2_000);
        }
        assertTrue(scheduler.switches() > 2);
    }

    @Test
    void aStopRequestedBeforeRunIsNotLostAndRunCanResumeAfterwards() {
        List<String> log = new ArrayList<>();
        scheduler.spawn("a", recording(log, "a", 2));
        scheduler.stop();

        scheduler.run();
        assertEquals(List.of(), log);

        scheduler.run();
        assertEquals(List.of("a", "a"), log);
    }

    @Test
    void runningTwiceConcurrentlyThrows() throws Exception {
        CountDownLatch stepping = new CountDownLatch(1);
        scheduler.spawn("spin", maxWait -> {
            stepping.countDown();
            Thread.onSpinWait();
            return true;
        });
        Thread runner = Thread.ofPlatform().start(scheduler::run);
        try {
            assertTrue(stepping.await(2, TimeUnit.SECONDS));
            IllegalStateException thrown = assertThrows(IllegalStateException.class, scheduler::run);
            assertTrue(thrown.getMessage().contains("already running"), thrown.getMessage());
        } finally {
            scheduler.stop();
            runner.join(2_000);
        }
        assertFalse(runner.isAlive());
    }

    @Test
    void aFailingStepPropagatesStopsTheSchedulerAndIsRemoved() {
        List<String> log = new ArrayList<>();
        IllegalStateException boom = new IllegalStateException("boom");
        scheduler.spawn("ok", recording(log, "ok", 3));
        scheduler.spawn("bad", maxWait -> {
            throw boom;
        });

        assertSame(boom, assertThrows(IllegalStateException.class, scheduler::run));
        assertEquals(List.of("ok"), log);

        // Not running any more, and the failing task is gone: the rest carries on.
        scheduler.run();
        assertEquals(List.of("ok", "ok", "ok"), log);
    }

    @Test
    void aFailingTimerPropagatesAndIsRemovedEvenIfPeriodic() {
        AtomicReference<Integer> firings = new AtomicReference<>(0);
        scheduler.every(MS, () -> {
            firings.set(firings.get() + 1);
            throw new ArithmeticException("timer failed");
        });

        assertThrows(ArithmeticException.class, scheduler::run);
        scheduler.run(); // returns at once: nothing is left

        assertEquals(1, firings.get());
    }

    @Test
    void steppingTasksAndFiringTimersAllocatesNothing() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        int steps = 200_000;
        long[] allocated = new long[2];
        int[] count = {0};
        scheduler.every(MS / 10, () -> { });
        scheduler.spawn("other", maxWait -> count[0] < steps);
        scheduler.spawn("measured", maxWait -> {
            count[0]++;
            if (count[0] == steps / 2) { // after warm-up, so that class loading and JIT do not count
                allocated[0] = threads.getCurrentThreadAllocatedBytes();
            } else if (count[0] == steps) {
                allocated[1] = threads.getCurrentThreadAllocatedBytes();
                scheduler.stop();
            }
            return true;
        });

        scheduler.run();

        assertTrue(allocated[1] - allocated[0] < 1024,
                (allocated[1] - allocated[0]) + " bytes allocated over " + steps / 2 + " steps");
    }

    @Test
    void rejectsNegativeDelaysAndNonPositivePeriods() {
        assertThrows(IllegalArgumentException.class, () -> scheduler.after(-1, () -> { }));
        assertThrows(IllegalArgumentException.class, () -> scheduler.every(0, () -> { }));
        assertThrows(NullPointerException.class, () -> scheduler.spawn("x", null));
    }

    @Test
    void runReturnsAtOnceWhenNothingIsQueued() {
        scheduler.run();
        assertEquals(0, scheduler.switches());
    }

    @Test
    void idsAreUniqueAcrossTasksAndTimers() {
        Set<Long> ids = new java.util.HashSet<>();
        for (int i = 0; i < 100; i++) {
            assertTrue(ids.add(scheduler.spawn("t", maxWait -> false)));
            assertTrue(ids.add(scheduler.after(0, () -> { })));
            assertTrue(ids.add(scheduler.every(MS, () -> { })));
        }
    }

    @Test
    void theLibraryExportsASchedulerThatClosingStops() throws Exception {
        SchedLibrary library = new SchedLibrary();
        assertEquals("sched", library.name());
        assertEquals(Set.of(Scheduler.class), library.exports());
        assertEquals(Set.of(), library.imports());

        // The scheduler needs nothing from its context: every call on it fails.
        LibraryContext noContext = (LibraryContext) java.lang.reflect.Proxy.newProxyInstance(
                LibraryContext.class.getClassLoader(), new Class<?>[] {LibraryContext.class},
                (proxy, method, args) -> { throw new UnsupportedOperationException(method.getName()); });
        LibraryInstance instance = library.instantiate(noContext);
        Scheduler exported = instance.export(Scheduler.class);
        exported.after(TimeUnit.HOURS.toNanos(1), () -> { });
        Thread runner = Thread.ofPlatform().start(exported::run);
        try {
            Thread.sleep(20);
            instance.close();
            runner.join(2_000);
            assertFalse(runner.isAlive(), "closing the instance did not stop its scheduler");
        } finally {
            exported.stop();
            runner.join(2_000);
        }
    }
}
