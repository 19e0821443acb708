package flexos.core.mechanism.process.sandbox;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The Linux calls the sandbox needs, through FFM (no helper binary): libc's functions by name where glibc has one
 * (so that, for {@code setresuid} and friends, glibc applies the change to every thread of the JVM), and libc's
 * {@code syscall} for the calls it does not wrap ({@code seccomp}, {@code landlock_*}). Every call returns the
 * kernel's result; on failure ({@code -1}) it throws {@link LinuxError} with the {@code errno} and the call's name,
 * so a caller never mistakes a refusal for success.
 *
 * <p>Only Linux on x86_64 and aarch64 (the system call numbers of {@link #SYSCALL_NUMBERS}).
 */
public final class Linux {

    /** A call the kernel refused, with its errno. */
    public static final class LinuxError extends RuntimeException {
        private final int errno;

        LinuxError(String call, int errno) {
            super(call + " failed with errno " + errno + " (" + errnoName(errno) + ")");
            this.errno = errno;
        }

        public int errno() {
            return errno;
        }
    }

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EACCES = 13;
    public static final int EINVAL = 22;
    public static final int ENOSYS = 38;
    public static final int EOPNOTSUPP = 95;

    static String errnoName(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case 3 -> "ESRCH";
            case 9 -> "EBADF";
            case 11 -> "EAGAIN";
            case EACCES -> "EACCES";
            case EINVAL -> "EINVAL";
            case ENOSYS -> "ENOSYS";
            case EOPNOTSUPP -> "EOPNOTSUPP";
            case 111 -> "ECONNREFUSED";
            default -> "errno " + errno;
        };
    }

    /** The architecture's system call numbers the sandbox uses by number. */
    public record SyscallNumbers(String arch, int auditArch, long seccomp, long landlockCreateRuleset,
                                 long landlockAddRule, long landlockRestrictSelf, long fcntl) {
    }

    public static final SyscallNumbers SYSCALL_NUMBERS = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> new SyscallNumbers("x86_64", 0xC000003E, 317, 444, 445, 446, 72);
        case "aarch64" -> new SyscallNumbers("aarch64", 0xC00000B7, 277, 444, 445, 446, 25);
        default -> null;
    };

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ThreadLocal<MemorySegment> STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));

    private static final MethodHandle SYSCALL = function("syscall", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), Linker.Option.firstVariadicArg(1));
    private static final MethodHandle PRCTL = function("prctl", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG), Linker.Option.firstVariadicArg(1));

    private static final MethodHandle GETPPID = libc("getppid", true, 0);

    private Linux() {
    }

    /**
     * The parent's pid ({@code getppid}): unlike {@code ProcessHandle.parent()}, which reads the parent's
     * {@code /proc} entry, this works inside the sandbox, where the image's {@code /proc/<pid>} is out of reach.
     */
    public static long parentPid() {
        return call("getppid", GETPPID);
    }

    private static MethodHandle function(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker.Option[] all = new Linker.Option[options.length + 1];
        all[0] = Linker.Option.captureCallState("errno");
        System.arraycopy(options, 0, all, 1, options.length);
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(
                () -> new UnsupportedOperationException("libc has no function " + name)), descriptor, all);
    }

    /**
     * A libc function whose arguments are all passed as {@code long}s (ints and pointers alike: on x86_64 and
     * aarch64 the callee reads an int argument from the low half of its register) and whose result is an
     * {@code int} ({@code intResult}) or a {@code long} ({@code ssize_t}).
     */
    static MethodHandle libc(String name, boolean intResult, int arguments) {
        ValueLayout[] args = new ValueLayout[arguments];
        java.util.Arrays.fill(args, ValueLayout.JAVA_LONG);
        return function(name, FunctionDescriptor.of(intResult ? ValueLayout.JAVA_INT : ValueLayout.JAVA_LONG, args));
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** {@code syscall(number, a...)}: its result; throws {@link LinuxError} when it returns -1. */
    public static long syscall(String name, long number, long a, long b, long c, long d, long e) {
        MemorySegment state = STATE.get();
        long result;
        try {
            result = (long) SYSCALL.invokeExact(state, number, a, b, c, d, e, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException(name + " could not be called: " + t, t);
        }
        if (result == -1) {
            throw new LinuxError(name, errno(state));
        }
        return result;
    }

    /** {@code prctl(option, a, b, c, d)}: its result; throws {@link LinuxError} when it returns -1. */
    public static int prctl(int option, long a, long b, long c, long d) {
        MemorySegment state = STATE.get();
        int result;
        try {
            result = (int) PRCTL.invokeExact(state, option, a, b, c, d);
        } catch (Throwable t) {
            throw new IllegalStateException("prctl could not be called: " + t, t);
        }
        if (result == -1) {
            throw new LinuxError("prctl(" + option + ")", errno(state));
        }
        return result;
    }

    /** Calls a handle made by {@link #libc}; throws {@link LinuxError} when it returns -1. */
    static long call(String name, MethodHandle handle, long... args) {
        MemorySegment state = STATE.get();
        long result;
        try {
            Object[] all = new Object[args.length + 1];
            all[0] = state;
            for (int i = 0; i < args.length; i++) {
                all[i + 1] = args[i];
            }
            result = ((Number) handle.invokeWithArguments(all)).longValue();
        } catch (Throwable t) {
            throw new IllegalStateException(name + " could not be called: " + t, t);
        }
        if (result == -1) {
            throw new LinuxError(name, errno(state));
        }
        return result;
    }
}
