package flexos.core.mechanism.module;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The stack a thread has left, read before a {@code module} gate enters the code behind it: a caller that calls with
 * its stack nearly full is refused at the gate, so the overflow it provokes cannot strike half way through the
 * callee (its state half updated) or inside a JDK initialiser the callee runs first (String.format's first use sets
 * up locale data; an overflow there leaves those classes unusable for every compartment). The JVM's reserved stack
 * zone ({@code @ReservedStackAccess} on the gate methods) lends at most ~40 KiB; this keeps {@link #REQUIRED} bytes
 * (or half of a smaller stack) free before the callee runs at all.
 *
 * <p>How: the stack pointer is read by four bytes of machine code ({@code mov rax, rsp; ret}) in a page of its own,
 * mapped writable, filled, then made executable and never writable again, and called as a critical downcall (no
 * thread-state transition: a few nanoseconds). A thread's lowest stack address comes from
 * {@code pthread_getattr_np}, once per thread. Everything that needs linking or initialising is done when this class
 * is initialised (by the first gate made, on an ordinary stack), so a check made with the stack nearly full runs no
 * first-use code of the JDK; if the check itself runs out of stack it says no. Only x86_64 Linux has the code;
 * elsewhere, and on virtual threads (whose frames live in the heap), {@link #enough} always says yes, and the
 * reserved zone is all there is.
 */
final class StackHeadroom {

    /** What a gate keeps free below itself for the callee, at most: a quarter of a default 1 MiB stack. */
    static final long REQUIRED = 256 * 1024;

    private static final MethodHandle STACK_POINTER;
    private static final MethodHandle PTHREAD_SELF;
    private static final MethodHandle GETATTR;
    private static final MethodHandle GETSTACK;
    private static final MethodHandle DESTROY;
    /** pthread_attr_t (56 bytes on x86_64 glibc) and the two out-parameters; guarded by itself. */
    private static final MemorySegment SCRATCH;
    /** Per thread: its lowest stack address and what must stay free above it; empty where unknown. */
    private static final ThreadLocal<long[]> BOUNDS = ThreadLocal.withInitial(StackHeadroom::boundsOfThisThread);
    private static final long[] UNKNOWN = new long[0];

    static {
        MethodHandle sp = null, self = null, getattr = null, getstack = null, destroy = null;
        MemorySegment scratch = null;
        String arch = System.getProperty("os.arch");
        if (("amd64".equals(arch) || "x86_64".equals(arch)) && System.getProperty("os.name", "").startsWith("Linux")) {
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                self = linker.downcallHandle(libc.find("pthread_self").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_LONG));
                getattr = linker.downcallHandle(libc.find("pthread_getattr_np").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
                getstack = linker.downcallHandle(libc.find("pthread_attr_getstack").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                                ValueLayout.ADDRESS));
                destroy = linker.downcallHandle(libc.find("pthread_attr_destroy").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
                scratch = Arena.global().allocate(256, 16);
                sp = stackPointerReader(linker, libc);
            } catch (Throwable cannot) {
                sp = null;
            }
        }
        STACK_POINTER = sp;
        PTHREAD_SELF = self;
        GETATTR = getattr;
        GETSTACK = getstack;
        DESTROY = destroy;
        SCRATCH = scratch;
        if (sp != null) {
            // Links the check's own path once, here, on an ordinary stack.
            boolean ignored = enough();
        }
    }

    private StackHeadroom() {
    }

    /** Whether this machine can read the stack pointer, so that gates check the headroom. */
    static boolean supported() {
        return STACK_POINTER != null;
    }

    /**
     * Whether the calling thread has at least its required headroom left ({@link #REQUIRED}, or half of a smaller
     * stack); true where the stack cannot be read (see the class comment), false if the check itself ran out.
     */
    static boolean enough() {
        if (STACK_POINTER == null) {
            return true;
        }
        try {
            long[] bounds = BOUNDS.get();
            if (bounds.length == 0) {
                return true;
            }
            long sp = (long) STACK_POINTER.invokeExact();
            return sp - bounds[0] >= bounds[1];
        } catch (StackOverflowError noRoomEvenForTheCheck) {
            return false;
        } catch (Throwable unexpected) {
            return true;
        }
    }

    private static long[] boundsOfThisThread() {
        if (Thread.currentThread().isVirtual()) {
            return UNKNOWN;
        }
        synchronized (SCRATCH) {
            try {
                MemorySegment attr = SCRATCH.asSlice(0, 128);
                MemorySegment low = SCRATCH.asSlice(128, 8);
                MemorySegment size = SCRATCH.asSlice(136, 8);
                if ((int) GETATTR.invokeExact((long) PTHREAD_SELF.invokeExact(), attr) != 0) {
                    return UNKNOWN;
                }
                try {
                    if ((int) GETSTACK.invokeExact(attr, low, size) != 0) {
                        return UNKNOWN;
                    }
                } finally {
                    int ignored = (int) DESTROY.invokeExact(attr);
                }
                long stackBytes = size.get(ValueLayout.JAVA_LONG, 0);
                return new long[] {low.get(ValueLayout.JAVA_LONG, 0), Math.min(REQUIRED, stackBytes / 2)};
            } catch (StackOverflowError e) {
                throw e;
            } catch (Throwable cannot) {
                return UNKNOWN;
            }
        }
    }

    /** A handle on {@code mov rax, rsp; ret} in a page of its own, or null if the page cannot be made. */
    private static MethodHandle stackPointerReader(Linker linker, SymbolLookup libc) throws Throwable {
        MethodHandle mmap = linker.downcallHandle(libc.find("mmap").orElseThrow(), FunctionDescriptor.of(
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
        MethodHandle mprotect = linker.downcallHandle(libc.find("mprotect").orElseThrow(), FunctionDescriptor.of(
                ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
        long page = 4096;
        long at = (long) mmap.invokeExact(0L, page, 1 | 2 /* PROT_READ | PROT_WRITE */,
                0x02 | 0x20 /* MAP_PRIVATE | MAP_ANONYMOUS */, -1, 0L);
        if (at == -1L) {
            return null;
        }
        MemorySegment code = MemorySegment.ofAddress(at).reinterpret(page);
        code.copyFrom(MemorySegment.ofArray(new byte[] {0x48, (byte) 0x89, (byte) 0xE0, (byte) 0xC3}));
        if ((int) mprotect.invokeExact(at, page, 1 | 4 /* PROT_READ | PROT_EXEC */) != 0) {
            return null;
        }
        return linker.downcallHandle(code, FunctionDescriptor.of(ValueLayout.JAVA_LONG), Linker.Option.critical(false));
    }
}
