package flexos.core.mechanism.process;

import flexos.core.config.SharingStrategy;
import flexos.core.mechanism.BufferWindow;
import flexos.core.mechanism.GateFault;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One {@link RpcEndpoint} under test in this JVM, on a region in ordinary shared memory, and the raw slots of its
 * peer, through which a test plays the other process: it writes any bytes it likes (forged calls and replies) or
 * runs a second, honest endpoint. Its {@link RpcEndpoint.PeerEvents} record what the endpoint decided: a violation
 * "kills" the peer (closes the endpoint, as the image does once it has killed a process).
 */
final class WireRig implements AutoCloseable {

    /** The API the rig's endpoint exports as object 0. */
    public interface Api {
        long add(long a, long b);

        String echo(String s);

        int fill(MemorySegment out, byte value);

        long sum(MemorySegment in);

        int ints(int[] out);

        List<Object> list(List<Object> values);

        Level level(Level level);

        Point point(Point p);

        void nothing();

        MemorySegment copyOf(MemorySegment s);

        long callBack(Api other, long n);

        /** Writes {@code length / 2} bytes of 9 at {@code buffer[offset...]}; returns how many. */
        int take(@BufferWindow(offset = 1, length = 2, access = BufferWindow.Access.WRITE, partial = true)
                 MemorySegment buffer, long offset, int length);

        /** Sums the bytes {@code buffer[offset, offset + length)}; returns how many it summed (all). */
        long give(@BufferWindow(offset = 1, length = 2, access = BufferWindow.Access.READ, partial = true)
                  MemorySegment buffer, long offset, int length);
    }

    public enum Level { LOW, HIGH }

    public record Point(int x, long y, String label) {
    }

    static final class Impl implements Api {
        final AtomicInteger calls = new AtomicInteger();

        @Override public long add(long a, long b) { calls.incrementAndGet(); return a + b; }
        @Override public String echo(String s) {
            calls.incrementAndGet();
            if ("boom".equals(given(s))) {
                throw new IllegalArgumentException("boom");
            }
            return s;
        }
        /** A null argument is refused with the one exception the tests expect, so that any other means a bad call. */
        private static <T> T given(T value) {
            if (value == null) {
                throw new IllegalArgumentException("null");
            }
            return value;
        }

        @Override public int fill(MemorySegment out, byte value) { calls.incrementAndGet(); given(out); out.fill(value); return (int) out.byteSize(); }
        @Override public long sum(MemorySegment in) {
            calls.incrementAndGet();
            given(in);
            long s = 0;
            for (long i = 0; i < in.byteSize(); i++) {
                s += in.get(ValueLayout.JAVA_BYTE, i);
            }
            return s;
        }
        @Override public int ints(int[] out) { calls.incrementAndGet(); given(out); java.util.Arrays.fill(out, 7); return out.length; }
        @Override public List<Object> list(List<Object> values) { calls.incrementAndGet(); return values; }
        @Override public Level level(Level level) { calls.incrementAndGet(); return level; }
        @Override public Point point(Point p) { calls.incrementAndGet(); return p; }
        @Override public void nothing() { calls.incrementAndGet(); }
        @Override public MemorySegment copyOf(MemorySegment s) {
            calls.incrementAndGet();
            given(s);
            MemorySegment copy = Arena.ofAuto().allocate(Math.max(1, s.byteSize())).asSlice(0, s.byteSize());
            copy.copyFrom(s);
            return copy;
        }
        volatile long lastSum;
        volatile long lastWindowBytes;

        @Override public int take(MemorySegment buffer, long offset, int length) {
            calls.incrementAndGet();
            lastWindowBytes = given(buffer).byteSize();
            buffer.asSlice(offset, length / 2).fill((byte) 9);
            return length / 2;
        }
        @Override public long give(MemorySegment buffer, long offset, int length) {
            calls.incrementAndGet();
            lastWindowBytes = given(buffer).byteSize();
            lastSum = sum(buffer.asSlice(offset, length));
            return length;
        }
        @Override public long callBack(Api other, long n) { calls.incrementAndGet(); return given(other).add(n, 1); }
    }

    final int side;
    final int peerSide;
    final Arena arena = Arena.ofShared();
    final MemorySegment memory;
    /** The peer's own view of the region: its slots, cursors and frames are its own, as in another process. */
    final SlotRegion peerRegion;
    final RpcEndpoint endpoint;
    final Impl impl = new Impl();
    final AtomicBoolean killed = new AtomicBoolean();
    final AtomicReference<String> violation = new AtomicReference<>();
    final AtomicBoolean thrown = new AtomicBoolean();
    final AtomicBoolean timedOut = new AtomicBoolean();
    /** Thrown (once) by the endpoint's next liveness check, as an Error striking inside a wait would be. */
    final AtomicReference<Error> failNextLivenessCheck = new AtomicReference<>();

