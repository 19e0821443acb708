package flexos.core.mechanism.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import flexos.core.mechanism.GateFault;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzes both decoders of the process gate's wire with random and mutated messages (issue 12 item 3): the one that
 * reads calls (a compartment process's server, and the image's server of call backs) and the one that reads
 * replies (a waiting caller, on either side). The endpoint is the real one; the peer is played by raw writes into
 * the slot. The property: the only outcomes are a correct result (of the method's type), an exception the peer
 * threw in a well-formed message, or a {@link GateFault} with the peer failed; never another exception, an
 * allocation beyond the limits, a call the message does not name correctly, or a hang. Bounded: a few hundred tries
 * per side, each wait at most 10 s.
 */
class WireFuzzTest {

    /** Small limits, so that a forged size within them is cheap and one beyond them is quickly found. */
    static final MessageLimits LIMITS = new MessageLimits(1 << 20, 4096, 1024, 1 << 16, 8, 64);
    static final long SLOT = 64 * 1024;

    record Mutation(int kind, int position, long value) {
        byte[] apply(byte[] in) {
            byte[] out = in.clone();
            int p = in.length == 0 ? 0 : Math.floorMod(position, in.length);
            switch (kind) {
                case 0 -> { if (out.length > 0) out[p] = (byte) value; }
                case 1 -> putInt(out, p, (int) value);
                case 2 -> putLong(out, p, value);
                case 3 -> out = java.util.Arrays.copyOf(out, p);
                default -> {
                    byte[] longer = new byte[out.length + 1];
                    System.arraycopy(out, 0, longer, 0, p);
                    longer[p] = (byte) value;
                    System.arraycopy(out, p, longer, p + 1, out.length - p);
                    out = longer;
                }
            }
            return out;
        }

        private static void putInt(byte[] b, int p, int v) {
            for (int k = 0; k < 4 && p + k < b.length; k++) {
                b[p + k] = (byte) (v >>> (8 * k));
            }
        }

        private static void putLong(byte[] b, int p, long v) {
            for (int k = 0; k < 8 && p + k < b.length; k++) {
                b[p + k] = (byte) (v >>> (8 * k));
            }
        }
    }

    static Arbitrary<Long> interesting() {
        return Arbitraries.oneOf(
                Arbitraries.of(0L, 1L, -1L, 2L, 3L, 7L, 21_000L, 255L, 1024L, 4096L, 65_536L, 1L << 20, 1L << 31,
                        (long) Integer.MAX_VALUE, (long) Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE),
                Arbitraries.longs().between(0, 30),
                Arbitraries.longs());
    }

    static Arbitrary<byte[]> mutatedFrom(List<byte[]> seeds) {
        Arbitrary<Mutation> mutation = Combinators.combine(Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 400), interesting()).as(Mutation::new);
        Arbitrary<byte[]> mutated = Combinators.combine(Arbitraries.of(seeds), mutation.list().ofMinSize(0).ofMaxSize(4))
                .as((seed, ms) -> {
                    byte[] b = seed;
                    for (Mutation m : ms) {
                        b = m.apply(b);
                    }
                    return b;
                });
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(256);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, mutated), net.jqwik.api.Tuple.of(2, random));
    }

    /** Where the forged message is written and which offset is published: mostly honest, sometimes not. */
    @Provide
    Arbitrary<long[]> placement() {
        Arbitrary<Long> at = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, Arbitraries.just(512L)),
                net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(0, SLOT / 8).map(x -> x * 8)),
                net.jqwik.api.Tuple.of(1, interesting()));
        return at.map(a -> new long[] {a});
    }

    @Provide
    Arbitrary<List<byte[]>> forgedReplies() {
        return mutatedFrom(WireRig.validReplies()).list().ofMinSize(1).ofMaxSize(3);
    }

    @Provide
    Arbitrary<List<byte[]>> forgedCalls() {
        return mutatedFrom(WireRig.validCalls()).list().ofMinSize(1).ofMaxSize(3);
    }

    @Provide
    Arbitrary<Integer> sides() {
        return Arbitraries.of(CallSlot.LAUNCHER, CallSlot.CHILD);
    }

    @Provide
    Arbitrary<String> calledMethods() {
        return Arbitraries.of("add", "echo", "fill", "ints", "list", "point", "nothing", "level");
    }

    // ---------------------------------------------------------------- the decoder of replies (a waiting caller)

    @Property(tries = 250, shrinking = ShrinkingMode.OFF)
    void aCallerGetsAResultOfItsTypeAnExceptionThePeerThrewOrAGateFaultWithThePeerFailed(
            @ForAll("sides") int side, @ForAll("calledMethods") String method, @ForAll("forgedReplies") List<byte[]> replies,
            @ForAll("placement") long[] placement, @ForAll boolean badOffset) throws Exception {
        try (WireRig rig = new WireRig(side, SLOT, LIMITS, 10_000_000_000L)) {
            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<Throwable> peerTrouble = new AtomicReference<>();
            Thread peer = new Thread(() -> {
                try {
                    SharedCallSlot slot = rig.peerViewOfCallSlot();
                    for (int round = 0; round < replies.size() + 4; round++) {
                        if (!rig.awaitTurn(slot, done)) {
                            return;
                        }
                        // After the forged ones, well-formed replies of the right type end the call, so that only the
                        // endpoint, never the forger, decides how long it lasts.
                        byte[] bytes = round < replies.size() ? replies.get(round) : honestReply(method);
                        long at = round < replies.size() ? placement[0] : 1024;
                        long published = round == 0 && badOffset ? at + 3 : at;
                        rig.forge(slot, at, bytes, Math.floorMod(published, SLOT) == published ? published : at);
                    }
                } catch (Throwable t) {
                    peerTrouble.set(t);
                }
            }, "forger");
            peer.setDaemon(true);
            peer.start();
            try {
                Object result = invoke(rig.remote(), method);
                Statistics.collect("result");
                assertTrue(!rig.killed.get(), "a result after the peer was failed");
                assertTrue(RpcEndpoint.conforms(result, returnType(method)), "result " + result + " of " + method);
            } catch (GateFault fault) {
                Statistics.collect(rig.killed.get() ? "GateFault, peer failed" : "GateFault the peer threw");
                assertTrue(rig.killed.get() || rig.thrown.get(), "a GateFault without a failed peer: " + fault);
            } catch (RuntimeException e) {
                Statistics.collect("exception the peer threw");
                assertTrue(rig.thrown.get() && !rig.timedOut.get(), "unexpected " + e);
                assertTrue(e.getClass().getName().startsWith("java."), "rebuilt " + e);
            } catch (Throwable t) {
                fail("the caller got " + t, t);
            } finally {
                done.set(true);
                rig.peerViewOfCallSlot().wakeAll();
                peer.join(10_000);
            }
            assertTrue(peerTrouble.get() == null, () -> "forger failed: " + peerTrouble.get());
        }
    }

    private static byte[] honestReply(String method) {
        WireRig.Msg m = new WireRig.Msg().b(RpcEndpoint.RETURN);
        return switch (method) {
            case "add" -> m.b(RpcEndpoint.T_LONG).l(42).i(0).done();
            case "echo" -> m.b(RpcEndpoint.T_STRING).s("x").i(0).done();
            case "fill" -> m.b(RpcEndpoint.T_INT).i(16).i(1).i(0).b(0).done();
            case "ints" -> m.b(RpcEndpoint.T_INT).i(3).i(1).i(0).b(RpcEndpoint.T_INTS).i(3).i(7).i(7).i(7).done();
            case "list" -> m.b(RpcEndpoint.T_LIST).i(0).i(0).done();
            case "point" -> m.b(RpcEndpoint.T_NULL).i(0).done();
            case "level" -> m.b(RpcEndpoint.T_ENUM).s(WireRig.Level.class.getName()).s("LOW").i(0).done();
            default -> m.b(RpcEndpoint.T_NULL).i(0).done();
        };
    }

    private static Object invoke(WireRig.Api api, String method) {
        return switch (method) {
            case "add" -> api.add(1, 2);
            case "echo" -> api.echo("hi");
            case "fill" -> api.fill(Arena.ofAuto().allocate(16), (byte) 1);
            case "ints" -> api.ints(new int[3]);
            case "list" -> api.list(List.of(1, "a"));
            case "point" -> api.point(new WireRig.Point(1, 2, "p"));
            case "level" -> api.level(WireRig.Level.HIGH);
            default -> {
                api.nothing();
                yield null;
            }
        };
    }

    private static Class<?> returnType(String method) {
        ApiMethods api = ApiMethods.of(WireRig.Api.class);
        return api.returnTypes[WireRig.method(method)];
    }

    // ---------------------------------------------------------------- the decoder of calls (a server)

    @Property(tries = 250, shrinking = ShrinkingMode.OFF)
    void aServerRepliesWellFormedOrFailsThePeerAndNeverMakesACallTheMessageDoesNotName(
            @ForAll("sides") int side, @ForAll("forgedCalls") List<byte[]> calls, @ForAll("placement") long[] placement)
            throws Exception {
        try (WireRig rig = new WireRig(side, SLOT, LIMITS, 10_000_000_000L)) {
            rig.endpoint.serve("fuzz");
            SharedCallSlot slot = rig.peerCallSlot();
            AtomicBoolean never = new AtomicBoolean();
            for (byte[] call : calls) {
                if (rig.killed.get()) {
                    break;
                }
                int before = rig.impl.calls.get();
                rig.forge(slot, placement[0], call, Math.floorMod(placement[0], SLOT));
                boolean answered = rig.awaitTurn(slot, never);
                Statistics.collect(answered ? "answered" : rig.killed.get() ? "peer failed" : "hang");
                if (!answered) {
                    assertTrue(rig.killed.get(), "neither a reply nor a failed peer (a hang)");
                    break;
                }
                MemorySegment area = slot.message();
                long at = slot.published();
                assertTrue(at >= 0 && at < area.byteSize(), "reply at " + at);
                int kind = area.get(ValueLayout.JAVA_BYTE, at);
                if (kind == RpcEndpoint.THROW) {
                    Cursor in = new Cursor(area, at + 1);
                    String type = in.getString(1024);
                    // The only exception the implementation throws; a ClassCastException, a NullPointerException of
                    // unboxing or a WrongMethodTypeException would mean a call with arguments of the wrong type.
                    assertEquals(IllegalArgumentException.class.getName(), type);
                } else if (kind == RpcEndpoint.RETURN) {
                    // At least the call named (a call back to the endpoint's own object, passed back, adds more).
                    assertTrue(rig.impl.calls.get() > before, "a reply without a call");
                } else {
                    // The acknowledgement of a first chunk passes the turn back without a message of its own.
                    assertTrue(call.length > 0 && call[0] == RpcEndpoint.FIRST_CHUNK
                            || kind == RpcEndpoint.CALL, "a reply of kind " + kind);
                    if (kind == RpcEndpoint.CALL) {
                        break; // a call back through a forged proxy: the server now waits for its answer
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- honest peers: large messages in chunks

    @Property(tries = 20, shrinking = ShrinkingMode.OFF)
    void largeArgumentsAndResultsCrossInChunksWithTheSameResult(@ForAll("sizes") int size, @ForAll("sides") int side)
            throws Exception {
        try (Pair pair = new Pair(side, 8 * 1024)) {
            MemorySegment block = Arena.ofAuto().allocate(size);
            for (int i = 0; i < size; i++) {
                block.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 31));
            }
            long expected = new WireRig.Impl().sum(block);
            assertEquals(expected, pair.remote.sum(block.asReadOnly()));
            MemorySegment out = Arena.ofAuto().allocate(size);
            assertEquals(size, pair.remote.fill(out, (byte) 3));
            for (int i = 0; i < size; i += 97) {
                assertEquals(3, out.get(ValueLayout.JAVA_BYTE, i));
            }
            MemorySegment copy = pair.remote.copyOf(block);
            assertEquals(-1, copy.mismatch(block));
            assertEquals(101L, pair.remote.callBack(pair.remote, 100));
        }
    }

    @Property(tries = 10, shrinking = ShrinkingMode.OFF)
    void aWindowCrossesAloneAndAPartialOneIsShortenedToWhatASlotCarries(@ForAll("sides") int side) throws Exception {
        try (Pair pair = new Pair(side, 8 * 1024)) {
            MemorySegment buffer = Arena.ofAuto().allocate(1 << 19);
            buffer.fill((byte) 1);
            // 8 KiB slots carry partial windows of at most a quarter of their area: 2014 bytes.
            long cap = (8 * 1024 - SharedCallSlot.HEADER - SharedCallSlot.TRAILER) / 4;
            int done = pair.remote.take(buffer, 100, 500_000);
            assertEquals(cap / 2, done);
            assertEquals(cap, pair.impl.lastWindowBytes);
            for (long i = 0; i < 4096; i++) {
                byte expected = i >= 100 && i < 100 + done ? (byte) 9 : (byte) 1;
                assertEquals(expected, buffer.get(ValueLayout.JAVA_BYTE, i), "byte " + i);
            }
            assertEquals(40, pair.remote.give(buffer, 1000, 40));
            assertEquals(40, pair.impl.lastWindowBytes);
            assertEquals(new WireRig.Impl().sum(buffer.asSlice(1000, 40)), pair.impl.lastSum);
            // A window outside its segment crosses unchanged, and the callee fails it as it would in place.
            assertThrows(IndexOutOfBoundsException.class, () -> pair.remote.give(buffer, (1 << 19) - 10, 40));
        }
    }

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 20_000), Arbitraries.of(8 * 1024, 8 * 1024 - 13,
                100_000, 300_000));
    }

    /** Two honest endpoints in this JVM on small slots, the second serving the first. */
    static final class Pair implements AutoCloseable {
        final WireRig rig;
        final RpcEndpoint server;
        final WireRig.Api remote;
        final WireRig.Impl impl = new WireRig.Impl();

        Pair(int side, long slotBytes) {
            rig = new WireRig(side, slotBytes, LIMITS, 10_000_000_000L);
            server = new RpcEndpoint(rig.peerSide, rig.peerRegion, new NoFailures(), flexos.core.config.SharingStrategy.COPY,
                    rig.arena.allocate(4096), 10_000_000_000L, LIMITS);
            long id = server.export(impl, WireRig.Api.class);
            assertEquals(0, id);
            server.serve("pair");
            rig.endpoint.serve("pair-back");
            remote = rig.remote();
        }

        @Override
        public void close() {
            server.close();
            rig.close();
        }
    }

    static final class NoFailures implements RpcEndpoint.PeerEvents {
        final List<String> seen = new ArrayList<>();

        @Override public String compartment() { return "pair"; }
        @Override public boolean gone() { return false; }
        @Override public RuntimeException goneFault(String call) { return new GateFault("pair", true, "gone " + call); }
        @Override public RuntimeException timedOut(String call, long t) { return new IllegalStateException("timeout " + call); }
        @Override public RuntimeException thrown(String call, String type, String message, boolean error) {
            return RemoteExceptions.rebuild("pair", call, type, message, error);
        }
        @Override public RuntimeException violated(String call, String what) {
            throw new AssertionError("an honest peer broke the format in " + call + ": " + what);
        }
    }
}
