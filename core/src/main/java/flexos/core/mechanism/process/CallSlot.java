package flexos.core.mechanism.process;

import java.lang.foreign.MemorySegment;

/**
 * One call slot of a {@code process} gate: a block of shared memory through which one thread of the image and one
 * thread of a compartment process talk, one message at a time, turn by turn. A thread that owns a slot uses it
 * for every call it makes into that process, and for every call back it serves while waiting, so nested and
 * re-entrant calls ({@code A -> B -> A}) stay on one slot and need no other thread: the slot carries a stack of
 * calls whose frames alternate between the two sides.
 *
 * <p>Contract:
 * <ul>
 *   <li>Exactly one side has the turn; only that side reads or writes {@link #message()}.</li>
 *   <li>{@link #pass} publishes every write to the message made before it (release); {@link #await} returning
 *       makes every write of the other side before its {@code pass} visible (acquire).</li>
 *   <li>{@link #await} waits by the slot's {@link WaitMode}: spinning (adaptively: only as long as recent waits
 *       suggest the turn comes soon), then sleeping on a futex on the turn word, so an idle process spends no CPU. {@code pass} issues a wake-up only if the other side
 *       said it sleeps.</li>
 *   <li>Failure is part of the primitive: {@code await} gives up when the peer is declared dead, when the
 *       {@code deadline} passes, or when the slot is closed, and says which by its result.</li>
 * </ul>
 */
interface CallSlot {

    /** The side of the image's launcher process. */
    int LAUNCHER = 1;
    /** The side of the compartment's process. */
    int CHILD = 2;

    /** {@link #await} result: the caller has the turn. */
    int TURN = 0;
    /** {@link #await} result: the deadline passed first. */
    int TIMED_OUT = 1;
    /** {@link #await} result: the peer was declared dead or the slot closed. */
    int PEER_GONE = 2;

    /** The slot's message area, valid while the caller has the turn. */
    MemorySegment message();

    /** Gives the turn to {@code side}, waking it if it sleeps. */
    void pass(int side);

    /**
     * Waits until {@code side} has the turn, {@code deadline} ({@link System#nanoTime()}; {@link Long#MAX_VALUE}
     * for none) passes, or {@code liveness} says the peer is gone. {@code role} ({@link WaitCounts#REPLY} or
     * {@link WaitCounts#CALL}) says whether the thread waits for the answer to its call or, idle, for the next call.
     */
    default int await(int side, long deadline, Liveness liveness, int role) {
        return await(side, deadline, liveness, role, role);
    }

    /**
     * {@link #await}, learning from and for the waits of one {@code history}: {@code 0} to {@link #HISTORIES}
     * {@code - 1}, a kind of wait whose length the slot predicts from the recent waits of the same kind (the reply
     * of one method, or the call that follows one method's reply). Histories {@code 0} and {@code 1} are the
     * general ones of each role. A history out of range is taken modulo {@link #HISTORIES}.
     */
    int await(int side, long deadline, Liveness liveness, int role, int history);

    /** How many histories of waits a slot keeps. */
    int HISTORIES = 32;

    /** Wakes a thread of either side that sleeps on this slot, so that it re-checks its liveness. */
    void wakeAll();

    /** Whether the peer of a waiting thread is still there. */
    @FunctionalInterface
    interface Liveness {
        boolean peerGone();
    }
}
