package flexos.core.mechanism.process;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The Linux system calls the {@code process} mechanism needs and Java does not offer: {@code futex} wait and
 * wake on a word of a shared mapping (so a thread of one process can sleep until a thread of another changes it),
 * {@code prctl(PR_SET_PDEATHSIG)} (so a compartment process dies with the image), and
 * {@code sched_setaffinity} of the calling thread (a compartment's {@code cpu:}). They go through libc's
 * {@code syscall} by FFM; every argument is passed as a 64-bit integer because {@code syscall} reads them so.
 *
 * <p>The futex word is not private ({@code FUTEX_PRIVATE_FLAG} unset): waiter and waker are in different processes.
 */
final class Syscalls {

    private static final int FUTEX_WAIT = 0;
    private static final int FUTEX_WAKE = 1;
    private static final int PR_SET_PDEATHSIG = 1;
    private static final int PR_SET_DUMPABLE = 4;
    private static final int SIGKILL = 9;

    private static final long SYS_FUTEX;
    private static final long SYS_PRCTL;
    private static final long SYS_SCHED_SETAFFINITY;
    private static final MethodHandle SYSCALL;

    static {
        String arch = System.getProperty("os.arch");
        switch (arch) {
            case "amd64", "x86_64" -> {
                SYS_FUTEX = 202;
                SYS_PRCTL = 157;
                SYS_SCHED_SETAFFINITY = 203;
            }
            case "aarch64" -> {
                SYS_FUTEX = 98;
                SYS_PRCTL = 167;
                SYS_SCHED_SETAFFINITY = 122;
            }
            default -> throw new ExceptionInInitializerError("the process mechanism knows the system call numbers of"
                    + " Linux on x86_64 and aarch64 only, not " + arch);
        }
        Linker linker = Linker.nativeLinker();
        SYSCALL = linker.downcallHandle(linker.defaultLookup().find("syscall").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                Linker.Option.firstVariadicArg(1));
    }

    /** A timespec per thread, so that a timed wait allocates nothing. */
    private static final ThreadLocal<MemorySegment> TIMESPEC =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(16, 8));

    private Syscalls() {
    }

    /**
     * Sleeps while the int at {@code address} holds {@code expected}, at most {@code timeoutNanos}. Returns early on a
     * wake, a signal, or when the word already differs; callers re-check the word in every case.
     */
    static void futexWait(long address, int expected, long timeoutNanos) {
        MemorySegment timespec = TIMESPEC.get();
        timespec.set(ValueLayout.JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
        timespec.set(ValueLayout.JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
        try {
            long ignored = (long) SYSCALL.invokeExact(SYS_FUTEX, address, (long) FUTEX_WAIT, (long) expected,
                    timespec.address(), 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("futex wait failed", t);
        }
    }

    /** Wakes every thread, of any process, sleeping in {@link #futexWait} on the int at {@code address}. */
    static void futexWake(long address) {
        try {
            long ignored = (long) SYSCALL.invokeExact(SYS_FUTEX, address, (long) FUTEX_WAKE, (long) Integer.MAX_VALUE,
                    0L, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("futex wake failed", t);
        }
    }

    /**
     * Lets the calling thread run on CPU {@code cpu} only; threads it starts afterwards inherit that.
     *
     * @throws IllegalStateException if the kernel refuses: the CPU is offline, does not exist, or is outside this
     *         process's cpuset
     */
    static void pinThisThread(int cpu) {
        if (cpu < 0 || cpu > CpuPin.MAX_CPU) {
            throw new IllegalArgumentException("no CPU " + cpu);
        }
        // A cpu_set_t of the kernel's largest default size: 1024 bits.
        MemorySegment mask = Arena.ofAuto().allocate(128, 8);
        mask.set(ValueLayout.JAVA_LONG, 8L * (cpu / 64), 1L << (cpu % 64));
        long result;
        try {
            result = (long) SYSCALL.invokeExact(SYS_SCHED_SETAFFINITY, 0L, mask.byteSize(), mask.address(), 0L, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("sched_setaffinity failed", t);
        }
        if (result != 0) {
            throw new IllegalStateException("cannot run on CPU " + cpu + " (sched_setaffinity returned " + result
                    + "): is it online, and in this process's cpuset? " + Runtime.getRuntime().availableProcessors()
                    + " CPUs are available here");
        }
    }

    /** Asks the kernel to SIGKILL this process when the thread that started it exits. */
    static void killMeWithParent() {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
    }

    /**
     * Makes this process non-dumpable: other processes of the same user can then neither ptrace it nor read its
     * {@code /proc/<pid>/mem} or open its {@code /proc/<pid>/fd}, which they otherwise could.
     */
    static void forbidInspection() {
        prctl(PR_SET_DUMPABLE, 0);
    }

    private static void prctl(int option, long argument) {
        try {
            long result = (long) SYSCALL.invokeExact(SYS_PRCTL, (long) option, argument, 0L, 0L, 0L);
            if (result != 0) {
                throw new IllegalStateException("prctl(" + option + ") returned " + result);
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("prctl(" + option + ") failed", t);
        }
    }
}
