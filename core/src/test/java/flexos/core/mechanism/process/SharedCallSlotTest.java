package flexos.core.mechanism.process;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The turn protocol of one slot between two threads of this process, and the waits it learns from. */
class SharedCallSlotTest {

    @Test
    void aLongWaitTeachesOnlyItsOwnHistory() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment memory = arena.allocate(8192, 4096);
            SharedCallSlot launcher = new SharedCallSlot(memory, WaitMode.of(GateWait.SPIN));
            SharedCallSlot child = new SharedCallSlot(memory, WaitMode.of(GateWait.SPIN));
            launcher.initialize(CallSlot.CHILD);
            Thread peer = Thread.ofPlatform().start(() -> {
                for (int round = 0; round < 2; round++) {
                    child.await(CallSlot.CHILD, Long.MAX_VALUE, () -> false, WaitCounts.CALL);
                    // The first reply comes after 50 ms, the second as soon as the peer is round.
                    if (round == 0) {
                        sleep(50);
                    }
                    child.pass(CallSlot.LAUNCHER);
                }
            });
            int slowHistory = 5;
            int fastHistory = 6;
            assertEquals(CallSlot.TURN, launcher.await(CallSlot.LAUNCHER, deadline(), () -> false,
                    WaitCounts.REPLY, slowHistory));
            launcher.pass(CallSlot.CHILD);
            // The second reply is there before the wait begins, however slowly the peer comes round: a wait that
            // ends at once counts as 0.
            long until = deadline();
            while (!launcher.hasTurn(CallSlot.LAUNCHER)) {
                assertTrue(System.nanoTime() < until, "the peer never answered");
                Thread.onSpinWait();
            }
            assertEquals(CallSlot.TURN, launcher.await(CallSlot.LAUNCHER, deadline(), () -> false,
                    WaitCounts.REPLY, fastHistory));
            peer.join(TimeUnit.SECONDS.toMillis(10));
            // 1/8 of a wait of about 50 ms (capped at 200 us) is 25 us.
            assertTrue(launcher.typicalWaitNanos(slowHistory) >= 20_000,
                    "the slow history learnt " + launcher.typicalWaitNanos(slowHistory) + " ns");
            assertEquals(0, launcher.typicalWaitNanos(fastHistory), "the fast history learnt from the slow wait");
            assertEquals(0, launcher.typicalWaitNanos(WaitCounts.REPLY), "the general history learnt nothing");
        }
    }

    @Test
    void aWaitGivesUpWhenThePeerIsGone() {
        try (Arena arena = Arena.ofShared()) {
            SharedCallSlot slot = new SharedCallSlot(arena.allocate(8192, 4096), WaitMode.of(GateWait.SPIN));
            slot.initialize(CallSlot.CHILD);
            assertEquals(CallSlot.PEER_GONE, slot.await(CallSlot.LAUNCHER, deadline(), () -> true, WaitCounts.REPLY, 9));
            assertEquals(CallSlot.TIMED_OUT, slot.await(CallSlot.LAUNCHER, System.nanoTime() + 1_000_000, () -> false,
                    WaitCounts.REPLY, 9));
        }
    }

    private static long deadline() {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
