package flexos.core.mechanism.module;

import flexos.core.config.SharingStrategy;
import flexos.core.mechanism.BufferWindows;
import flexos.core.mechanism.GateFault;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Array;

/**
 * What one {@code module} gate instance does besides the call itself: marshalling by the compartment's sharing
 * strategy, fault containment, and the timed path. The generated gate class calls {@link #fault} from its catch-all
 * handlers and {@link #invoke} for every call that is not a plain direct call.
 *
 * <p>A <em>forward</em> runtime sits in front of an export of its domain's compartment; a <em>reverse</em> one in
 * front of a callback object that a caller handed into the compartment (the callback's code belongs to the caller,
 * its <em>owner</em>). Both stop working when the domain fails: a failed compartment can neither be called nor call
 * out. A reverse one also stops when its owner's compartment fails, and an {@link Error} in the callback stops the
 * owner's compartment, as one in a forward call stops the callee's: either may have struck half way through an
 * update.
 */
final class GateRuntime {

    /** Copy buffers that the callee owns, reused call after call on one thread. */
    private static final class Scratch {
        MemorySegment[] buffers = new MemorySegment[4];
        int depth;

        MemorySegment buffer(int slot, long size) {
            if (slot >= buffers.length) {
                buffers = java.util.Arrays.copyOf(buffers, slot + 4);
            }
            MemorySegment buffer = buffers[slot];
            if (buffer == null || buffer.byteSize() < size) {
                // Arena.ofAuto: the old buffer is freed once no one, the callee included, still refers to it.
                buffer = Arena.ofAuto().allocate(Math.max(64, Long.highestOneBit(Math.max(1, size - 1)) << 1), 16);
                buffers[slot] = buffer;
            }
            return buffer.asSlice(0, size);
        }
    }

    private final GateType type;
    private final ModuleDomain domain;
    private final boolean forward;
    /** The compartment whose code runs behind the gate, and its module domain (null when it is not one). */
    private final String owner;
    private final ModuleDomain ownerDomain;
    /** The compartment whose code calls through the gate. */
    private final String caller;
    private final boolean timed;
    /** Crossed around the call itself; null for none. */
    private final CallBoundary boundary;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    /**
     * @param domain      the domain that made the gate: forward, the callee's; reverse, the one the callback was
     *                    handed into
     * @param owner       the compartment whose code runs behind the gate (forward: {@code domain}'s)
     * @param ownerDomain {@code owner}'s module domain, which an {@link Error} behind the gate stops; null when
     *                    {@code owner} is not a module compartment (it is then only reported)
     * @param caller      the compartment whose code calls through the gate
     */
    GateRuntime(GateType type, ModuleDomain domain, boolean forward, String owner, ModuleDomain ownerDomain,
                String caller, boolean timed, CallBoundary boundary) {
        this.boundary = boundary;
        this.type = type;
        this.domain = domain;
        this.forward = forward;
        this.owner = owner;
        this.ownerDomain = ownerDomain;
        this.caller = caller;
        this.timed = timed;
        this.refusal = "a call into compartment " + owner + " through " + type.api.getSimpleName() + " was refused"
                + " before it entered: the caller has less than " + StackHeadroom.REQUIRED / 1024 + " KiB (or half"
                + " its stack) left";
    }

    /** Built here, on an ordinary stack: a refusal made with the stack nearly full must not link a concatenation. */
    private final String refusal;

    /**
     * Refuses the call, before anything of it runs behind the gate, when the calling thread has less stack left than
     * {@link StackHeadroom} requires: an overflow it provoked could otherwise strike half way through the callee, or
     * in a JDK initialiser the callee runs first (which then fails for every compartment). The generated gates call
     * it first, outside their catch-all; {@link #invoke} too.
     *
     * @throws GateFault naming the callee, which is left as it was (not failed)
     */
    void checkHeadroom() {
        if (!StackHeadroom.enough()) {
            throw new GateFault(owner, false, refusal);
        }
    }

