package flexos.attacks.hostile.sandbox;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Raw Linux system calls through glibc's {@code syscall(2)}, as a compromised library with native access would make
 * them: no JDK check stands between the attacker and the kernel, so what is refused is refused by the kernel (its
 * credentials checks, seccomp, Landlock). Every call returns the kernel's result, or -1 when it failed or could not
 * be made at all (no native access); the attacker does not need to know why.
 */
final class Libc {

    static final int SIGKILL = 9;
    static final long NR_WRITE = 1;
    static final long NR_KILL = 62;
    static final long NR_FCNTL = 72;
    static final long NR_TGKILL = 234;
    static final long NR_PIPE2 = 293;
    static final long NR_PROCESS_VM_READV = 310;
    static final long NR_PIDFD_SEND_SIGNAL = 424;
    static final long NR_PIDFD_OPEN = 434;
    static final long NR_CLOSE = 3;

    private static final MethodHandle SYSCALL = syscallHandle();

    private Libc() {
    }

    private static MethodHandle syscallHandle() {
        try {
            Linker linker = Linker.nativeLinker();
            return linker.downcallHandle(linker.defaultLookup().find("syscall").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                    Linker.Option.firstVariadicArg(1));
        } catch (RuntimeException e) {
            // No native access (a module compartment takes it away): every call then fails.
            return null;
        }
    }

    /** {@code syscall(nr, a...)}: the kernel's result, or -1. */
    static long call(long nr, long a, long b, long c, long d, long e) {
        if (SYSCALL == null) {
            return -1;
        }
        try {
            return (long) SYSCALL.invokeExact(nr, a, b, c, d, e, 0L);
        } catch (Throwable t) {
            return -1;
        }
    }

    /** Reads 8 bytes at {@code address} of process {@code pid} with {@code process_vm_readv}; 0 when refused. */
    static long readLongOf(long pid, long address) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(8, 8);
            MemorySegment local = arena.allocate(16, 8);
            local.set(ValueLayout.JAVA_LONG, 0, buffer.address());
            local.set(ValueLayout.JAVA_LONG, 8, 8);
            MemorySegment remote = arena.allocate(16, 8);
            remote.set(ValueLayout.JAVA_LONG, 0, address);
            remote.set(ValueLayout.JAVA_LONG, 8, 8);
            long n = call(NR_PROCESS_VM_READV, pid, local.address(), 1, remote.address(), 1);
            return n == 8 ? buffer.get(ValueLayout.JAVA_LONG, 0) : 0;
        }
    }
}
