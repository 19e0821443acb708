package flexos.core.mechanism.process;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A {@link CallSlot} in a shared mapping. Layout, each field on its own cache line so that the spinning reader of
 * the turn word does not share a line with the words the other side writes:
 * <pre>
 *   0   int turn              the side that may use the message (the futex word)
 *   64  int launcherSleeping  1 while a launcher thread sleeps on the turn word
 *   128 int childSleeping     1 while a child thread sleeps on the turn word
 *   192 message area
 * </pre>
 * Sleeping is announced with a volatile write before the last check of the turn word, and {@link #pass} reads the
 * announcement with a volatile read after its volatile write of the turn word: one of the two sides always sees
 * the other, so no wake-up is lost and none is issued while the peer spins.
 */
final class SharedCallSlot implements CallSlot {

    static final long HEADER = 192;
    private static final long TURN_OFFSET = 0;
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment slot;
    private final MemorySegment message;
    private final long turnAddress;
    private final WaitMode mode;
    /**
     * Moving averages of this process's recent waits on this slot, by {@link WaitCounts} role. One thread of a
     * process uses a slot at a time (its owner, or its server), so plain fields suffice.
     */
    private final long[] typicalWait = new long[2];
    private final int[] waits = new int[2];

    SharedCallSlot(MemorySegment slot, WaitMode mode) {
        this.slot = slot;
        this.message = slot.asSlice(HEADER);
        this.turnAddress = slot.address() + TURN_OFFSET;
        this.mode = mode;
    }

    /** Where the message area's first frame starts: the word before it says where the current message is. */
    static final long FIRST_FRAME = 64;

    /**
     * Where this process's thread on this slot writes its next message: {@link #FIRST_FRAME}, or, while it serves a
     * call, past that call's message (so that nested calls leave the outer frames intact).
     */
    private long frameTop = FIRST_FRAME;

    /** Rounds a message offset up to a cache line, where the next frame may start. */
    static long align(long offset) {
        return (offset + 63) & ~63L;
    }

    long frameTop() {
        return frameTop;
    }

    void frameTop(long top) {
        frameTop = top;
    }

    /** Says where the message about to be passed starts; {@link #pass} publishes it. */
    void publish(long messageAt) {
        message.set(ValueLayout.JAVA_LONG, 0, messageAt);
    }

    /** Where the message just received starts; valid after {@link #await} returned {@link #TURN}. */
    long published() {
        return message.get(ValueLayout.JAVA_LONG, 0);
    }

    /** Sets the turn before either side uses the slot. */
    void initialize(int side) {
        INT.setVolatile(slot, TURN_OFFSET, side);
    }

    @Override
    public MemorySegment message() {
        return message;
    }

    private static long sleepingOffset(int side) {
        return side == LAUNCHER ? 64 : 128;
    }

    @Override
    public void pass(int side) {
        INT.setVolatile(slot, TURN_OFFSET, side);
        if ((int) INT.getVolatile(slot, sleepingOffset(side)) != 0) {
            Syscalls.futexWake(turnAddress);
            if (WaitCounts.ON) {
                WaitCounts.woke();
            }
        }
    }

    @Override
    public int await(int side, long deadline, Liveness liveness, int role) {
        if ((int) INT.getAcquire(slot, TURN_OFFSET) == side) {
            if (WaitCounts.ON) {
                WaitCounts.ended(role, WaitCounts.AT_ONCE, 0, 0);
            }
            learn(role, 0);
            return TURN;
        }
        long start = System.nanoTime();
        // Every 8th wait spins the longest: a wait that ends after a sleep measures the wake-up, not the peer, so
        // without such probes a slot that once fell into sleeping would keep sleeping though its peer answers fast.
        long budget = (++waits[role] & 7) == 0 ? mode.maxSpinNanos() : mode.spinNanos(typicalWait[role]);
        long spinUntil = start + budget;
        int spins = 0;
        int sleeps = 0;
        while (true) {
            int turn = (int) INT.getAcquire(slot, TURN_OFFSET);
            if (turn == side) {
                long waited = System.nanoTime() - start;
                if (WaitCounts.ON) {
                    WaitCounts.ended(role, sleeps > 0 ? WaitCounts.AFTER_SLEEP : WaitCounts.SPINNING, sleeps, waited);
                }
                learn(role, waited);
                return TURN;
            }
            // The clock and the liveness check cost more than a spin: consult them every 64 spins only.
            if ((++spins & 63) != 0 && sleeps == 0) {
                Thread.onSpinWait();
                continue;
            }
            if (liveness.peerGone()) {
                return PEER_GONE;
            }
            long now = System.nanoTime();
            boolean timed = deadline != Long.MAX_VALUE;
            if (timed && now - deadline >= 0) {
                return TIMED_OUT;
            }
            if (now - spinUntil < 0) {
                Thread.onSpinWait();
            } else {
                sleeps++;
                sleep(side, turn, timed ? Math.min(deadline - now, WaitMode.SLEEP_CHECK_NANOS) : WaitMode.SLEEP_CHECK_NANOS);
            }
        }
    }

    /** Folds one wait into the moving average (1/8 weight) of its kind. Only the thread that uses the slot calls it. */
    private void learn(int role, long waited) {
        long sample = Math.min(waited, mode.sampleCap());
        typicalWait[role] += (sample - typicalWait[role]) >> 3;
    }

    private void sleep(int side, int seen, long nanos) {
        long sleeping = sleepingOffset(side);
        INT.setVolatile(slot, sleeping, 1);
        if ((int) INT.getVolatile(slot, TURN_OFFSET) == seen) {
            Syscalls.futexWait(turnAddress, seen, Math.max(1, nanos));
        }
        INT.setVolatile(slot, sleeping, 0);
    }

    @Override
    public void wakeAll() {
        Syscalls.futexWake(turnAddress);
    }
}
