package flexos.core.mechanism.process;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A {@link CallSlot} in a shared mapping. Layout ({@code n} is the slot's size):
 * <pre>
 *   0        int turn              the side that may use the message (the futex word)
 *   4        int published         where in the message area the message just passed starts
 *   8        message area          up to n - 128
 *   n - 128  int launcherSleeping  1 while a launcher thread sleeps on the turn word
 *   n - 64   int childSleeping     1 while a child thread sleeps on the turn word
 * </pre>
 * The published offset and the start of the message area share the turn word's cache line: a small call (two
 * longs in) and its reply both fit in it, so the thread that sees the turn change already holds the whole message.
 * Between two cores each dependent cache miss costs ~50-100 ns, which was most of a small round trip when the
 * turn, the offset, the call and the reply each had a line of their own. The sleeper flags keep their own lines:
 * they are written only around a sleep, and read by every {@link #pass}.
 * Sleeping is announced with a volatile write before the last check of the turn word, and {@link #pass} reads the
 * announcement with a volatile read after its volatile write of the turn word: one of the two sides always sees
 * the other, so no wake-up is lost and none is issued while the peer spins.
 */
final class SharedCallSlot implements CallSlot {

    /** Where the message area starts; what the slot keeps after the message area. */
    static final long HEADER = 8, TRAILER = 128;
    private static final long TURN_OFFSET = 0;
    private static final long PUBLISHED_OFFSET = 4;
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment slot;
    private final MemorySegment message;
    private final long turnAddress;
    private final WaitMode mode;
    private final long sleepingBase;
    /**
     * Moving averages of this process's recent waits on this slot, by history (see {@link CallSlot#await}). One
     * thread of a process uses a slot at a time (its owner, or its server), so plain fields suffice.
     */
    private final long[] typicalWait = new long[HISTORIES];
    private final int[] waits = new int[HISTORIES];
    /** The history of the wait for the next call after the one just served here; see {@link #nextCallHistory}. */
    private int nextCallHistory = WaitCounts.CALL;

    SharedCallSlot(MemorySegment slot, WaitMode mode) {
        this.slot = slot;
        this.message = slot.asSlice(HEADER, slot.byteSize() - HEADER - TRAILER);
        this.sleepingBase = slot.byteSize() - TRAILER;
        this.turnAddress = slot.address() + TURN_OFFSET;
        this.mode = mode;
        this.cursor = new Cursor(message, FIRST_FRAME);
    }

    /** Where the message area's first frame starts. */
    static final long FIRST_FRAME = 0;

    /**
     * Where this process's thread on this slot writes its next message: {@link #FIRST_FRAME}, or, while it serves a
     * call, past that call's message (so that nested calls leave the outer frames intact).
     */
    private long frameTop = FIRST_FRAME;

    /**
     * The one cursor this process's thread on this slot reads and writes messages with. Reused rather than allocated
     * per message: a message is read completely before the thread makes or serves a nested call, and written
     * completely before it passes the turn, so nested frames never need two cursors at once.
     */
    private final Cursor cursor;

    /** This slot's cursor, moved to {@code pos} of the message area. */
    Cursor cursorAt(long pos) {
        cursor.pos = pos;
        return cursor;
    }

    /**
     * Rounds a message offset up to a word, where the next frame may start. Not to a cache line: a small call's
     * reply then lands in the same line as the call, one cache line less to move per crossing.
     */
    static long align(long offset) {
        return (offset + 7) & ~7L;
    }

    long frameTop() {
        return frameTop;
    }

    void frameTop(long top) {
        frameTop = top;
    }

    /** Says where the message about to be passed starts; {@link #pass} publishes it. */
    void publish(long messageAt) {
        slot.set(ValueLayout.JAVA_INT, PUBLISHED_OFFSET, (int) messageAt);
    }

    /** Where the message just received starts; valid after {@link #await} returned {@link #TURN}. */
    long published() {
        return slot.get(ValueLayout.JAVA_INT, PUBLISHED_OFFSET);
    }

    /** Sets the turn before either side uses the slot. */
    void initialize(int side) {
        INT.setVolatile(slot, TURN_OFFSET, side);
    }

    /** Whether {@code side} has the turn now. */
    boolean hasTurn(int side) {
        return (int) INT.getAcquire(slot, TURN_OFFSET) == side;
    }

    @Override
    public MemorySegment message() {
        return message;
    }

    private long sleepingOffset(int side) {
        return side == LAUNCHER ? sleepingBase : sleepingBase + 64;
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

    /**
     * The history in which a server thread's wait for its next call counts: one per method it served last. What
     * follows a reply depends on the call: after a read the caller works on what it read before it calls again,
     * after a write it often calls at once (Redis: after {@code recvEach} it runs the commands, after
     * {@code sendEach} it polls). One average for all of them spun through the long waits and slept through the
     * short ones.
     */
    int nextCallHistory() {
        return nextCallHistory;
    }

    void nextCallHistory(int history) {
        nextCallHistory = history;
    }

    @Override
    public int await(int side, long deadline, Liveness liveness, int role, int history) {
        int kind = Math.floorMod(history, HISTORIES);
        if ((int) INT.getAcquire(slot, TURN_OFFSET) == side) {
            if (WaitCounts.ON) {
                WaitCounts.ended(role, WaitCounts.AT_ONCE, 0, 0);
            }
            learn(kind, 0);
            return TURN;
        }
        // Every 8th wait spins the longest: a wait that ends after a sleep measures the wake-up, not the peer, so
        // without such probes a slot that once fell into sleeping would keep sleeping though its peer answers fast.
        long budget = (++waits[kind] & 7) == 0 ? mode.maxSpinNanos() : mode.spinNanos(typicalWait[kind]);
        // The clock is read first at the 64th spin, not on entry: a short wait (most small calls) then reads it
        // never, which saves two clock reads (~20 ns each) on every crossing. Such a wait counts as 0 in the
        // average; the spin budget runs from the first reading, i.e. ~1 µs longer than configured.
        long start = 0;
        long spinUntil = 0;
        int spins = 0;
        int sleeps = 0;
        while (true) {
            int turn = (int) INT.getAcquire(slot, TURN_OFFSET);
            if (turn == side) {
                long waited = spins < 64 ? 0 : System.nanoTime() - start;
                if (WaitCounts.ON) {
                    WaitCounts.ended(role, sleeps > 0 ? WaitCounts.AFTER_SLEEP : WaitCounts.SPINNING, sleeps, waited);
                }
                learn(kind, waited);
                return TURN;
            }
            // The clock and the liveness check cost more than a spin: consult them every 64 spins only.
            if ((++spins & 63) != 0 && sleeps == 0) {
                if (mode.yieldAtOnce()) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
                continue;
            }
            if (liveness.peerGone()) {
                return PEER_GONE;
            }
            long now = System.nanoTime();
            if (spins == 64) {
                start = now;
                spinUntil = now + budget;
            }
            boolean timed = deadline != Long.MAX_VALUE;
            if (timed && now - deadline >= 0) {
                return TIMED_OUT;
            }
            if (now - spinUntil < 0) {
                // Past the first microseconds a peer that has not answered is often one waiting for this core:
                // yielding hands it over (see WaitMode).
                if (mode.yieldAtOnce() || now - start > WaitMode.YIELD_AFTER_NANOS) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
            } else {
                sleeps++;
                long step = role == WaitCounts.CALL ? WaitMode.IDLE_SLEEP_CHECK_NANOS : WaitMode.SLEEP_CHECK_NANOS;
                sleep(side, turn, timed ? Math.min(deadline - now, step) : step);
            }
        }
    }

    /** The moving average of the waits of {@code history} so far (for tests). */
    long typicalWaitNanos(int history) {
        return typicalWait[Math.floorMod(history, HISTORIES)];
    }

    /** Folds one wait into the moving average (1/8 weight) of its kind. Only the thread that uses the slot calls it. */
    private void learn(int kind, long waited) {
        long sample = Math.min(waited, mode.sampleCap());
        typicalWait[kind] += (sample - typicalWait[kind]) >> 3;
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
