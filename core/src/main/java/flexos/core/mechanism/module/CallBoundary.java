package flexos.core.mechanism.module;

/**
 * What a {@code module} gate crosses around the call itself: after it has marshalled the arguments in, before it
 * marshals the result out. A plain {@code module} domain has none. {@code mpk} gives its domains one that switches
 * the thread's protection-key rights, so that marshalling reads and writes with the caller's rights and only the
 * call runs with the callee's.
 *
 * <p>A gate calls {@link #enter} on the thread that makes the call, then {@link #leave} on the same thread with what
 * {@code enter} returned, whether the call returned or threw. Implementations are thread-safe; {@code enter} and
 * {@code leave} allocate nothing.
 */
public interface CallBoundary {

    /** Crosses into the code behind the gate; returns what {@link #leave} needs to restore the thread. */
    int enter();

    /** Restores the thread as it was before the {@link #enter} that returned {@code entered}. */
    void leave(int entered);

    /**
     * The boundary of a gate in front of a callback that the current thread is handing across now: calls through it
     * run the callback's code as the thread is now (the side that handed it over), whoever makes them later.
     */
    CallBoundary back();
}