    /**
     * What the caller gets for {@code thrown}, which escaped the code behind the gate. The API's own exceptions
     * (classes the compartments share) cross as they are; anything of the compartment's own classes, and every
     * {@link Error}, becomes a {@link GateFault}; an Error also stops the compartment whose code runs behind the gate
     * (for a callback, its owner's, when that is a module compartment).
     */
    Throwable fault(Throwable thrown) {
        boolean error = thrown instanceof Error;
        String failure = domain.failure();
        if (failure != null && !(error && forward)) {
            return new GateFault(domain.compartment(), true, "compartment " + domain.compartment()
                    + " has failed (" + failure + ") and takes no more calls");
        }
        String ownerFailure = forward || ownerDomain == null ? null : ownerDomain.failure();
        if (ownerFailure != null) {
            return new GateFault(owner, true, "compartment " + owner + " has failed (" + ownerFailure
                    + ") and takes no more calls");
        }
        if (thrown instanceof GateFault) {
            return thrown;
        }
        if (error && ownerDomain != null) {
            // First stop the compartment, which frees its memory: after an OutOfMemoryError, building the message
            // would fail. A StackOverflowError may have struck anywhere in the code behind the gate, leaving its
            // state half updated (a caller can provoke one by calling with its stack nearly full): that
            // compartment is stopped rather than trusted again, and the caller is told what was lost.
            ownerDomain.fail(thrown instanceof StackOverflowError ? "it ran out of stack in a call"
                    : "it crashed with an Error");
        }
        String what = thrown.getClass().getName();
        if (error) {
            String lost = thrown instanceof StackOverflowError ? " and its state is lost (the stack ran out inside "
                    + "it, possibly because the caller called with its stack nearly full)" : "";
            if (forward) {
                return new GateFault(owner, true, "compartment " + owner + " crashed with " + what + " in a call to "
                        + type.api.getSimpleName() + "; it is stopped" + lost);
            }
            return new GateFault(owner, ownerDomain != null, "callback " + type.api.getSimpleName()
                    + " of compartment " + owner + " crashed with " + what + " in a call from compartment " + caller
                    + (ownerDomain != null ? "; compartment " + owner + " is stopped" + lost
                    : " (not a module compartment: not stopped)"));
        }
        if (thrown instanceof RefusedOperationException) {
            return new GateFault(owner, false, "compartment " + owner + " attempted a refused operation: "
                    + thrown.getMessage());
        }
        if (thrown.getClass().getClassLoader() instanceof CompartmentClassLoader) {
            return new GateFault(owner, false, "compartment " + owner + " threw its own " + what + " through "
                    + type.api.getSimpleName());
        }
        return thrown;
    }

    /** Crosses the boundary into the call, for the generated direct path of a bounded gate. */
    int enter() {
        return boundary.enter();
    }

    /** Crosses back, for the generated direct path of a bounded gate. */
    void leave(int entered) {
        boundary.leave(entered);
    }

    /** A call that needs marshalling, or any call of a timed gate. Throws what {@link #fault} returns. */
    Object invoke(int index, Object target, Object[] args) {
        checkHeadroom();
        if (timed && !domain.onWorker()) {
            return domain.callWithTimeout(() -> call(index, target, args), type.api.getSimpleName()
                    + "." + type.plans[index].method().getName());
        }
        return call(index, target, args);
    }

    private Object call(int index, Object target, Object[] args) {
        GateType.Plan plan = type.plans[index];
        GateType.Kind[] kinds = plan.parameters();
        Scratch own = scratch.get();
        boolean reuse = own.depth++ == 0;
        Object[] originals = null;
        try {
            // A window's segment is narrowed to the window: only it is copied, a WRITE window's bytes are not copied
            // in, and a partial call's are copied back only as far as its result says (a batched recv of a few
            // hundred bytes into a 256 KiB buffer crosses as those bytes).
            long blank = plan.windows() == null ? 0 : plan.windows().narrow(args, Long.MAX_VALUE);
            for (int i = 0; i < kinds.length; i++) {
                switch (kinds[i]) {
                    case VALUE -> { }
                    case SEGMENT -> {
                        MemorySegment given = (MemorySegment) args[i];
                        MemorySegment passed = copyIn(given, i, own, reuse, i < 64 && (blank & (1L << i)) != 0);
                        if (passed != given) {
                            originals = remember(originals, kinds.length, i, given);
                            args[i] = passed;
                        }
                    }
                    case ARRAY -> {
                        if (args[i] != null) {
                            originals = remember(originals, kinds.length, i, args[i]);
                            args[i] = cloneArray(args[i]);
                        }
                    }
                    // An argument's code is the caller's; the other side of its gate, this gate's other side.
                    case CALLBACK -> args[i] = domain.wrap(plan.method().getParameterTypes()[i], args[i], !forward,
                            forward ? caller : owner, boundary == null ? null : boundary.back());
                }
            }
            Object result;
            int entered = boundary == null ? 0 : boundary.enter();
            try {
                result = type.spreaders[index].invokeExact(target, args);
            } finally {
                if (boundary != null) {
                    boundary.leave(entered);
                }
            }
            if (originals != null) {
                copyBack(originals, args, plan, result);
            }
            return switch (plan.result()) {
                case VALUE -> result;
                case SEGMENT -> copyOut((MemorySegment) result);
                case ARRAY -> result == null ? null : cloneArray(result);
                case CALLBACK -> domain.wrap(plan.method().getReturnType(), result, forward,
                        forward ? caller : owner, boundary);
            };
        } catch (Throwable thrown) {
            throw GateRuntime.<RuntimeException>sneaky(fault(thrown));
        } finally {
            own.depth--;
        }
    }