    WireRig(int side, long slotBytes, MessageLimits limits, long callTimeoutNanos) {
        this.side = side;
        this.peerSide = side == CallSlot.LAUNCHER ? CallSlot.CHILD : CallSlot.LAUNCHER;
        this.memory = arena.allocate(SlotRegion.bytes(1, 1, slotBytes), 4096);
        SlotRegion region = new SlotRegion(memory, 1, 1, slotBytes, WaitMode.of(GateWait.SPIN));
        region.format();
        this.peerRegion = new SlotRegion(memory, 1, 1, slotBytes, WaitMode.of(GateWait.SPIN));
        this.endpoint = new RpcEndpoint(side, region, events(), SharingStrategy.COPY, arena.allocate(4096), callTimeoutNanos,
                limits);
        long id = endpoint.export(impl, Api.class);
        if (id != 0) {
            throw new IllegalStateException("first export is " + id);
        }
    }

    private RpcEndpoint.PeerEvents events() {
        return new RpcEndpoint.PeerEvents() {
            @Override public String compartment() { return "rig"; }
            @Override public boolean gone() {
                Error strike = failNextLivenessCheck.getAndSet(null);
                if (strike != null) {
                    throw strike;
                }
                return killed.get();
            }
            @Override public RuntimeException goneFault(String call) { return new GateFault("rig", true, "peer gone in " + call); }
            @Override public RuntimeException timedOut(String call, long timeoutNanos) {
                timedOut.set(true);
                return new IllegalStateException("rig: timed out in " + call);
            }
            @Override public RuntimeException thrown(String call, String type, String message, boolean error) {
                thrown.set(true);
                return RemoteExceptions.rebuild("rig", call, type, message, error);
            }
            @Override public RuntimeException violated(String call, String what) {
                violation.compareAndSet(null, what);
                killed.set(true);
                endpoint.close();
                return new GateFault("rig", true, "violation in " + call + ": " + what);
            }
        };
    }

    /** The slot through which the endpoint calls the peer, as the peer sees it. */
    SharedCallSlot peerViewOfCallSlot() {
        return peerRegion.slotsCalledFrom(side)[0];
    }

    /** The slot through which the peer calls the endpoint, as the peer sees it. */
    SharedCallSlot peerCallSlot() {
        return peerRegion.slotsCalledFrom(peerSide)[0];
    }

    /** The proxy through which the endpoint calls the peer's object 0. */
    Api remote() {
        return endpoint.proxy(0, Api.class);
    }

    /** Writes {@code bytes} (cut to the area) at {@code at} of the peer's view of {@code slot}, publishes {@code published}, passes the turn. */
    void forge(SharedCallSlot slot, long at, byte[] bytes, long published) {
        MemorySegment area = slot.message();
        long start = Math.floorMod(at, area.byteSize());
        int n = (int) Math.min(bytes.length, area.byteSize() - start);
        MemorySegment.copy(bytes, 0, area, ValueLayout.JAVA_BYTE, start, n);
        slot.publish(published);
        slot.pass(side);
    }

    /** Waits, as the peer, for the turn on {@code slot}, at most 10 s or until the peer is "killed". */
    boolean awaitTurn(SharedCallSlot slot, AtomicBoolean stop) {
        int r = slot.await(peerSide, System.nanoTime() + 10_000_000_000L, () -> killed.get() || stop.get(),
                WaitCounts.REPLY);
        return r == CallSlot.TURN;
    }

    @Override
    public void close() {
        endpoint.close();
        arena.close();
    }

    // ---------------------------------------------------------------- building messages as the wire format says

    /** Builds a message in the wire format (native byte order, unaligned), as an honest peer would write it. */
    static final class Msg {
        private final ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.nativeOrder());

        Msg b(int v) { b.put((byte) v); return this; }
        Msg i(int v) { b.putInt(v); return this; }
        Msg l(long v) { b.putLong(v); return this; }
        Msg s(String v) {
            b.putInt(v.length());
            for (char c : v.toCharArray()) {
                b.putChar(c);
            }
            return this;
        }
        Msg bytes(byte[] v) { b.put(v); return this; }

