package flexos.core.mechanism.process;

import flexos.core.config.GateWait;

/**
 * How long a thread waiting for its turn on a {@link CallSlot} spins and yields before it sleeps. Spinning keeps a
 * core busy; on a machine with few cores, two processes spinning at once would starve each other, so spinning is
 * short and yielding comes next, giving the core to the other side.
 *
 * @param spinNanos  how long to spin
 * @param yieldNanos how long to yield after spinning, before sleeping on the futex
 */
record WaitMode(long spinNanos, long yieldNanos) {

    /** The longest a sleeping thread sleeps before it checks again whether its peer is alive. */
    static final long SLEEP_CHECK_NANOS = 10_000_000L;

    static WaitMode of(GateWait wait) {
        return switch (wait) {
            case SPIN -> new WaitMode(20_000L, 200_000L);
            case BLOCK -> new WaitMode(0, 0);
        };
    }
}
