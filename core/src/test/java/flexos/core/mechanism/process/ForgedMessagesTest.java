package flexos.core.mechanism.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.core.mechanism.GateFault;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The forged messages of the security review (issue 12), one by one, against the real endpoint with the default
 * limits: each ends in a {@link GateFault} for the caller and a failed peer, without the allocation, the proxy or
 * the call the message asked for.
 */
class ForgedMessagesTest {

    private static final long SLOT = 64 * 1024;

    /** Answers the endpoint's one call with {@code reply}, and returns what the caller got. */
    private static Throwable callAnsweredWith(WireRig rig, byte[] reply) throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        Thread peer = new Thread(() -> {
            SharedCallSlot slot = rig.peerViewOfCallSlot();
            if (rig.awaitTurn(slot, done)) {
                rig.forge(slot, 512, reply, 512);
            }
        }, "forger");
        peer.start();
        try {
            rig.remote().add(1, 2);
            return null;
        } catch (Throwable t) {
            return t;
        } finally {
            done.set(true);
            peer.join(10_000);
        }
    }

    @Test
    void aReplyNamingAListOf2To31ElementsIsAGateFaultNotAnOutOfMemoryError() throws Exception {
        try (WireRig rig = new WireRig(CallSlot.LAUNCHER, SLOT, MessageLimits.DEFAULT, 0)) {
            byte[] reply = new WireRig.Msg().b(RpcEndpoint.RETURN).b(RpcEndpoint.T_LIST).i(Integer.MAX_VALUE).done();
            Throwable got = callAnsweredWith(rig, reply);
            assertTrue(got instanceof GateFault, "got " + got);
            assertTrue(rig.killed.get());
            assertTrue(rig.violation.get().contains("a list of " + Integer.MAX_VALUE), rig.violation.get());
        }
    }

    @Test
    void aReplyOfAnotherTypeThanTheMethodsIsAGateFaultNotAClassCastException() throws Exception {
        try (WireRig rig = new WireRig(CallSlot.LAUNCHER, SLOT, MessageLimits.DEFAULT, 0)) {
            byte[] reply = new WireRig.Msg().b(RpcEndpoint.RETURN).b(RpcEndpoint.T_STRING).s("not a long").i(0).done();
            Throwable got = callAnsweredWith(rig, reply);
            assertTrue(got instanceof GateFault, "got " + got);
            assertTrue(rig.killed.get());
        }
    }

    @Test
    void thousandsOfObjectIdsNeverHandedOverMakeNoProxiesBeyondTheLimit() throws Exception {
        MessageLimits limits = new MessageLimits(1 << 20, 1024, 1024, 1 << 16, 8, 100);
        try (WireRig rig = new WireRig(CallSlot.LAUNCHER, SLOT, limits, 0)) {
            WireRig.Msg list = new WireRig.Msg().b(RpcEndpoint.RETURN).b(RpcEndpoint.T_LIST).i(300);
            for (int id = 1; id <= 300; id++) {
                list.b(RpcEndpoint.T_REF_MINE).l(id).s(WireRig.Api.class.getName());
            }
            AtomicBoolean done = new AtomicBoolean();
            Thread peer = new Thread(() -> {
                SharedCallSlot slot = rig.peerViewOfCallSlot();
                if (rig.awaitTurn(slot, done)) {
                    rig.forge(slot, 512, list.i(0).done(), 512);
                }
            }, "forger");
            peer.start();
            GateFault fault = assertThrows(GateFault.class, () -> rig.remote().list(java.util.List.of()));
            done.set(true);
            peer.join(10_000);
            assertTrue(rig.violation.get().contains("more than 100 objects"), rig.violation.get() + " / " + fault);
        }
    }

    @Test
    void aCallToAnObjectNeverHandedOverIsNeverMadeAndFailsThePeer() throws Exception {
        try (WireRig rig = new WireRig(CallSlot.CHILD, SLOT, MessageLimits.DEFAULT, 0)) {
            rig.endpoint.serve("forged");
            SharedCallSlot slot = rig.peerCallSlot();
            byte[] call = new WireRig.Msg().b(RpcEndpoint.CALL).l(21_000).i(0).i(2)
                    .b(RpcEndpoint.T_LONG).l(1).b(RpcEndpoint.T_LONG).l(2).done();
            rig.forge(slot, 0, call, 0);
            assertTrue(!rig.awaitTurn(slot, new AtomicBoolean()), "the server replied to a call of object 21000");
            assertTrue(rig.killed.get());
            assertEquals(0, rig.impl.calls.get());
            assertTrue(rig.violation.get().contains("no object 21000"), rig.violation.get());
        }
    }

    @Test
    void aCallWithArgumentsOfTheWrongTypeIsNeverMade() throws Exception {
        try (WireRig rig = new WireRig(CallSlot.LAUNCHER, SLOT, MessageLimits.DEFAULT, 0)) {
            rig.endpoint.serve("forged");
            SharedCallSlot slot = rig.peerCallSlot();
            byte[] call = WireRig.call("add", 2).b(RpcEndpoint.T_STRING).s("1").b(RpcEndpoint.T_LONG).l(2).done();
            rig.forge(slot, 0, call, 0);
            assertTrue(!rig.awaitTurn(slot, new AtomicBoolean()));
            assertEquals(0, rig.impl.calls.get());
            assertTrue(rig.violation.get().contains("where a long is expected"), rig.violation.get());
        }
    }

    @Test
    void aMessageLargerThanTheLimitIsRefusedBeforeAnythingIsAllocated() throws Exception {
        try (WireRig rig = new WireRig(CallSlot.LAUNCHER, SLOT, MessageLimits.DEFAULT, 0)) {
            byte[] reply = new WireRig.Msg().b(RpcEndpoint.FIRST_CHUNK).l(1L << 40).i(8).l(0).done();
            Throwable got = callAnsweredWith(rig, reply);
            assertTrue(got instanceof GateFault, "got " + got);
            assertTrue(rig.violation.get().contains("a message of " + (1L << 40) + " bytes"), rig.violation.get());
        }
    }
}