        byte[] done() {
            byte[] out = new byte[b.position()];
            b.duplicate().flip().get(out);
            return out;
        }
    }

    static int method(String name) {
        ApiMethods api = ApiMethods.of(Api.class);
        for (int i = 0; i < api.methods.length; i++) {
            if (api.methods[i].getName().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(name);
    }

    static Msg call(String method, int argc) {
        return new Msg().b(RpcEndpoint.CALL).l(0).i(method(method)).i(argc);
    }

    /** Valid calls of each method of {@link Api}, the seeds that forged calls are mutated from. */
    static List<byte[]> validCalls() {
        return List.of(
                call("add", 2).b(RpcEndpoint.T_LONG).l(40).b(RpcEndpoint.T_LONG).l(2).done(),
                call("echo", 1).b(RpcEndpoint.T_STRING).s("hello").done(),
                call("echo", 1).b(RpcEndpoint.T_STRING).s("boom").done(),
                call("fill", 2).b(RpcEndpoint.T_SEGMENT).l(16).b(0).bytes(new byte[16]).b(RpcEndpoint.T_BYTE).b(9).done(),
                call("sum", 1).b(RpcEndpoint.T_SEGMENT).l(4).b(1).bytes(new byte[] {1, 2, 3, 4}).done(),
                call("ints", 1).b(RpcEndpoint.T_INTS).i(3).i(1).i(2).i(3).done(),
                call("list", 1).b(RpcEndpoint.T_LIST).i(3).b(RpcEndpoint.T_INT).i(1).b(RpcEndpoint.T_STRING).s("x")
                        .b(RpcEndpoint.T_NULL).done(),
                call("level", 1).b(RpcEndpoint.T_ENUM).s(Level.class.getName()).s("HIGH").done(),
                call("point", 1).b(RpcEndpoint.T_RECORD).s(Point.class.getName()).i(3).b(RpcEndpoint.T_INT).i(1)
                        .b(RpcEndpoint.T_LONG).l(2).b(RpcEndpoint.T_STRING).s("p").done(),
                call("nothing", 0).done(),
                call("copyOf", 1).b(RpcEndpoint.T_SEGMENT).l(3).b(1).bytes(new byte[] {5, 6, 7}).done(),
                call("callBack", 2).b(RpcEndpoint.T_REF_YOURS).l(0).b(RpcEndpoint.T_LONG).l(5).done());
    }

    /** Valid replies, the seeds that forged replies are mutated from. */
    static List<byte[]> validReplies() {
        return List.of(
                new Msg().b(RpcEndpoint.RETURN).b(RpcEndpoint.T_LONG).l(42).i(0).done(),
                new Msg().b(RpcEndpoint.RETURN).b(RpcEndpoint.T_STRING).s("hi").i(0).done(),
                new Msg().b(RpcEndpoint.RETURN).b(RpcEndpoint.T_INT).i(16).i(1).i(0).b(0).done(),
                new Msg().b(RpcEndpoint.RETURN).b(RpcEndpoint.T_INT).i(3).i(1).i(0).b(RpcEndpoint.T_INTS).i(3).i(7).i(7).i(7).done(),
                new Msg().b(RpcEndpoint.RETURN).b(RpcEndpoint.T_LIST).i(2).b(RpcEndpoint.T_TRUE).b(RpcEndpoint.T_NULL).i(0).done(),
                new Msg().b(RpcEndpoint.RETURN).b(RpcEndpoint.T_RECORD).s(Point.class.getName()).i(3)
                        .b(RpcEndpoint.T_INT).i(1).b(RpcEndpoint.T_LONG).l(2).b(RpcEndpoint.T_STRING).s("p").i(0).done(),
                new Msg().b(RpcEndpoint.RETURN).b(RpcEndpoint.T_REF_MINE).l(3).s(Api.class.getName()).i(0).done(),
                new Msg().b(RpcEndpoint.THROW).s("java.lang.IllegalArgumentException").b(1).s("no").b(0).done(),
                new Msg().b(RpcEndpoint.THROW).s("java.lang.OutOfMemoryError").b(0).b(1).done(),
                new Msg().b(RpcEndpoint.FIRST_CHUNK).l(20).i(8).l(0).done(),
                new Msg().b(RpcEndpoint.CHUNK).i(8).l(0).done(),
                // A call back into the endpoint's own object, as a callee may make while the caller waits.
                call("add", 2).b(RpcEndpoint.T_LONG).l(1).b(RpcEndpoint.T_LONG).l(2).done());
    }
}
