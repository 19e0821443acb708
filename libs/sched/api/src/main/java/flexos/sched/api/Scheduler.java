package flexos.sched.api;

/**
 * A cooperative scheduler: it runs the image's tasks one step at a time on one thread and fires timers between
 * steps. Nothing preempts a step, so a task that must wait for I/O does so inside its step, for at most the time
 * the scheduler grants it (see {@link Task#step(long)}).
 *
 * <p>{@link #spawn}, {@link #after}, {@link #every} and {@link #cancel} may be called from steps and timers.
 * {@link #stop} may be called from any thread.
 */
public interface Scheduler {

    /** Adds a task; it is stepped until its step returns {@code false} or it is cancelled. Returns its id. */
    long spawn(String name, Task task);

    /** Runs {@code action} once, {@code delayNanos} from now. Returns its id. */
    long after(long delayNanos, Runnable action);

    /** Runs {@code action} every {@code periodNanos}, the first time one period from now. Returns its id. */
    long every(long periodNanos, Runnable action);

    /** Cancels a task or timer; returns whether it was still pending. */
    boolean cancel(long id);

    /**
     * Runs tasks and timers on the calling thread until {@link #stop} is called or nothing is left to run.
     *
     * @throws IllegalStateException if the scheduler is already running
     */
    void run();

    /** Asks {@link #run} to return after the current step or timer. */
    void stop();

    /** The scheduler's clock, in nanoseconds; monotonic. */
    long nanoTime();

    /** How many task steps and timer firings have run, for statistics. */
    long switches();
}
