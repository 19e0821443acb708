package flexos.core.mechanism.process;


/**
 * How long a thread waiting for its turn on a {@link CallSlot} spins before it sleeps on the futex of the turn word.
 *
 * <p>Spinning answers in a few hundred nanoseconds but holds a core; sleeping costs a futex wake-up (a system call
 * for the waker, tens of microseconds of scheduling latency for the sleeper on a busy machine) but frees the core.
 * On a 2-core machine that also runs the client of the image (redis-benchmark), a thread that spins through the
 * other side's long work takes the core the client needs. So spinning is adaptive: the slot remembers how long
 * recent waits of the same kind took, and spins only when they were short (for up to a few times their typical
 * length plus {@link #HICCUP_NANOS}, at most {@code maxSpinNanos}); otherwise it spins {@code minSpinNanos} and
 * sleeps. Every 8th wait spins
 * {@code maxSpinNanos}, so that a slot whose waits were long only because both sides slept finds out when its peer
 * answers fast again. A wait that has spun {@link #YIELD_AFTER_NANOS} yields between its spins from then on: on two
 * cores shared with the client, a peer that has not answered by then is often runnable but waiting for the core the
 * spinner holds.
 *
 * <p>When both sides of the slot run on one CPU ({@code cpu:}), a spin only delays the peer, which needs that CPU to
 * answer: such a wait yields from its first turn round the loop ({@code yieldAtOnce}).
 *
 * @param minSpinNanos how long to spin when recent waits were long ({@code 0}: sleep at once)
 * @param maxSpinNanos the longest spin, when recent waits were short
 * @param yieldAtOnce  whether a spin yields at every turn round the loop, for a peer on the same CPU
 */
record WaitMode(long minSpinNanos, long maxSpinNanos, boolean yieldAtOnce) {

    /** The longest a sleeping thread sleeps before it checks again whether its peer is alive. */
    static final long SLEEP_CHECK_NANOS = 10_000_000L;

    /**
     * The same for a server thread idle between calls. Longer, because most of the 40 server threads of a gate
     * (one per slot, on both sides) are idle for good, and waking each every 10 ms preempted the spinning threads
     * of the calls in flight thousands of times a second (the small-call p99). An idle server has no caller to
     * fail: closing the endpoint wakes it through the futex, and this step only bounds a wake-up lost in a race.
     */
    static final long IDLE_SLEEP_CHECK_NANOS = 100_000_000L;

    static WaitMode of(GateWait wait) {
        return of(wait, false);
    }

    /** The wait mode of {@code wait}; {@code sameCpu}: both sides of the slot are pinned to one CPU. */
    static WaitMode of(GateWait wait, boolean sameCpu) {
        return switch (wait) {
            case SPIN -> new WaitMode(2_000L, 50_000L, sameCpu);
            case BLOCK -> new WaitMode(0, 0, sameCpu);
        };
    }

    /**
     * The spin budget of the next wait, given the moving average of recent waits of its kind: a few times the
     * typical wait if that fits in {@link #maxSpinNanos}, else {@link #minSpinNanos}.
     */
    long spinNanos(long typicalWaitNanos) {
        if (typicalWaitNanos > maxSpinNanos) {
            return minSpinNanos;
        }
        return Math.max(minSpinNanos, Math.min(maxSpinNanos, 4 * typicalWaitNanos + HICCUP_NANOS));
    }

    /**
     * What a spin budget adds to a few times the typical wait: enough to ride out the hiccups of a short wait (an
     * interrupt, a timer tick, another thread run for a moment) rather than sleep through them. A wait that sleeps
     * costs a futex wake-up, which on these VMs takes 50-300 us; with a margin of 1 us, 0.14% of the small call's
     * waits slept, which was most of its mean.
     */
    static final long HICCUP_NANOS = 20_000L;

    /**
     * How long a wait spins with {@link Thread#onSpinWait()} before it spins with {@link Thread#yield()}. Measured on
     * the Redis image with net in a process (2 vCPUs, Linux 6.18, two alternated runs of 5 rounds): 5 us gave SET / GET
     * 1.17-1.34M / 1.46M against 1.01-1.07M / 1.04-1.09M without yielding, 20 us no gain; the small call did not
     * change. (On the machine of 3 December, an older kernel, a yield phase after 20 us of spinning had made nearly
     * every wait that reached it last 100-250 us; it was removed then.)
     */
    static final long YIELD_AFTER_NANOS = 5_000L;

    /** A wait longer than this counts as this long in the moving average, so that one idle period is soon forgotten. */
    long sampleCap() {
        return 4 * maxSpinNanos;
    }
}
