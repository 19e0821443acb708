package flexos.core.mechanism.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A call abandoned while the peer has the turn: an {@code Error} (a stack overflow, in the review's attacks) strikes
 * in the caller's wait and unwinds past the call, and the peer answers it later. The caller's next call through the
 * same slot must get its own reply, not the abandoned one's, and the peer must see a well-formed conversation.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AbandonedCallTest {

    /** Offsets in a call of {@code add(long, long)}: kind, object id, method, argc, then two tagged longs. */
    private static final int FIRST_ARGUMENT = 1 + 8 + 4 + 4 + 1, SECOND_ARGUMENT = FIRST_ARGUMENT + 8 + 1;

    @Test
    void theNextCallGetsItsOwnReplyNotTheAbandonedOnes() throws Exception {
        try (WireRig rig = new WireRig(CallSlot.LAUNCHER, 64 * 1024, MessageLimits.DEFAULT, 0)) {
            StackOverflowError overflow = new StackOverflowError("struck while waiting for the reply");
            CountDownLatch abandoned = new CountDownLatch(1);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> peerTrouble = new AtomicReference<>();
            // The peer: answers each add with the sum of what the call carried, the first only once the caller has
            // given it up, so that the answer comes while the caller is about to make its next call.
            Thread peer = new Thread(() -> {
                try {
                    SharedCallSlot slot = rig.peerViewOfCallSlot();
                    for (int n = 0; n < 2; n++) {
                        if (!rig.awaitTurn(slot, stop)) {
                            return;
                        }
                        long at = slot.published();
                        MemorySegment m = slot.message();
                        long sum = m.get(ValueLayout.JAVA_LONG_UNALIGNED, at + FIRST_ARGUMENT)
                                + m.get(ValueLayout.JAVA_LONG_UNALIGNED, at + SECOND_ARGUMENT);
                        if (n == 0 && !abandoned.await(10, TimeUnit.SECONDS)) {
                            throw new AssertionError("the caller never gave up its first call");
                        }
                        if (n == 0) {
                            Thread.sleep(50); // the caller is in its next call by now
                        }
                        byte[] reply = new WireRig.Msg().b(RpcEndpoint.RETURN).b(RpcEndpoint.T_LONG).l(sum).i(0).done();
                        rig.forge(slot, 1024 + 64L * n, reply, 1024 + 64L * n);
                    }
                } catch (Throwable t) {
                    peerTrouble.set(t);
                }
            }, "peer");
            peer.start();
            try {
                WireRig.Api remote = rig.remote();
                rig.failNextLivenessCheck.set(overflow);
                StackOverflowError thrown = assertThrows(StackOverflowError.class, () -> remote.add(1, 2));
                assertSame(overflow, thrown);
                abandoned.countDown();

                assertEquals(15, remote.add(5, 10), "the second call got the first one's reply (3)");
            } finally {
                stop.set(true);
                rig.peerViewOfCallSlot().wakeAll();
                peer.join(10_000);
            }
            assertNull(peerTrouble.get(), () -> "peer: " + peerTrouble.get());
            assertFalse(rig.killed.get(), () -> "the peer was failed: " + rig.violation.get());
        }
    }
}
