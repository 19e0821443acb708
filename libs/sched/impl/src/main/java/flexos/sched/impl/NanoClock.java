package flexos.sched.impl;

import java.util.concurrent.locks.LockSupport;

/**
 * Where the scheduler reads the time and waits for it to pass (after Agrona's {@code NanoClock}): the system's
 * monotonic clock in an image, a clock the test moves by hand in the scheduler's tests, so that what they assert of
 * deadlines and rates is exact instead of allowing slack for a loaded machine.
 */
interface NanoClock {

    /** A monotonic time in nanoseconds, comparable only by the sign of differences, like {@link System#nanoTime()}. */
    long nanoTime();

    /**
     * Waits for at most {@code nanos} nanoseconds. It may return early (a spurious wake-up, or an unpark from
     * {@link CooperativeScheduler#stop}); the caller checks the time again.
     */
    void park(Object blocker, long nanos);

    /** The system's clock, waiting with {@link LockSupport#parkNanos(Object, long)}. */
    NanoClock SYSTEM = new NanoClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void park(Object blocker, long nanos) {
            LockSupport.parkNanos(blocker, nanos);
        }
    };
}
