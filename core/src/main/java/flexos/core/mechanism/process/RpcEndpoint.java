package flexos.core.mechanism.process;

import flexos.core.config.SharingStrategy;
import flexos.core.mechanism.GateFault;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One process's end of the RPC between the image's launcher and one compartment process: the objects this side
 * lets the other call (its exports, by id), proxies for the other side's objects, the slots this side's threads
 * call through, and the server threads that serve the other side's slots.
 *
 * <p>Marshalling (SPEC §5), by the compartment's sharing strategy: primitives, boxes, strings, enums, records and
 * lists of those are written into the slot; a {@link MemorySegment} is copied in and, if writable, copied back
 * after the call (out-parameters such as {@code recv}'s buffer), or, under {@code shared}, passed as an offset when
 * it lies in the shared heap, which both processes map; {@code int[]}, {@code long[]}, {@code byte[]} and
 * {@code double[]} are copied in and back; any other object is exported and the other side gets a proxy, so a
 * callback (a {@code Task}) is called back through the same slot by the thread that waits for the call
 * ({@code A -> B -> A}); an object that came from the other side goes back as the other side's own object.
 *
 * <p>Exceptions cross as their type's name and message; {@link PeerEvents#thrown} decides what the caller gets.
 */
final class RpcEndpoint implements AutoCloseable {

    /** What an endpoint needs to know and tell about the process on the other side. */
    interface PeerEvents {
        /** The compartment the endpoint talks to or serves. */
        String compartment();

        /** Whether the peer process has gone; waiting threads check it whenever they stop spinning. */
        boolean gone();

        /** What a caller gets when the peer went away during or before its call. */
        RuntimeException goneFault(String call);

        /** The peer did not answer {@code call} within the call timeout: stop it, and say what the caller gets. */
        RuntimeException timedOut(String call, long timeoutNanos);

        /** What a caller gets for an exception of type {@code type} thrown on the other side. */
        RuntimeException thrown(String call, String type, String message, boolean error);
    }

    /** An object the other side can call, by id. */
    private record Export(Object target, ApiMethods api) {
    }

    // Message kinds are one byte, so that a small call and its reply fit the slot's first cache line.
    private static final int CALL = 1;
    private static final int RETURN = 2;
    private static final int THROW = 3;

    private static final int T_NULL = 0, T_TRUE = 1, T_FALSE = 2, T_BYTE = 3, T_SHORT = 4, T_CHAR = 5, T_INT = 6,
            T_LONG = 7, T_FLOAT = 8, T_DOUBLE = 9, T_STRING = 10, T_SEGMENT = 11, T_SHARED_SEGMENT = 12,
            T_NULL_SEGMENT = 13, T_BYTES = 14, T_INTS = 15, T_LONGS = 16, T_DOUBLES = 17, T_LIST = 18, T_ENUM = 19,
            T_RECORD = 20, T_REF_MINE = 21, T_REF_YOURS = 22;

    private final int me;
    private final int peer;
    private final PeerEvents events;
    private final SharingStrategy sharing;
    private final MemorySegment sharedHeap;
    private final long callTimeoutNanos;
    private final SharedCallSlot[] callSlots;
    private final AtomicReferenceArray<Thread> callSlotOwners;
    private final SharedCallSlot[] servedSlots;
    private final ThreadLocal<SharedCallSlot> bound = new ThreadLocal<>();
    private final List<Thread> servers = new ArrayList<>();
    private final CallSlot.Liveness liveness;

    private volatile Export[] exports = new Export[16];
    private int exportCount;
    private final Map<Object, Long> exportIds = new IdentityHashMap<>();
    private final ConcurrentHashMap<Long, Object> proxies = new ConcurrentHashMap<>();
    private volatile boolean closed;

    RpcEndpoint(int me, SlotRegion region, PeerEvents events, SharingStrategy sharing, MemorySegment sharedHeap,
                long callTimeoutNanos) {
        this.me = me;
        this.peer = me == CallSlot.LAUNCHER ? CallSlot.CHILD : CallSlot.LAUNCHER;
        this.events = events;
        this.sharing = sharing;
        this.sharedHeap = sharedHeap;
        this.callTimeoutNanos = callTimeoutNanos;
        this.callSlots = region.slotsCalledFrom(me);
        this.callSlotOwners = new AtomicReferenceArray<>(callSlots.length);
        this.servedSlots = region.slotsCalledFrom(peer);
        this.liveness = () -> closed || events.gone();
    }

    /** Starts one daemon thread per slot the other side calls through. */
    void serve(String threadPrefix) {
        for (int i = 0; i < servedSlots.length; i++) {
            SharedCallSlot slot = servedSlots[i];
            Thread thread = new Thread(() -> serveForever(slot), threadPrefix + "-" + i);
            thread.setDaemon(true);
            servers.add(thread);
            thread.start();
        }
    }

    private void serveForever(SharedCallSlot slot) {
        bound.set(slot);
        try {
            while (!closed) {
                int r = slot.await(me, Long.MAX_VALUE, liveness, WaitCounts.CALL);
                if (r != CallSlot.TURN) {
                    return;
                }
                Cursor in = slot.cursorAt(slot.published());
                in.getByte(); // CALL: only calls arrive on a slot the other side calls through
                serveOne(slot, in);
            }
        } catch (IllegalStateException unmapped) {
            if (!closed) {
                throw unmapped;
            }
        }
    }

    /** Exports {@code target} as an implementation of {@code api}; the same object always gets the same id. */
    long export(Object target, Class<?> api) {
        synchronized (exportIds) {
            Long known = exportIds.get(target);
            if (known != null) {
                return known;
            }
            long id = exportCount++;
            Export[] table = exports;
            if (id >= table.length) {
                table = java.util.Arrays.copyOf(table, table.length * 2);
            }
            table[(int) id] = new Export(target, ApiMethods.of(api));
            exports = table;
            exportIds.put(target, id);
            return id;
        }
    }

    /** The proxy through which this side calls the other side's object {@code id}, an implementation of {@code api}. */
    <T> T proxy(long id, Class<T> api) {
        return api.cast(proxies.computeIfAbsent(id, k -> Proxy.newProxyInstance(loaderOf(api), new Class<?>[] {api},
                new RemoteObject(this, id, ApiMethods.of(api)))));
    }

    private static ClassLoader loaderOf(Class<?> api) {
        ClassLoader loader = api.getClassLoader();
        return loader != null ? loader : ClassLoader.getSystemClassLoader();
    }

    /** A proxy of the other side's object: its calls cross to the other side. */
    static final class RemoteObject implements InvocationHandler {
        final RpcEndpoint endpoint;
        final long id;
        private final ApiMethods api;

        RemoteObject(RpcEndpoint endpoint, long id, ApiMethods api) {
            this.endpoint = endpoint;
            this.id = id;
            this.api = api;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            int index = api.indexOf(method);
            if (index < 0) {
                return endpoint.local(proxy, method, args, "process gate to object " + id + " (" + api.api.getSimpleName() + ")");
            }
            return endpoint.call(id, api, index, args);
        }
    }

    /** Object's methods and default methods of a proxy run on this side. */
    Object local(Object proxy, Method method, Object[] args, String description) throws Throwable {
        return switch (method.getName()) {
            case "equals" -> method.getParameterCount() == 1 && proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            case "toString" -> description;
            default -> method.isDefault() ? InvocationHandler.invokeDefault(proxy, method, args)
                    : throwUnsupported(method);
        };
    }

    private static Object throwUnsupported(Method method) {
        throw new UnsupportedOperationException(method + " cannot cross a process gate");
    }

    // ---------------------------------------------------------------- calls

    private SharedCallSlot slotOfThisThread() {
        SharedCallSlot slot = bound.get();
        if (slot != null) {
            return slot;
        }
        Thread self = Thread.currentThread();
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < callSlots.length; i++) {
                Thread owner = callSlotOwners.get(i);
                // A dead thread's slot is idle: the thread cannot have died inside a call and still own it.
                if ((owner == null || (pass == 1 && !owner.isAlive()))
                        && callSlotOwners.compareAndSet(i, owner, self)) {
                    bound.set(callSlots[i]);
                    return callSlots[i];
                }
            }
        }
        throw new GateFault(events.compartment(), false, "more than " + callSlots.length
                + " threads call compartment " + events.compartment() + " at once; each live thread keeps a slot");
    }

    /** Calls method {@code index} of the other side's object {@code id}, serving calls back while it waits. */
    Object call(long id, ApiMethods api, int index, Object[] args) {
        try {
            return callThroughSlot(id, api, index, args);
        } catch (IllegalStateException unmapped) {
            // The region was unmapped under us: the process is gone and its endpoint closed.
            if (closed || events.gone()) {
                throw events.goneFault(what(api, index));
            }
            throw unmapped;
        }
    }

    private Object callThroughSlot(long id, ApiMethods api, int index, Object[] args) {
        // Only the endpoint's own flag here: asking the peer's liveness (a lock, or a process query) before every
        // call cost more than the call. A peer that died since is found by the wait below, which checks liveness
        // whenever it stops spinning, and the endpoint is closed as soon as its exit is noticed.
        if (closed) {
            throw events.goneFault(what(api, index));
        }
        SharedCallSlot slot = slotOfThisThread();
        long base = slot.frameTop();
        Cursor out = slot.cursorAt(base);
        int argc = args == null ? 0 : args.length;
        // Where each writable segment's bytes lie in this call's message: the callee works on them in place, and
        // they are copied back from there. Allocated only for calls that pass segments.
        long[] segmentAt = null;
        try {
            out.putByte(CALL);
            out.putLong(id);
            out.putInt(index);
            out.putInt(argc);
            for (int i = 0; i < argc; i++) {
                if (args[i] instanceof MemorySegment s && copiedInPlace(s)) {
                    if (segmentAt == null) {
                        segmentAt = new long[argc];
                    }
                    segmentAt[i] = writeSegment(out, s);
                } else {
                    writeValue(out, args[i]);
                }
            }
        } catch (IndexOutOfBoundsException tooLarge) {
            throw new GateFault(events.compartment(), false, "the arguments of " + what(api, index)
                    + " do not fit the call slot of " + slot.message().byteSize() + " bytes");
        }
        slot.publish(base);
        slot.pass(peer);
        while (true) {
            long deadline = callTimeoutNanos > 0 ? System.nanoTime() + callTimeoutNanos : Long.MAX_VALUE;
            int r = slot.await(me, deadline, liveness, WaitCounts.REPLY);
            if (r == CallSlot.TIMED_OUT) {
                throw events.timedOut(what(api, index), callTimeoutNanos);
            }
            if (r == CallSlot.PEER_GONE) {
                throw events.goneFault(what(api, index));
            }
            Cursor in = slot.cursorAt(slot.published());
            int kind = in.getByte();
            if (kind == CALL) {
                serveOne(slot, in);
                continue;
            }
            if (kind == RETURN) {
                Object result = readValue(in, false);
                int outs = in.getInt();
                for (int k = 0; k < outs; k++) {
                    int at = in.getInt();
                    if (args[at] instanceof MemorySegment segment) {
                        long from = segmentAt[at];
                        MemorySegment.copy(slot.message(), from, segment, 0, segment.byteSize());
                    } else {
                        copyBack(in, args[at]);
                    }
                }
                return result;
            }
            String type = in.getString();
            String message = in.getByte() == 0 ? null : in.getString();
            boolean error = in.getByte() != 0;
            throw events.thrown(what(api, index), type, message, error);
        }
    }

    /** Whether {@code s} crosses as a copy in the message (not as a shared-heap reference, not as NULL). */
    private boolean copiedInPlace(MemorySegment s) {
        return !(s.address() == 0 && s.byteSize() == 0) && !(sharing == SharingStrategy.SHARED && inSharedHeap(s));
    }

    private static String what(ApiMethods api, int index) {
        return api.api.getSimpleName() + "." + api.methods[index].getName();
    }

    /**
     * Serves the call whose message {@code in} is at (just after its kind), then passes the reply to the other side.
     * Segments passed by copy are slices of the message itself, so the callee works on them in place; the reply and
     * any call back the callee makes go after the call's message, which stays intact until the caller has copied its
     * segments back.
     */
    private void serveOne(SharedCallSlot slot, Cursor in) {
        long began = WaitCounts.ON ? System.nanoTime() : 0;
        Object result = null;
        Throwable thrown = null;
        Object[] args = null;
        long outMask = 0;
        Export export = null;
        int index = -1;
        long outerTop = slot.frameTop();
        // Until the arguments are read, a failure's reply goes over this call's own message, which its caller no
        // longer needs once the call has failed; never over an outer frame.
        long replyAt = SharedCallSlot.align(in.pos);
        try {
            long id = in.getLong();
            index = in.getInt();
            int argc = in.getInt();
            Export[] table = exports;
            export = id >= 0 && id < table.length ? table[(int) id] : null;
            if (export == null || index < 0 || index >= export.api.methods.length) {
                throw new IllegalStateException("no object " + id + " with method " + index + " in this process");
            }
            args = new Object[argc];
            for (int i = 0; i < argc; i++) {
                int tag = in.area.get(ValueLayout.JAVA_BYTE, in.pos);
                args[i] = readValue(in, true);
                if (isOut(args[i], (byte) tag) && i < 64) {
                    outMask |= 1L << i;
                }
            }
            replyAt = SharedCallSlot.align(in.pos);
            slot.frameTop(replyAt);
            result = export.api.spreaders[index].invokeExact(export.target, args);
        } catch (Throwable t) {
            thrown = t;
        } finally {
            slot.frameTop(outerTop);
        }
        Cursor out = slot.cursorAt(replyAt);
        if (thrown == null) {
            try {
                out.putByte(RETURN);
                writeValue(out, result);
                out.putInt(Long.bitCount(outMask));
                for (long rest = outMask; rest != 0; rest &= rest - 1) {
                    int i = Long.numberOfTrailingZeros(rest);
                    out.putInt(i);
                    if (!(args[i] instanceof MemorySegment)) {
                        writeArray(out, args[i]);
                    }
                }
            } catch (Throwable t) {
                thrown = t instanceof IndexOutOfBoundsException
                        ? new IllegalStateException("the result of " + what(export.api, index)
                        + " does not fit the call slot of " + slot.message().byteSize() + " bytes") : t;
            }
        }
        if (thrown != null) {
            out.pos = replyAt;
            out.putByte(THROW);
            out.putString(thrown.getClass().getName());
            String message = thrown.getMessage();
            if (message == null) {
                out.putByte(0);
            } else {
                out.putByte(1);
                out.putString(message.length() > 1000 ? message.substring(0, 1000) : message);
            }
            out.putByte(thrown instanceof Error ? 1 : 0);
        }
        if (WaitCounts.ON) {
            WaitCounts.served(export == null || index < 0 ? "?" : what(export.api, index), System.nanoTime() - began);
        }
        slot.publish(replyAt);
        slot.pass(peer);
    }

    /** Whether a decoded argument is copied back after the call: a private copy of a writable segment, an array. */
    private static boolean isOut(Object value, byte tag) {
        return tag == T_SEGMENT && !((MemorySegment) value).isReadOnly()
                || tag == T_BYTES || tag == T_INTS || tag == T_LONGS || tag == T_DOUBLES;
    }

    private static void copyBack(Cursor in, Object original) {
        int tag = in.getByte();
        int length = in.getInt();
        switch (tag) {
            case T_BYTES -> MemorySegment.copy(in.area, ValueLayout.JAVA_BYTE, in.pos, (byte[]) original, 0, length);
            case T_INTS -> MemorySegment.copy(in.area, ValueLayout.JAVA_INT_UNALIGNED, in.pos, (int[]) original, 0, length);
            case T_LONGS -> MemorySegment.copy(in.area, ValueLayout.JAVA_LONG_UNALIGNED, in.pos, (long[]) original, 0, length);
            case T_DOUBLES -> MemorySegment.copy(in.area, ValueLayout.JAVA_DOUBLE_UNALIGNED, in.pos, (double[]) original, 0, length);
            default -> throw new IllegalStateException("bad out-parameter tag " + tag);
        }
        in.pos += (long) length * elementSize(tag);
    }

    private static int elementSize(int tag) {
        return switch (tag) {
            case T_BYTES -> 1;
            case T_INTS -> 4;
            default -> 8;
        };
    }

    // ---------------------------------------------------------------- values

    private void writeValue(Cursor out, Object v) {
        switch (v) {
            case null -> out.putByte(T_NULL);
            case Integer i -> {
                out.putByte(T_INT);
                out.putInt(i);
            }
            case Long l -> {
                out.putByte(T_LONG);
                out.putLong(l);
            }
            case Boolean b -> out.putByte(b ? T_TRUE : T_FALSE);
            case MemorySegment s -> {
                long ignored = writeSegment(out, s);
            }
            case String s -> {
                out.putByte(T_STRING);
                out.putString(s);
            }
            case Byte b -> {
                out.putByte(T_BYTE);
                out.putByte(b);
            }
            case Short s -> {
                out.putByte(T_SHORT);
                out.putInt(s);
            }
            case Character c -> {
                out.putByte(T_CHAR);
                out.putInt(c);
            }
            case Float f -> {
                out.putByte(T_FLOAT);
                out.putInt(Float.floatToRawIntBits(f));
            }
            case Double d -> {
                out.putByte(T_DOUBLE);
                out.putLong(Double.doubleToRawLongBits(d));
            }
            case byte[] a -> writeArray(out, a);
            case int[] a -> writeArray(out, a);
            case long[] a -> writeArray(out, a);
            case double[] a -> writeArray(out, a);
            case Enum<?> e -> {
                out.putByte(T_ENUM);
                out.putString(e.getDeclaringClass().getName());
                out.putString(e.name());
            }
            case List<?> list -> {
                out.putByte(T_LIST);
                out.putInt(list.size());
                for (Object element : list) {
                    writeValue(out, element);
                }
            }
            case Record r -> writeRecord(out, r);
            default -> writeReference(out, v);
        }
    }

    /** Writes {@code s}; returns where its bytes lie in the message if it is copied there, else -1. */
    private long writeSegment(Cursor out, MemorySegment s) {
        if (s.address() == 0 && s.byteSize() == 0) {
            out.putByte(T_NULL_SEGMENT);
            return -1;
        }
        if (sharing == SharingStrategy.SHARED && inSharedHeap(s)) {
            out.putByte(T_SHARED_SEGMENT);
            out.putLong(s.address() - sharedHeap.address());
            out.putLong(s.byteSize());
            out.putByte(s.isReadOnly() ? 1 : 0);
            return -1;
        }
        out.putByte(T_SEGMENT);
        out.putLong(s.byteSize());
        out.putByte(s.isReadOnly() ? 1 : 0);
        long at = out.pos;
        out.putBytes(s, s.byteSize());
        return at;
    }

    private boolean inSharedHeap(MemorySegment s) {
        long a = s.address();
        return s.isNative() && a >= sharedHeap.address() && a + s.byteSize() <= sharedHeap.address() + sharedHeap.byteSize();
    }

    private static void writeArray(Cursor out, Object array) {
        switch (array) {
            case byte[] a -> {
                out.putByte(T_BYTES);
                out.putInt(a.length);
                MemorySegment.copy(a, 0, out.area, ValueLayout.JAVA_BYTE, out.pos, a.length);
                out.pos += a.length;
            }
            case int[] a -> {
                out.putByte(T_INTS);
                out.putInt(a.length);
                MemorySegment.copy(a, 0, out.area, ValueLayout.JAVA_INT_UNALIGNED, out.pos, a.length);
                out.pos += 4L * a.length;
            }
            case long[] a -> {
                out.putByte(T_LONGS);
                out.putInt(a.length);
                MemorySegment.copy(a, 0, out.area, ValueLayout.JAVA_LONG_UNALIGNED, out.pos, a.length);
                out.pos += 8L * a.length;
            }
            case double[] a -> {
                out.putByte(T_DOUBLES);
                out.putInt(a.length);
                MemorySegment.copy(a, 0, out.area, ValueLayout.JAVA_DOUBLE_UNALIGNED, out.pos, a.length);
                out.pos += 8L * a.length;
            }
            default -> throw new IllegalArgumentException(array.getClass().getName() + " cannot cross a process gate");
        }
    }

    private void writeRecord(Cursor out, Record r) {
        RecordComponent[] components = r.getClass().getRecordComponents();
        out.putByte(T_RECORD);
        out.putString(r.getClass().getName());
        out.putInt(components.length);
        for (RecordComponent c : components) {
            try {
                c.getAccessor().setAccessible(true);
                writeValue(out, c.getAccessor().invoke(r));
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalArgumentException("record " + r.getClass().getName() + " cannot cross a process gate: " + e, e);
            }
        }
    }

    private void writeReference(Cursor out, Object v) {
        if (Proxy.isProxyClass(v.getClass()) && Proxy.getInvocationHandler(v) instanceof RemoteObject remote
                && remote.endpoint == this) {
            out.putByte(T_REF_YOURS);
            out.putLong(remote.id);
            return;
        }
        long peerId = peerObjects.idAtPeer(v);
        if (peerId >= 0) {
            out.putByte(T_REF_YOURS);
            out.putLong(peerId);
            return;
        }
        Long id;
        Class<?> api;
        synchronized (exportIds) {
            id = exportIds.get(v);
        }
        if (id != null) {
            api = exports[(int) (long) id].api.api;
        } else {
            api = singleInterface(v.getClass());
            id = export(v, api);
        }
        out.putByte(T_REF_MINE);
        out.putLong(id);
        out.putString(api.getName());
    }

    /** The one interface an object handed across as a callback implements, the one the other side calls. */
    private static Class<?> singleInterface(Class<?> type) {
        List<Class<?>> found = new ArrayList<>();
        // A gate (a java.lang.reflect.Proxy) is Serializable through its superclass; that is not an API it offers.
        for (Class<?> c = type; c != null && c != Proxy.class; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i != java.io.Serializable.class && !found.contains(i)) {
                    found.add(i);
                }
            }
        }
        if (found.size() != 1) {
            throw new IllegalArgumentException("a " + type.getName() + " cannot cross a process gate: it is not a"
                    + " value, a segment, a primitive array or an object of exactly one interface (it implements "
                    + found + ")");
        }
        return found.getFirst();
    }

    /**
     * Reads one value. {@code inPlace}: a segment passed by copy is returned as a slice of the message (a call's
     * argument, valid during the call); otherwise it is copied out (a result, which must outlive the message).
     */
    private Object readValue(Cursor in, boolean inPlace) {
        int tag = in.getByte();
        return switch (tag) {
            case T_NULL -> null;
            case T_TRUE -> Boolean.TRUE;
            case T_FALSE -> Boolean.FALSE;
            case T_BYTE -> (byte) in.getByte();
            case T_SHORT -> (short) in.getInt();
            case T_CHAR -> (char) in.getInt();
            case T_INT -> in.getInt();
            case T_LONG -> in.getLong();
            case T_FLOAT -> Float.intBitsToFloat(in.getInt());
            case T_DOUBLE -> Double.longBitsToDouble(in.getLong());
            case T_STRING -> in.getString();
            case T_NULL_SEGMENT -> MemorySegment.NULL;
            case T_SEGMENT -> {
                long size = in.getLong();
                boolean readOnly = in.getByte() != 0;
                MemorySegment copy;
                if (inPlace) {
                    copy = in.area.asSlice(in.pos, size);
                } else {
                    copy = Arena.ofAuto().allocate(Math.max(1, size), 16).asSlice(0, size);
                    MemorySegment.copy(in.area, in.pos, copy, 0, size);
                }
                in.pos += size;
                yield readOnly ? copy.asReadOnly() : copy;
            }
            case T_SHARED_SEGMENT -> {
                long offset = in.getLong();
                long size = in.getLong();
                boolean readOnly = in.getByte() != 0;
                MemorySegment slice = sharedHeap.asSlice(offset, size);
                yield readOnly ? slice.asReadOnly() : slice;
            }
            case T_BYTES -> {
                byte[] a = new byte[in.getInt()];
                MemorySegment.copy(in.area, ValueLayout.JAVA_BYTE, in.pos, a, 0, a.length);
                in.pos += a.length;
                yield a;
            }
            case T_INTS -> {
                int[] a = new int[in.getInt()];
                MemorySegment.copy(in.area, ValueLayout.JAVA_INT_UNALIGNED, in.pos, a, 0, a.length);
                in.pos += 4L * a.length;
                yield a;
            }
            case T_LONGS -> {
                long[] a = new long[in.getInt()];
                MemorySegment.copy(in.area, ValueLayout.JAVA_LONG_UNALIGNED, in.pos, a, 0, a.length);
                in.pos += 8L * a.length;
                yield a;
            }
            case T_DOUBLES -> {
                double[] a = new double[in.getInt()];
                MemorySegment.copy(in.area, ValueLayout.JAVA_DOUBLE_UNALIGNED, in.pos, a, 0, a.length);
                in.pos += 8L * a.length;
                yield a;
            }
            case T_LIST -> {
                int n = in.getInt();
                List<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(readValue(in, false));
                }
                yield java.util.Collections.unmodifiableList(list);
            }
            case T_ENUM -> {
                Class<?> type = classNamed(in.getString());
                String name = in.getString();
                yield enumConstant(type, name);
            }
            case T_RECORD -> readRecord(in);
            case T_REF_MINE -> {
                long id = in.getLong();
                yield proxy(id, classNamed(in.getString()));
            }
            case T_REF_YOURS -> {
                long id = in.getLong();
                Export[] table = exports;
                if (id < 0 || id >= table.length || table[(int) id] == null) {
                    throw new IllegalStateException("no object " + id + " in this process");
                }
                yield table[(int) id].target;
            }
            default -> throw new IllegalStateException("bad value tag " + tag);
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumConstant(Class<?> type, String name) {
        return Enum.valueOf((Class) type, name);
    }

    private Object readRecord(Cursor in) {
        Class<?> type = classNamed(in.getString());
        int n = in.getInt();
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[n];
        Class<?>[] types = new Class<?>[n];
        for (int i = 0; i < n; i++) {
            values[i] = readValue(in, false);
            types[i] = components[i].getType();
        }
        try {
            var constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(values);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot rebuild record " + type.getName() + ": " + e, e);
        }
    }

    static Class<?> classNamed(String name) {
        try {
            return Class.forName(name, false, RpcEndpoint.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            try {
                return Class.forName(name, false, context != null ? context : ClassLoader.getSystemClassLoader());
            } catch (ClassNotFoundException again) {
                throw new IllegalStateException("class " + name + " is not known in this process", again);
            }
        }
    }

    // ---------------------------------------------------------------- objects of the peer seen through other gates

    /** Says which objects of this process stand for objects of the peer, so they cross back as the peer's own. */
    interface PeerObjects {
        PeerObjects NONE = object -> -1;

        /** The peer's id of the object {@code object} stands for, or -1. */
        long idAtPeer(Object object);
    }

    private volatile PeerObjects peerObjects = PeerObjects.NONE;

    void peerObjects(PeerObjects objects) {
        this.peerObjects = objects;
    }

    /**
     * Stops serving: server threads and waiting callers return once woken. Waits for the server threads to end
     * (woken at once; at worst they check within {@link WaitMode#IDLE_SLEEP_CHECK_NANOS}), so that the region can
     * be unmapped afterwards.
     */
    @Override
    public void close() {
        closed = true;
        for (SharedCallSlot slot : callSlots) {
            slot.wakeAll();
        }
        for (SharedCallSlot slot : servedSlots) {
            slot.wakeAll();
        }
        for (Thread server : servers) {
            if (server != Thread.currentThread()) {
                try {
                    server.join(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    boolean closed() {
        return closed;
    }
}
