package flexos.core.mechanism.process;

import flexos.core.config.SharingStrategy;
import flexos.core.mechanism.BufferWindows;
import flexos.core.mechanism.GateFault;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
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

        /**
         * The peer sent a message that breaks the wire format or its limits, {@code what} says how, while this side
         * made or served {@code call}: fail the peer (the image kills the compartment's process; a compartment
         * process stops itself, since it trusts its image no more than the image trusts it), and say what the
         * caller gets, a {@code GateFault}.
         */
        RuntimeException violated(String call, String what);
    }

    /** An object the other side can call, by id. */
    private record Export(Object target, ApiMethods api) {
    }

    // Message kinds are one byte, so that a small call and its reply fit the slot's first cache line.
    // Package-private for the tests that forge messages.
    static final int CALL = 1;
    static final int RETURN = 2;
    static final int THROW = 3;
    /** The most arguments a method has (the JVM's limit), and the longest class or constant name read. */
    private static final int MAX_ARGS = 255, CLASS_NAME_CHARS = 1024;
    /** The first chunk of a message too large for the slot: its total size, then bytes; {@link #CHUNK}s follow. */
    static final int FIRST_CHUNK = 4;
    static final int CHUNK = 5;
    /** The least room a chunk needs in the slot past the writer's frames. */
    private static final long MIN_CHUNK_ROOM = 4096;

    static final int T_NULL = 0, T_TRUE = 1, T_FALSE = 2, T_BYTE = 3, T_SHORT = 4, T_CHAR = 5, T_INT = 6,
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
    private final MessageLimits limits;

    private volatile Export[] exports = new Export[16];
    private int exportCount;
    private final Map<Object, Long> exportIds = new IdentityHashMap<>();
    private final ConcurrentHashMap<Long, Object> proxies = new ConcurrentHashMap<>();
    private volatile boolean closed;

    RpcEndpoint(int me, SlotRegion region, PeerEvents events, SharingStrategy sharing, MemorySegment sharedHeap,
                long callTimeoutNanos) {
        this(me, region, events, sharing, sharedHeap, callTimeoutNanos, MessageLimits.DEFAULT);
    }

    RpcEndpoint(int me, SlotRegion region, PeerEvents events, SharingStrategy sharing, MemorySegment sharedHeap,
                long callTimeoutNanos, MessageLimits limits) {
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
        this.limits = limits;
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
        pinThisThread();
        try {
            while (!closed) {
                int r = slot.await(me, Long.MAX_VALUE, liveness, WaitCounts.CALL, slot.nextCallHistory());
                if (r != CallSlot.TURN) {
                    return;
                }
                Cursor in;
                try {
                    in = receive(slot, null, -1, WaitCounts.CALL);
                    if (in.getByte() != CALL) {
                        in.release();
                        throw new ProtocolViolation("a message other than a call on a slot the other side calls through");
                    }
                } catch (ProtocolViolation v) {
                    if (!closed) {
                        RuntimeException ignored = events.violated("a call from the other side", v.getMessage());
                    }
                    return;
                } catch (GateFault gone) {
                    return; // the peer went away, or timed out, while it sent a call in chunks
                }
                if (serveOne(slot, in) != null) {
                    return;
                }
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
                    pinThisThread();
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
        regainTurn(slot);
        long base = slot.frameTop();
        Cursor out = slot.cursorAt(base);
        BufferWindows windows = api.windows[index];
        long blank = windows == null ? 0 : windows.narrow(args, slot.message().byteSize() / 4);
        // Where each writable segment's bytes lie in this call's message: the callee works on them in place, and
        // they are copied back from there. Allocated only for calls that pass segments.
        long[] segmentAt;
        try {
            segmentAt = writeCall(out, id, index, args, blank);
        } catch (IndexOutOfBoundsException tooLarge) {
            // Larger than the slot: written to private memory, then passed in chunks.
            out = Cursor.staging(2 * slot.message().byteSize() + segmentBytes(args), limits.maxMessageBytes());
            try {
                segmentAt = writeCall(out, id, index, args, blank);
            } catch (RuntimeException e) {
                out.release();
                if (e instanceof IndexOutOfBoundsException) {
                    throw new GateFault(events.compartment(), false, "the arguments of " + what(api, index)
                            + " exceed the largest message of " + limits.maxMessageBytes() + " bytes");
                }
                throw e;
            }
        }
        boolean big = out.isPrivate();
        send(slot, base, out, api, index);
        int history = api.replyHistory(index);
        while (true) {
            int r = awaitTurnWithin(slot, WaitCounts.REPLY, history);
            if (r != CallSlot.TURN) {
                throw waitFailed(r, what(api, index));
            }
            Cursor in;
            int kind;
            try {
                in = receive(slot, api, index, WaitCounts.REPLY);
                kind = in.getByte();
            } catch (ProtocolViolation v) {
                throw events.violated(what(api, index), v.getMessage());
            }
            if (kind == CALL) {
                RuntimeException failed = serveOne(slot, in);
                if (failed != null) {
                    throw failed;
                }
                continue;
            }
            String type;
            String message;
            boolean error;
            try {
                if (kind == RETURN) {
                    return readReturn(in, api, index, args, segmentAt, big, slot, windows);
                }
                if (kind != THROW) {
                    throw new ProtocolViolation("a reply of kind " + kind);
                }
                type = in.getString(CLASS_NAME_CHARS);
                int hasMessage = in.getByte();
                message = hasMessage == 0 ? null : in.getString(limits.maxStringChars());
                int errorFlag = in.getByte();
                if ((hasMessage & ~1) != 0 || (errorFlag & ~1) != 0) {
                    throw new ProtocolViolation("an exception's flags " + hasMessage + "/" + errorFlag);
                }
                error = errorFlag != 0;
            } catch (ProtocolViolation v) {
                throw events.violated(what(api, index), v.getMessage());
            } catch (RuntimeException decoding) {
                // Anything else a reply's bytes made go wrong (a record's constructor refusing its components, a class
                // that does not load): the peer's fault as well, never an exception of ours for the caller.
                if (closed || events.gone()) {
                    throw events.goneFault(what(api, index));
                }
                throw events.violated(what(api, index), decoding.toString());
            } finally {
                in.release();
            }
            throw events.thrown(what(api, index), type, message, error);
        }
    }

    /** Writes a call; returns, per argument, where a segment copied into the message lies (-1: none), or null. */
    private long[] writeCall(Cursor out, long id, int index, Object[] args, long blank) {
        int argc = args == null ? 0 : args.length;
        long[] segmentAt = null;
        out.putByte(CALL);
        out.putLong(id);
        out.putInt(index);
        out.putInt(argc);
        for (int i = 0; i < argc; i++) {
            if (args[i] instanceof MemorySegment s && copiedInPlace(s)) {
                if (segmentAt == null) {
                    segmentAt = new long[argc];
                    java.util.Arrays.fill(segmentAt, -1);
                }
                segmentAt[i] = writeSegment(out, s, i < 64 && (blank & (1L << i)) != 0);
            } else {
                writeValue(out, args[i]);
            }
        }
        return segmentAt;
    }

    private static long segmentBytes(Object[] args) {
        long sum = 0;
        if (args != null) {
            for (Object a : args) {
                if (a instanceof MemorySegment s) {
                    sum += s.byteSize();
                }
            }
        }
        return sum;
    }

    /** Reads a RETURN (after its kind) of method {@code index}, checking it against the method and the call made. */
    private Object readReturn(Cursor in, ApiMethods api, int index, Object[] args, long[] segmentAt, boolean big,
                              SharedCallSlot slot, BufferWindows windows) {
        Object result = readValue(in, false, api.returnTypes[index], 0);
        int argc = args == null ? 0 : args.length;
        int positions = Math.min(argc, 64);
        int outs = in.getCount(positions, 4, "a count of out-parameters");
        long seen = 0;
        for (int k = 0; k < outs; k++) {
            int at = in.getInt();
            if (at < 0 || at >= positions || (seen & (1L << at)) != 0) {
                throw new ProtocolViolation("out-parameter " + at + " of a call with " + argc + " arguments");
            }
            seen |= 1L << at;
            Object original = args[at];
            if (original instanceof MemorySegment segment) {
                if (segmentAt == null || segmentAt[at] < 0 || segment.isReadOnly()) {
                    throw new ProtocolViolation("argument " + at + " was not passed as a writable copy");
                }
                boolean inReply = readFlag(in);
                if (!inReply && big) {
                    throw new ProtocolViolation("a segment to copy back from the slot after a call in chunks");
                }
                if (inReply) {
                    // The callee worked on its own copy of a message that came in chunks, or its reply did not fit
                    // past the call and overwrote it: the bytes come back in the reply.
                    long n = in.getSize(limits.maxMessageBytes(), "a copied-back segment");
                    if (n != segment.byteSize()) {
                        throw new ProtocolViolation("a copied-back segment of " + n + " bytes for one of "
                                + segment.byteSize());
                    }
                    MemorySegment.copy(in.area, in.pos, segment, 0, backBytes(windows, at, result, n));
                    in.pos += n;
                } else {
                    MemorySegment.copy(slot.message(), segmentAt[at], segment, 0,
                            backBytes(windows, at, result, segment.byteSize()));
                }
            } else if (original instanceof byte[] || original instanceof int[] || original instanceof long[]
                    || original instanceof double[]) {
                copyBack(in, original);
            } else {
                throw new ProtocolViolation("argument " + at + " is not an out-parameter");
            }
        }
        return result;
    }

    private static long backBytes(BufferWindows windows, int position, Object result, long segmentBytes) {
        long bytes = windows == null ? segmentBytes : windows.copyBackBytes(position, result, segmentBytes);
        if (bytes < 0) {
            throw new ProtocolViolation("a partial call says it did " + result + " bytes of a window of " + segmentBytes);
        }
        return bytes;
    }

    /**
     * Passes the message in {@code msg}, written at {@code base} of the slot or, if it did not fit, in private
     * memory, to the peer. A private message crosses in chunks, each as large as the slot allows past the writer's
     * frames: the peer takes each and passes the turn back for the next; the last one's turn is the message's.
     */
    private void send(SharedCallSlot slot, long base, Cursor msg, ApiMethods api, int index) {
        if (!msg.isPrivate()) {
            slot.publish(base);
            slot.pass(peer);
            return;
        }
        try {
            long total = msg.pos;
            long sent = 0;
            long room = chunkRoom(slot, base);
            if (room < MIN_CHUNK_ROOM) {
                throw new GateFault(events.compartment(), false, "calls nest too deeply in the slot to pass a"
                        + " message of " + total + " bytes in " + what(api, index));
            }
            for (boolean first = true; ; first = false) {
                Cursor out = slot.cursorAt(base);
                out.putByte(first ? FIRST_CHUNK : CHUNK);
                if (first) {
                    out.putLong(total);
                }
                int n = (int) Math.min(room, total - sent);
                out.putInt(n);
                out.putBytes(msg.area, sent, n);
                sent += n;
                slot.publish(base);
                slot.pass(peer);
                if (sent == total) {
                    return;
                }
                awaitTurn(slot, WaitCounts.REPLY, api, index);
            }
        } finally {
            msg.release();
        }
    }

    /** How many bytes of a message each chunk written at {@code base} carries. */
    private static long chunkRoom(SharedCallSlot slot, long base) {
        return slot.message().byteSize() - base - 13;
    }

    /**
     * The message just passed to this side: the slot's cursor at it, or, if it is the first chunk of a large one,
     * a private cursor over the whole message once every chunk has come (each checked). Throws
     * {@link ProtocolViolation} for a bad offset or chunk, or the peer's fault if it went away meanwhile.
     */
    private Cursor receive(SharedCallSlot slot, ApiMethods api, int index, int role) {
        MemorySegment area = slot.message();
        Cursor in = slot.cursorAt(checkedOffset(slot));
        if (area.get(ValueLayout.JAVA_BYTE, in.pos) != FIRST_CHUNK) {
            return in;
        }
        in.getByte();
        long total = in.getLong();
        if (total <= 0 || total > limits.maxMessageBytes()) {
            throw new ProtocolViolation("a message of " + total + " bytes (at most " + limits.maxMessageBytes() + ")");
        }
        Cursor whole = Cursor.received(total);
        boolean complete = false;
        try {
            long got = 0;
            while (true) {
                int n = in.getInt();
                if (n <= 0 || n > total - got) {
                    throw new ProtocolViolation("a chunk of " + n + " bytes with " + (total - got) + " to come");
                }
                in.need(n);
                MemorySegment.copy(area, in.pos, whole.area, got, n);
                got += n;
                if (got == total) {
                    complete = true;
                    return whole;
                }
                slot.pass(peer);
                awaitTurn(slot, role, api, index);
                in = slot.cursorAt(checkedOffset(slot));
                if (in.getByte() != CHUNK) {
                    throw new ProtocolViolation("a message that is not the next chunk");
                }
            }
        } finally {
            if (!complete) {
                whole.release();
            }
        }
    }

    /** The published offset of the message just passed, checked: a word boundary inside the area. */
    private static long checkedOffset(SharedCallSlot slot) {
        long at = slot.published();
        if (at < 0 || at >= slot.message().byteSize() || (at & 7) != 0) {
            throw new ProtocolViolation("a message at offset " + at);
        }
        return at;
    }

    /** Whether {@code s} crosses as a copy in the message (not as a shared-heap reference, not as NULL). */
    private boolean copiedInPlace(MemorySegment s) {
        return !(s.address() == 0 && s.byteSize() == 0) && !(sharing == SharingStrategy.SHARED && inSharedHeap(s));
    }

    /**
     * Waits, within the call timeout, until the peer hands {@code slot} back while a call of {@code api}'s method
     * {@code index} is under way ({@code api} null: a message in chunks whose call is not known yet); {@code role}
     * is the {@link WaitCounts} row the wait counts in.
     *
     * @throws RuntimeException the peer events' fault when the call timed out or the peer is gone
     */
    private void awaitTurn(CallSlot slot, int role, ApiMethods api, int index) {
        int r = awaitTurnWithin(slot, role);
        if (r != CallSlot.TURN) {
            throw waitFailed(r, api == null ? "a call in chunks" : what(api, index));
        }
    }

    /** Waits for the turn within the call timeout; returns {@link CallSlot#await}'s result. */
    private int awaitTurnWithin(CallSlot slot, int role) {
        return awaitTurnWithin(slot, role, role);
    }

    /** The same, learning from and for the waits of {@code history} ({@link CallSlot#await}). */
    private int awaitTurnWithin(CallSlot slot, int role, int history) {
        long deadline = callTimeoutNanos > 0 ? System.nanoTime() + callTimeoutNanos : Long.MAX_VALUE;
        return slot.await(me, deadline, liveness, role, history);
    }

    /** The fault for a wait in {@code call} that ended with {@code result} instead of the turn. */
    private RuntimeException waitFailed(int result, String call) {
        return result == CallSlot.TIMED_OUT ? events.timedOut(call, callTimeoutNanos) : events.goneFault(call);
    }

    private static String what(ApiMethods api, int index) {
        return api.api.getSimpleName() + "." + api.methods[index].getName();
    }

    /**
     * Serves the call whose message {@code in} is at (just after its kind), then passes the reply to the other side.
     * Segments passed by copy are slices of the message itself, so the callee works on them in place; the reply and
     * any call back the callee makes go after the call's message, which stays intact until the caller has copied its
     * segments back. A call that came in chunks is served from its private copy, and its writable segments go back
     * in the reply. A call that breaks the format or its limits, or names an object or method that was not handed
     * over, is never made: the peer is failed ({@link PeerEvents#violated}) and gets no reply. Returns null once
     * the reply is passed, else what the thread's caller gets (the peer failed or went away): no reply was passed.
     */
    private RuntimeException serveOne(SharedCallSlot slot, Cursor in) {
        long began = WaitCounts.ON ? System.nanoTime() : 0;
        boolean big = in.isPrivate();
        long outerTop = slot.frameTop();
        long callAt = big ? -1 : in.pos - 1;
        Export export;
        int index;
        Object[] args;
        long outMask = 0;
        long replyAt;
        try {
            export = exportAt(in.getLong());
            index = in.getInt();
            if (index < 0 || index >= export.api.methods.length) {
                throw new ProtocolViolation("method " + index + " of " + export.api.api.getName());
            }
            slot.nextCallHistory(export.api.nextCallHistory(index));
            Class<?>[] types = export.api.parameterTypes[index];
            int argc = in.getCount(MAX_ARGS, 1, "an argument count");
            if (argc != types.length) {
                throw new ProtocolViolation(argc + " arguments for " + what(export.api, index));
            }
            args = new Object[argc];
            for (int i = 0; i < argc; i++) {
                int tag = in.getByte();
                args[i] = readTagged(in, tag, true, types[i], 0);
                if (i < 64 && isOut(args[i], tag)) {
                    outMask |= 1L << i;
                }
            }
            // The reply goes past the call's message, or, for a call that came in chunks, where its chunks were:
            // the slot holds nothing of it any more.
            if (big) {
                callAt = checkedOffset(slot);
            }
            replyAt = big ? callAt : SharedCallSlot.align(in.pos);
        } catch (RuntimeException bad) {
            in.release();
            if (closed || events.gone()) {
                return events.goneFault("a call from the other side");
            }
            return events.violated("a call from the other side",
                    bad instanceof ProtocolViolation ? bad.getMessage() : bad.toString());
        }
        Object result = null;
        Throwable thrown = null;
        slot.frameTop(replyAt);
        try {
            result = export.api.spreaders[index].invokeExact(export.target, args);
        } catch (Throwable t) {
            thrown = t;
        } finally {
            slot.frameTop(outerTop);
        }
        // The callee's code may have left a call of its own at the peer (an Error that struck while it waited): the
        // reply is written only once the turn is back.
        RuntimeException lost = regainTurnWhileServing(slot, replyAt);
        if (lost != null) {
            in.release();
            return lost;
        }
        Cursor out = slot.cursorAt(replyAt);
        if (thrown == null) {
            try {
                writeReturn(out, result, args, outMask, big);
            } catch (IndexOutOfBoundsException tooLarge) {
                // Too large for the slot past the call: it crosses in chunks from where the call began, over the
                // call's message, so the writable segments go back in the reply itself (staged before the slot
                // is overwritten).
                out = Cursor.staging(2 * slot.message().byteSize() + segmentBytes(args), limits.maxMessageBytes());
                try {
                    writeReturn(out, result, args, outMask, true);
                    if (chunkRoom(slot, callAt) < MIN_CHUNK_ROOM) {
                        throw new IllegalStateException("calls nest too deeply in the slot for the result of "
                                + what(export.api, index) + " to cross in chunks");
                    }
                    replyAt = callAt;
                } catch (Throwable t) {
                    out.release();
                    thrown = t instanceof IndexOutOfBoundsException ? new IllegalStateException("the result of "
                            + what(export.api, index) + " exceeds the largest message of "
                            + limits.maxMessageBytes() + " bytes") : t;
                }
            } catch (Throwable t) {
                thrown = t;
            }
        }
        if (thrown != null) {
            out = slot.cursorAt(replyAt);
            writeThrow(out, thrown);
        }
        in.release();
        if (WaitCounts.ON) {
            WaitCounts.served(what(export.api, index), System.nanoTime() - began);
        }
        try {
            send(slot, replyAt, out, export.api, index);
        } catch (GateFault gone) {
            // The caller went away while the reply crossed in chunks: nobody to tell.
            return gone;
        }
        return null;
    }

    /**
     * Makes sure this side has the turn on {@code slot} before it writes a message there. It always has, unless a
     * call of this thread was abandoned while the peer had the turn: a {@code StackOverflowError} (or another
     * {@code Error}) that struck while the thread waited for the reply, and unwound past the call. The peer still
     * answers that call; writing a new message now would race with its reply, and the next wait would take that
     * reply for the new call's. So the thread first waits for the turn (within the call timeout), serves the calls
     * the peer makes back meanwhile, and drops the abandoned call's reply. Costs one read of the turn word per call.
     *
     * @throws RuntimeException the peer events' fault when the peer does not give the turn back in time, is gone, or
     *         breaks the format meanwhile
     */
    private void regainTurn(SharedCallSlot slot) {
        while (!slot.hasTurn(me)) {
            int r = awaitTurnWithin(slot, WaitCounts.REPLY);
            if (r != CallSlot.TURN) {
                throw waitFailed(r, "the reply of an abandoned call");
            }
            Cursor in;
            try {
                in = receive(slot, null, -1, WaitCounts.REPLY);
                if (in.getByte() != CALL) {
                    in.release(); // the abandoned call's reply: nobody waits for it any more
                    continue;
                }
            } catch (ProtocolViolation v) {
                throw events.violated("the reply of an abandoned call", v.getMessage());
            }
            RuntimeException failed = serveOne(slot, in);
            if (failed != null) {
                throw failed;
            }
        }
    }

    /**
     * {@link #regainTurn} for a thread about to write the reply of the call it serves at {@code replyAt}: calls the
     * peer makes meanwhile go past the reply's place. Returns what the thread's caller gets if the turn could not be
     * regained (no reply can be passed then), else null.
     */
    private RuntimeException regainTurnWhileServing(SharedCallSlot slot, long replyAt) {
        if (slot.hasTurn(me)) {
            return null;
        }
        long top = slot.frameTop();
        slot.frameTop(replyAt);
        try {
            regainTurn(slot);
            return null;
        } catch (RuntimeException failed) {
            return failed;
        } finally {
            slot.frameTop(top);
        }
    }

    /** Writes a RETURN; {@code withBytes}: writable segments go back in it, else the caller copies them from the slot. */
    private void writeReturn(Cursor out, Object result, Object[] args, long outMask, boolean withBytes) {
        out.putByte(RETURN);
        writeValue(out, result);
        out.putInt(Long.bitCount(outMask));
        for (long rest = outMask; rest != 0; rest &= rest - 1) {
            int i = Long.numberOfTrailingZeros(rest);
            out.putInt(i);
            if (args[i] instanceof MemorySegment s) {
                out.putByte(withBytes ? 1 : 0);
                if (withBytes) {
                    out.putLong(s.byteSize());
                    out.putBytes(s, 0, s.byteSize());
                }
            } else {
                writeArray(out, args[i]);
            }
        }
    }

    private static void writeThrow(Cursor out, Throwable thrown) {
        out.putByte(THROW);
        String type = thrown.getClass().getName();
        out.putString(type.length() > CLASS_NAME_CHARS ? type.substring(0, CLASS_NAME_CHARS) : type);
        String message = thrown.getMessage();
        if (message == null) {
            out.putByte(0);
        } else {
            out.putByte(1);
            out.putString(message.length() > 1000 ? message.substring(0, 1000) : message);
        }
        out.putByte(thrown instanceof Error ? 1 : 0);
    }

    /** The object this side handed to the other as {@code id}; anything else is a violation. */
    private Export exportAt(long id) {
        Export[] table = exports;
        if (id < 0 || id >= table.length || table[(int) id] == null) {
            throw new ProtocolViolation("no object " + id + " was handed to the other side");
        }
        return table[(int) id];
    }

    /** Whether a decoded argument is copied back after the call: a private copy of a writable segment, an array. */
    private static boolean isOut(Object value, int tag) {
        return tag == T_SEGMENT && !((MemorySegment) value).isReadOnly()
                || tag == T_BYTES || tag == T_INTS || tag == T_LONGS || tag == T_DOUBLES;
    }

    /** Copies an out-parameter array back into the caller's own array, whose type and length it must match. */
    private static void copyBack(Cursor in, Object original) {
        int tag = in.getByte();
        int expectedTag = switch (original) {
            case byte[] a -> T_BYTES;
            case int[] a -> T_INTS;
            case long[] a -> T_LONGS;
            case double[] a -> T_DOUBLES;
            default -> throw new IllegalArgumentException("not an out-parameter: " + original.getClass());
        };
        int length = in.getInt();
        int originalLength = java.lang.reflect.Array.getLength(original);
        if (tag != expectedTag || length != originalLength) {
            throw new ProtocolViolation("an out-parameter array of tag " + tag + " and length " + length
                    + " for one of tag " + expectedTag + " and length " + originalLength);
        }
        in.need((long) length * elementSize(tag));
        switch (tag) {
            case T_BYTES -> MemorySegment.copy(in.area, ValueLayout.JAVA_BYTE, in.pos, (byte[]) original, 0, length);
            case T_INTS -> MemorySegment.copy(in.area, ValueLayout.JAVA_INT_UNALIGNED, in.pos, (int[]) original, 0, length);
            case T_LONGS -> MemorySegment.copy(in.area, ValueLayout.JAVA_LONG_UNALIGNED, in.pos, (long[]) original, 0, length);
            default -> MemorySegment.copy(in.area, ValueLayout.JAVA_DOUBLE_UNALIGNED, in.pos, (double[]) original, 0, length);
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
        return writeSegment(out, s, false);
    }

    /**
     * Writes {@code s}; {@code blank}: the callee only writes it (a {@code WRITE} window), so its bytes are reserved
     * in the message but not copied in. Returns where its bytes lie in the message if they are there, else -1.
     */
    private long writeSegment(Cursor out, MemorySegment s, boolean blank) {
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
        out.putByte((s.isReadOnly() ? 1 : 0) | (blank ? 2 : 0));
        long at = out.pos;
        if (blank) {
            out.ensure(s.byteSize());
            out.pos += s.byteSize();
        } else {
            out.putBytes(s, 0, s.byteSize());
        }
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
                out.ensure(a.length);
                MemorySegment.copy(a, 0, out.area, ValueLayout.JAVA_BYTE, out.pos, a.length);
                out.pos += a.length;
            }
            case int[] a -> {
                out.putByte(T_INTS);
                out.putInt(a.length);
                out.ensure(4L * a.length);
                MemorySegment.copy(a, 0, out.area, ValueLayout.JAVA_INT_UNALIGNED, out.pos, a.length);
                out.pos += 4L * a.length;
            }
            case long[] a -> {
                out.putByte(T_LONGS);
                out.putInt(a.length);
                out.ensure(8L * a.length);
                MemorySegment.copy(a, 0, out.area, ValueLayout.JAVA_LONG_UNALIGNED, out.pos, a.length);
                out.pos += 8L * a.length;
            }
            case double[] a -> {
                out.putByte(T_DOUBLES);
                out.putInt(a.length);
                out.ensure(8L * a.length);
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
     * Reads one value that must be of type {@code expected} ({@code Object.class} where the type is not known, as
     * for a list's elements). {@code inPlace}: a segment passed by copy is returned as a slice of the message (a
     * call's argument, valid during the call); otherwise it is copied out (a result, which must outlive the message).
     * Every length, count, id and name is checked before use ({@link MessageLimits}); a value of another type than
     * expected is a {@link ProtocolViolation} too, so a callee never gets an argument, and a caller never a result,
     * that the method's signature does not allow.
     */
    private Object readValue(Cursor in, boolean inPlace, Class<?> expected, int depth) {
        return readTagged(in, in.getByte(), inPlace, expected, depth);
    }

    private Object readTagged(Cursor in, int tag, boolean inPlace, Class<?> expected, int depth) {
        Object value = switch (tag) {
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
            case T_STRING -> in.getString(limits.maxStringChars());
            case T_NULL_SEGMENT -> MemorySegment.NULL;
            case T_SEGMENT -> {
                long size = in.getSize(limits.maxMessageBytes(), "a segment");
                int flags = in.getByte();
                if ((flags & ~3) != 0) {
                    throw new ProtocolViolation("segment flags " + flags);
                }
                // Bit 2 (a write-only window whose bytes were not copied in) changes nothing for the reader.
                boolean readOnly = (flags & 1) != 0;
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
                if (sharing != SharingStrategy.SHARED) {
                    throw new ProtocolViolation("a shared-heap segment under sharing " + sharing);
                }
                long offset = in.getLong();
                long size = in.getLong();
                boolean readOnly = readFlag(in);
                long heap = sharedHeap.byteSize();
                if (offset < 0 || size < 0 || offset > heap - size) {
                    throw new ProtocolViolation("a shared-heap segment of " + size + " bytes at " + offset
                            + " in a heap of " + heap);
                }
                MemorySegment slice = sharedHeap.asSlice(offset, size);
                yield readOnly ? slice.asReadOnly() : slice;
            }
            case T_BYTES -> {
                byte[] a = new byte[in.getCount(limits.maxArrayBytes(), 1, "a byte array")];
                MemorySegment.copy(in.area, ValueLayout.JAVA_BYTE, in.pos, a, 0, a.length);
                in.pos += a.length;
                yield a;
            }
            case T_INTS -> {
                int[] a = new int[in.getCount(limits.maxArrayBytes() / 4, 4, "an int array")];
                MemorySegment.copy(in.area, ValueLayout.JAVA_INT_UNALIGNED, in.pos, a, 0, a.length);
                in.pos += 4L * a.length;
                yield a;
            }
            case T_LONGS -> {
                long[] a = new long[in.getCount(limits.maxArrayBytes() / 8, 8, "a long array")];
                MemorySegment.copy(in.area, ValueLayout.JAVA_LONG_UNALIGNED, in.pos, a, 0, a.length);
                in.pos += 8L * a.length;
                yield a;
            }
            case T_DOUBLES -> {
                double[] a = new double[in.getCount(limits.maxArrayBytes() / 8, 8, "a double array")];
                MemorySegment.copy(in.area, ValueLayout.JAVA_DOUBLE_UNALIGNED, in.pos, a, 0, a.length);
                in.pos += 8L * a.length;
                yield a;
            }
            case T_LIST -> {
                checkDepth(depth);
                int n = in.getCount(limits.maxElements(), 1, "a list");
                List<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(readValue(in, false, Object.class, depth + 1));
                }
                yield java.util.Collections.unmodifiableList(list);
            }
            case T_ENUM -> {
                Class<?> type = classNamed(in.getString(CLASS_NAME_CHARS));
                String name = in.getString(CLASS_NAME_CHARS);
                if (!type.isEnum()) {
                    throw new ProtocolViolation(type.getName() + " is not an enum");
                }
                yield enumConstant(type, name);
            }
            case T_RECORD -> {
                checkDepth(depth);
                yield readRecord(in, depth);
            }
            case T_REF_MINE -> {
                long id = in.getLong();
                Class<?> api = classNamed(in.getString(CLASS_NAME_CHARS));
                if (id < 0 || id > Integer.MAX_VALUE || !api.isInterface() || !Modifier.isPublic(api.getModifiers())) {
                    throw new ProtocolViolation("an object " + id + " of the other side as a " + api.getName());
                }
                if (proxies.size() >= limits.maxProxies() && !proxies.containsKey(id)) {
                    throw new ProtocolViolation("more than " + limits.maxProxies() + " objects of the other side");
                }
                yield proxy(id, api);
            }
            case T_REF_YOURS -> exportAt(in.getLong()).target;
            default -> throw new ProtocolViolation("a value of tag " + tag);
        };
        if (!conforms(value, expected)) {
            throw new ProtocolViolation("a " + (value == null ? "null" : value.getClass().getName()) + " where a "
                    + expected.getName() + " is expected");
        }
        return value;
    }

    private static boolean readFlag(Cursor in) {
        int flag = in.getByte();
        if ((flag & ~1) != 0) {
            throw new ProtocolViolation("a flag of " + flag);
        }
        return flag != 0;
    }

    private void checkDepth(int depth) {
        if (depth >= limits.maxDepth()) {
            throw new ProtocolViolation("values nested more than " + limits.maxDepth() + " deep");
        }
    }

    /** Whether {@code value} may be passed where a {@code type} is declared: a primitive only as its exact box. */
    static boolean conforms(Object value, Class<?> type) {
        if (type == void.class) {
            return value == null;
        }
        if (type.isPrimitive()) {
            return value != null && value.getClass() == box(type);
        }
        return value == null || type.isInstance(value);
    }

    private static Class<?> box(Class<?> primitive) {
        if (primitive == long.class) {
            return Long.class;
        } else if (primitive == int.class) {
            return Integer.class;
        } else if (primitive == boolean.class) {
            return Boolean.class;
        } else if (primitive == byte.class) {
            return Byte.class;
        } else if (primitive == short.class) {
            return Short.class;
        } else if (primitive == char.class) {
            return Character.class;
        } else if (primitive == float.class) {
            return Float.class;
        }
        return Double.class;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumConstant(Class<?> type, String name) {
        try {
            return Enum.valueOf((Class) type, name);
        } catch (IllegalArgumentException e) {
            throw new ProtocolViolation("no constant " + name + " in " + type.getName());
        }
    }

    private Object readRecord(Cursor in, int depth) {
        Class<?> type = classNamed(in.getString(CLASS_NAME_CHARS));
        if (!type.isRecord()) {
            throw new ProtocolViolation(type.getName() + " is not a record");
        }
        RecordComponent[] components = type.getRecordComponents();
        int n = in.getCount(limits.maxElements(), 1, "a record's components");
        if (n != components.length) {
            throw new ProtocolViolation(n + " components for record " + type.getName());
        }
        Object[] values = new Object[n];
        Class<?>[] types = new Class<?>[n];
        for (int i = 0; i < n; i++) {
            types[i] = components[i].getType();
            values[i] = readValue(in, false, types[i], depth + 1);
        }
        try {
            var constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(values);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ProtocolViolation("cannot rebuild record " + type.getName() + ": " + e);
        }
    }

    /** The class of that name in this process, not initialized (so no code of it runs); a violation if unknown. */
    static Class<?> classNamed(String name) {
        try {
            return Class.forName(name, false, RpcEndpoint.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            try {
                return Class.forName(name, false, context != null ? context : ClassLoader.getSystemClassLoader());
            } catch (ClassNotFoundException | LinkageError again) {
                throw new ProtocolViolation("class " + name + " is not known in this process");
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

    /** The CPU this side's callers and server threads are pinned to ({@code cpu:}), or {@link CpuPin#NONE}. */
    private volatile int cpu = CpuPin.NONE;

    /**
     * Pins, from now on, every thread of this process that binds a slot to call the other side, and every server
     * thread this endpoint starts, to {@code cpu}: where the other side's threads run too. Set before {@link #serve}
     * and before the first call. A compartment process does not call it: its threads inherit the CPU of its main
     * thread, which pins itself before the sandbox forbids it.
     */
    void pinTo(int cpu) {
        this.cpu = cpu;
    }

    /** Pins the calling thread to the endpoint's CPU, if it has one; a refusal is this gate's fault. */
    private void pinThisThread() {
        int pinned = cpu;
        if (pinned == CpuPin.NONE) {
            return;
        }
        try {
            Syscalls.pinThisThread(pinned);
        } catch (IllegalStateException refused) {
            throw new GateFault(events.compartment(), false, "compartment " + events.compartment() + " is pinned to"
                    + " CPU " + pinned + " (cpu: " + pinned + "), but this thread " + refused.getMessage());
        }
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