    /**
     * The callee's copy of {@code given}, with its bytes unless {@code blank} (a WRITE window, which the callee only
     * writes). A blank copy may hold what earlier calls through this gate on this thread left in the reused scratch
     * buffer: bytes this callee was given or wrote itself, never another compartment's.
     */
    private MemorySegment copyIn(MemorySegment given, int slot, Scratch own, boolean reuse, boolean blank) {
        if (given == null || given.byteSize() == 0 && given.address() == 0) {
            return given;
        }
        if (domain.sharing() == SharingStrategy.SHARED && domain.inSharedHeap(given)) {
            return given;
        }
        long size = given.byteSize();
        MemorySegment copy = reuse ? own.buffer(slot, size) : Arena.ofAuto().allocate(Math.max(1, size), 16).asSlice(0, size);
        if (!blank) {
            MemorySegment.copy(given, 0, copy, 0, size);
        }
        return given.isReadOnly() ? copy.asReadOnly() : copy;
    }

    private MemorySegment copyOut(MemorySegment result) {
        if (result == null || result.byteSize() == 0 && result.address() == 0) {
            return result;
        }
        if (domain.sharing() == SharingStrategy.SHARED && domain.inSharedHeap(result)) {
            return result;
        }
        MemorySegment copy = Arena.ofAuto().allocate(Math.max(1, result.byteSize()), 16).asSlice(0, result.byteSize());
        MemorySegment.copy(result, 0, copy, 0, result.byteSize());
        return copy;
    }

    private static Object[] remember(Object[] originals, int length, int index, Object original) {
        Object[] kept = originals != null ? originals : new Object[length];
        kept[index] = original;
        return kept;
    }

    /**
     * Copies the callee's copies back into the caller's writable segments and arrays; of a partial window only the
     * bytes {@code result} says were done. A result claiming more than its window is the callee breaking the
     * contract: nothing of that segment is copied, and the call fails.
     */
    private void copyBack(Object[] originals, Object[] passed, GateType.Plan plan, Object result) {
        BufferWindows windows = plan.windows();
        for (int i = 0; i < originals.length; i++) {
            Object original = originals[i];
            if (original instanceof MemorySegment segment) {
                if (!segment.isReadOnly()) {
                    long bytes = windows == null ? segment.byteSize() : windows.copyBackBytes(i, result, segment.byteSize());
                    if (bytes < 0) {
                        throw new GateFault(owner, false, "compartment " + owner + " says its "
                                + type.api.getSimpleName() + "." + plan.method().getName() + " did " + result
                                + " bytes of a window of " + segment.byteSize());
                    }
                    MemorySegment.copy((MemorySegment) passed[i], 0, segment, 0, bytes);
                }
            } else if (original != null) {
                System.arraycopy(passed[i], 0, original, 0, Array.getLength(original));
            }
        }
    }

    private static Object cloneArray(Object array) {
        int length = Array.getLength(array);
        Object copy = Array.newInstance(array.getClass().getComponentType(), length);
        System.arraycopy(array, 0, copy, 0, length);
        return copy;
    }

    @SuppressWarnings("unchecked")
    static <T extends Throwable> T sneaky(Throwable thrown) throws T {
        throw (T) thrown;
    }
}
