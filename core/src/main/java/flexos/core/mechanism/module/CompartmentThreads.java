package flexos.core.mechanism.module;

import java.util.ArrayList;
import java.util.List;

/**
 * The threads a {@code module} compartment started itself ({@code [Host] Threads}). Every start goes through here
 * ({@link ConfinedCalls#route}); when the compartment stops, every live thread is interrupted and later starts are
 * refused. Java cannot kill a thread: one that ignores the interrupt runs on, but whatever it calls through a gate
 * faults, and what it may call of the JDK is still only what the allowlist lists (no exit, no halt).
 */
final class CompartmentThreads {

    private final String compartment;
    private final List<Thread> started = new ArrayList<>();
    private String stopped;

    CompartmentThreads(String compartment) {
        this.compartment = compartment;
    }

    /** Starts {@code thread} for the compartment; refused once the compartment has stopped. */
    void start(Thread thread) {
        synchronized (this) {
            if (stopped != null) {
                throw new RefusedOperationException("compartment " + compartment + " has stopped (" + stopped
                        + "): it may start no more threads");
            }
            started.removeIf(t -> t.getState() == Thread.State.TERMINATED);
            started.add(thread);
        }
        thread.start();
    }

    /** Builds a thread with {@code builder}, then starts it as {@link #start(Thread)} does. */
    Thread start(Thread.Builder builder, Runnable task) {
        Thread thread = builder.unstarted(task);
        start(thread);
        return thread;
    }

    /** Interrupts every thread the compartment started and refuses new ones. Allocates nothing. */
    void stop(String reason) {
        synchronized (this) {
            if (stopped != null) {
                return;
            }
            stopped = reason;
            for (int i = 0; i < started.size(); i++) {
                started.get(i).interrupt();
            }
        }
    }

    /** The compartment's threads that have not ended. */
    synchronized List<Thread> live() {
        List<Thread> live = new ArrayList<>();
        for (Thread thread : started) {
            if (thread.isAlive()) {
                live.add(thread);
            }
        }
        return live;
    }
}
