package flexos.sched.api;

/** A cooperative task: a function the scheduler calls repeatedly. */
@FunctionalInterface
public interface Task {

    /**
     * Runs one step.
     *
     * @param maxWaitNanos how long this step may block waiting for an event without delaying a due timer or another
     *                     ready task: 0 when others are waiting, {@link Long#MAX_VALUE} when nothing else is pending
     * @return {@code true} to be stepped again, {@code false} when the task has finished
     */
    boolean step(long maxWaitNanos);
}
