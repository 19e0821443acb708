package flexos.core.mechanism.process.sandbox;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** Sets a compartment process's rlimits, soft and hard alike (lowering a hard limit cannot be undone unprivileged). */
final class ResourceLimits {

    static final int RLIMIT_CORE = 4;
    static final int RLIMIT_NPROC = 6;
    static final int RLIMIT_NOFILE = 7;
    private static final MethodHandle PRLIMIT = Linux.libc("prlimit", true, 4);

    private ResourceLimits() {
    }

    /** Sets {@code resource} to {@code limit}, or to the current hard limit if that is lower. */
    static void cap(String name, int resource, long limit) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment old = arena.allocate(16, 8);
            Linux.call("prlimit(" + name + ")", PRLIMIT, 0, resource, 0, old.address());
            long hard = old.get(ValueLayout.JAVA_LONG, 8);
            long value = Long.compareUnsigned(hard, limit) < 0 ? hard : limit;
            MemorySegment next = arena.allocate(16, 8);
            next.set(ValueLayout.JAVA_LONG, 0, value);
            next.set(ValueLayout.JAVA_LONG, 8, value);
            Linux.call("prlimit(" + name + ")", PRLIMIT, 0, resource, next.address(), 0);
        }
    }

    /** The current soft limit of {@code resource}. */
    static long current(int resource) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment old = arena.allocate(16, 8);
            Linux.call("prlimit", PRLIMIT, 0, resource, 0, old.address());
            return old.get(ValueLayout.JAVA_LONG, 0);
        }
    }
}
