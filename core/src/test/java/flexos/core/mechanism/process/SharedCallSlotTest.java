package flexos.core.mechanism.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

/** How a call slot's adaptive spinning learns from the waits it has seen ({@link WaitMode}). */
class SharedCallSlotTest {

    private static final WaitMode SPIN = WaitMode.of(GateWait.SPIN);

    @Test
    void waitsThatEndedAfterASleepTeachTheSlotToSleepSoonNotToSpinForAWakeUp() {
        try (Arena arena = Arena.ofConfined()) {
            SharedCallSlot slot = new SharedCallSlot(arena.allocate(4096, 64), SPIN);
            // 10 µs waits that each needed a futex sleep: 10 µs is the wake-up, the peer itself was not seen.
            for (int i = 0; i < 64; i++) {
                slot.learn(WaitCounts.REPLY, 10_000, true);
            }
            assertEquals(SPIN.minSpinNanos(), slot.spinBudget(WaitCounts.REPLY));
            // The other kind of wait keeps its own history.
            assertEquals(SPIN.minSpinNanos(), slot.spinBudget(WaitCounts.CALL));
        }
    }

    @Test
    void waitsThatEndedWhileSpinningTeachTheSlotToSpinAFewTimesThatLong() {
        try (Arena arena = Arena.ofConfined()) {
            SharedCallSlot slot = new SharedCallSlot(arena.allocate(4096, 64), SPIN);
            for (int i = 0; i < 64; i++) {
                slot.learn(WaitCounts.REPLY, 10_000, true);
            }
            // The peer now answers in 10 µs while the waiter spins: spinning 4 x 10 + 1 µs pays.
            for (int i = 0; i < 64; i++) {
                slot.learn(WaitCounts.REPLY, 10_000, false);
            }
            assertEquals(41_000, slot.spinBudget(WaitCounts.REPLY), 500);
            // Waits longer than the longest spin: sleep after the shortest.
            for (int i = 0; i < 64; i++) {
                slot.learn(WaitCounts.REPLY, 5 * SPIN.maxSpinNanos(), false);
            }
            assertEquals(SPIN.minSpinNanos(), slot.spinBudget(WaitCounts.REPLY));
        }
    }
}
