package flexos.sched.impl;

import flexos.sched.api.Scheduler;
import flexos.sched.api.Task;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A cooperative round-robin scheduler with timers, after Unikraft's {@code ukschedcoop}: tasks wait in a FIFO run
 * queue and timers in a min-heap by deadline. Each turn of {@link #run} fires every timer that is due, then steps
 * every queued task once, in the order they were spawned. A task is granted a wait of 0 when another task is
 * queued, the time left to the next timer when only timers are, and {@link Long#MAX_VALUE} when nothing else is
 * pending. With no task queued, {@code run} sleeps until the next deadline.
 *
 * <p><b>Periodic timers</b> run at a fixed rate: the n-th firing is due n periods after the first deadline, not
 * one period after the previous firing, so lateness never accumulates. Periods missed entirely (the thread was
 * busy longer than a period) are skipped, not replayed in a burst.
 *
 * <p><b>Failures.</b> An exception or error thrown by a step or a timer action propagates out of {@link #run}
 * unchanged, after which the scheduler is no longer running. The task or timer that threw is removed; the others
 * stay queued, so {@code run} may be called again.
 *
 * <p><b>Threads.</b> {@link #stop} may be called from any thread. Every other method belongs to the thread that
 * runs the scheduler (or will: an image spawns its tasks before calling {@code run}); it is called from steps and
 * timers and is not synchronized. A {@code stop} issued while the scheduler is not running makes the next
 * {@code run} return at once, so a stop request that races with start-up is not lost.
 *
 * <p>Stepping a task and firing a timer allocate nothing; {@link #spawn}, {@link #after} and {@link #every} do.
 */
public final class CooperativeScheduler implements Scheduler {

    /** Delays and periods are capped so that deadline arithmetic cannot overflow (about 146 years). */
    static final long MAX_DELAY_NANOS = Long.MAX_VALUE >> 1;

    private final NanoClock clock;
    private final RunQueue runQueue = new RunQueue();
    private final TimerQueue timers = new TimerQueue();
    private final AtomicReference<Thread> runner = new AtomicReference<>();
    private volatile boolean stopRequested;
    private long nextId = 1;
    /** Written only by the running thread; other threads may read a slightly stale value. */
    private long switches;

    /** A scheduler on the system's clock. */
    public CooperativeScheduler() {
        this(NanoClock.SYSTEM);
    }

    /** A scheduler on {@code clock}: the tests' clock, which they move themselves. */
    CooperativeScheduler(NanoClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public long spawn(String name, Task task) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(task, "task");
        long id = nextId++;
        runQueue.add(id, name, task);
        return id;
    }

    @Override
    public long after(long delayNanos, Runnable action) {
        if (delayNanos < 0) {
            throw new IllegalArgumentException("delay must be >= 0 ns, got " + delayNanos);
        }
        return addTimer(delayNanos, 0, action);
    }

    @Override
    public long every(long periodNanos, Runnable action) {
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("period must be > 0 ns, got " + periodNanos);
        }
        return addTimer(periodNanos, Math.min(periodNanos, MAX_DELAY_NANOS), action);
    }

    private long addTimer(long delayNanos, long periodNanos, Runnable action) {
        Objects.requireNonNull(action, "action");
        long id = nextId++;
        timers.add(new TimerQueue.Timer(id, nanoTime() + Math.min(delayNanos, MAX_DELAY_NANOS), periodNanos, action));
        return id;
    }

    @Override
    public boolean cancel(long id) {
        return runQueue.remove(id) || timers.cancel(id);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if the scheduler is already running, on this thread or another
     * @throws RuntimeException      whatever a step or a timer action threw (likewise {@link Error}s); the scheduler
     *                               has then stopped and the failing task or timer is gone
     */
    @Override
    public void run() {
        Thread self = Thread.currentThread();
        if (!runner.compareAndSet(null, self)) {
            throw new IllegalStateException("the scheduler is already running on thread " + runner.get().getName());
        }
        try {
            loop();
        } finally {
            runQueue.compact();
            stopRequested = false;
            runner.set(null);
        }
    }

    private void loop() {
        while (!stopRequested) {
            fireDueTimers();
            if (stopRequested) {
                return;
            }
            if (runQueue.live() == 0) {
                TimerQueue.Timer next = timers.peek();
                if (next == null) {
                    return;
                }
                long wait = next.deadline - nanoTime();
                if (wait > 0) {
                    // stop() unparks us; a spurious or early return just goes round the loop again.
                    clock.park(this, wait);
                }
                continue;
            }
            stepRound();
        }
    }

    private void fireDueTimers() {
        // Only timers due at the start of this turn fire in it, so that timers cannot starve the tasks.
        long now = nanoTime();
        TimerQueue.Timer timer;
        while (!stopRequested && (timer = timers.pollDue(now)) != null) {
            switches++;
            if (timer.period == 0) {
                timers.forget(timer);
                timer.action.run();
                continue;
            }
            try {
                timer.action.run();
            } catch (Throwable failure) {
                timers.forget(timer);
                throw failure;
            }
            if (!timer.cancelled) {
                timers.reinsert(timer, nextPeriodicDeadline(timer.deadline, timer.period, now));
            }
        }
    }

    /** The first deadline after {@code now} on the grid {@code deadline + k * period}, k >= 1. */
    static long nextPeriodicDeadline(long deadline, long period, long now) {
        long next = deadline + period;
        if (next - now <= 0) {
            next += ((now - next) / period + 1) * period;
        }
        return next;
    }

    private void stepRound() {
        int round = runQueue.size();
        for (int i = 0; i < round && !stopRequested; i++) {
            Task task = runQueue.taskAt(i);
            if (task == null) {
                continue;
            }
            long maxWait = maxWaitNanos();
            switches++;
            boolean again;
            try {
                again = task.step(maxWait);
            } catch (Throwable failure) {
                runQueue.removeIfAt(i, task);
                throw failure;
            }
            if (!again) {
                runQueue.removeIfAt(i, task);
            }
        }
        runQueue.compact();
    }

    /** How long the task about to be stepped may block; see the class comment. */
    private long maxWaitNanos() {
        if (runQueue.live() > 1) {
            return 0;
        }
        TimerQueue.Timer next = timers.peek();
        if (next == null) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, next.deadline - nanoTime());
    }

    @Override
    public void stop() {
        stopRequested = true;
        Thread running = runner.get();
        if (running != null) {
            LockSupport.unpark(running);
        }
    }

    @Override
    public long nanoTime() {
        return clock.nanoTime();
    }

    /** {@inheritDoc} Exact on the running thread and after {@link #run} returns; possibly stale elsewhere. */
    @Override
    public long switches() {
        return switches;
    }

    /** The last id {@link #spawn}, {@link #after} or {@link #every} returned; 0 before the first. */
    long lastIssuedId() {
        return nextId - 1;
    }

    /** The thread running {@link #run}, or {@code null}. */
    Thread runner() {
        return runner.get();
    }

    @Override
    public String toString() {
        return "CooperativeScheduler[tasks=" + runQueue.describe() + ", timers=" + timers.size()
                + ", switches=" + switches + "]";
    }
}
