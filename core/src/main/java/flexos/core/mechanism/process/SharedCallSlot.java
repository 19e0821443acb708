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

    SharedCallSlot(MemorySegment slot, WaitMode mode) {
        this.slot = slot;
        this.message = slot.asSlice(HEADER);
        this.turnAddress = slot.address() + TURN_OFFSET;
        this.mode = mode;
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
        }
    }

    @Override
    public int await(int side, long deadline, Liveness liveness) {
        if ((int) INT.getAcquire(slot, TURN_OFFSET) == side) {
            return TURN;
        }
        long start = System.nanoTime();
        long spinUntil = start + mode.spinNanos();
        long yieldUntil = spinUntil + mode.yieldNanos();
        int spins = 0;
        while (true) {
            int turn = (int) INT.getAcquire(slot, TURN_OFFSET);
            if (turn == side) {
                return TURN;
            }
            if ((++spins & 63) != 0 && mode.spinNanos() > 0) {
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
            } else if (now - yieldUntil < 0) {
                Thread.yield();
            } else {
                sleep(side, turn, timed ? Math.min(deadline - now, WaitMode.SLEEP_CHECK_NANOS) : WaitMode.SLEEP_CHECK_NANOS);
            }
        }
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
