package flexos.core.mechanism.process.sandbox;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Landlock domain of a compartment process: the file system beneath the given paths only (read-only, or
 * read-write), TCP bind and connect only when the compartment declares {@code Sockets(listen)} /
 * {@code Sockets(connect)}, and, from ABI 6, no signals to and no abstract Unix sockets of processes outside the
 * domain (the image, its siblings). Every right the kernel knows is handled, so whatever is not granted is denied.
 *
 * <p>Landlock applies to the calling thread and the threads it starts afterwards (ABI 7 has no flag to apply it
 * to the process's other threads); the compartment process restricts its main thread before it starts any thread
 * that runs library code, and disables finalization, so that no library code runs on a thread the JVM started
 * earlier. Needs ABI 6 ({@link #MINIMUM_ABI}).
 */
public final class LandlockRules {

    /** Scopes (signals, abstract sockets) came with ABI 6; TCP rules with 4. */
    public static final int MINIMUM_ABI = 6;

    private static final int CREATE_RULESET_VERSION = 1;
    private static final int RULE_PATH_BENEATH = 1;
    private static final int RULE_NET_PORT = 2;

    static final long EXECUTE = 1L;
    static final long WRITE_FILE = 1L << 1;
    static final long READ_FILE = 1L << 2;
    static final long READ_DIR = 1L << 3;
    static final long REFER = 1L << 13;
    static final long TRUNCATE = 1L << 14;
    static final long IOCTL_DEV = 1L << 15;
    /** The rights that apply to a regular file (the others only to directories). */
    private static final long FILE_RIGHTS = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV;
    private static final long READ = READ_FILE | READ_DIR;
    private static final long NET_BIND_TCP = 1;
    private static final long NET_CONNECT_TCP = 2;
    private static final long SCOPE_ABSTRACT_UNIX_SOCKET = 1;
    private static final long SCOPE_SIGNAL = 2;

    private static final int O_PATH = 010000000;
    private static final int O_CLOEXEC = 02000000;
    private static final MethodHandle OPEN = Linux.libc("open", true, 2);

    private LandlockRules() {
    }

    /** The Landlock ABI of this kernel: 0 when it has none (not built, or disabled at boot). */
    public static int abi() {
        if (Linux.SYSCALL_NUMBERS == null) {
            return 0;
        }
        try {
            return (int) Linux.syscall("landlock_create_ruleset(VERSION)",
                    Linux.SYSCALL_NUMBERS.landlockCreateRuleset(), 0, 0, CREATE_RULESET_VERSION, 0, 0);
        } catch (Linux.LinuxError e) {
            return 0;
        }
    }

    /** Every file system right of {@code abi}: bits 0-12 (ABI 1), REFER (2), TRUNCATE (3), IOCTL_DEV (5). */
    static long handledFs(int abi) {
        long rights = (1L << 13) - 1;
        if (abi >= 2) {
            rights |= REFER;
        }
        if (abi >= 3) {
            rights |= TRUNCATE;
        }
        if (abi >= 5) {
            rights |= IOCTL_DEV;
        }
        return rights;
    }

    /** Everything a {@code write:} grant may do beneath its path: all but executing and making devices. */
    static long writeRights(int abi) {
        return handledFs(abi) & ~(EXECUTE | (1L << 6) /* MAKE_CHAR */ | (1L << 11) /* MAKE_BLOCK */ | IOCTL_DEV);
    }

    /**
     * A ruleset for {@code policy}'s file and socket rules, to be applied with {@link #restrictSelf}. Made while the
     * process still has the image's identity, so that it can name paths its own identity could not reach (whose
     * files it may use only through descriptors it already holds). Paths that do not exist grant nothing and are
     * skipped. Throws {@link Linux.LinuxError} or {@link IllegalStateException} when the kernel refuses, so that a
     * compartment never runs with less than asked.
     */
    public static int ruleset(SandboxPolicy policy) {
        int abi = abi();
        if (abi < MINIMUM_ABI) {
            throw new IllegalStateException("Landlock ABI " + MINIMUM_ABI + " is needed, this kernel has " + abi);
        }
        Linux.SyscallNumbers nr = Linux.SYSCALL_NUMBERS;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(24, 8);
            attr.set(ValueLayout.JAVA_LONG, 0, handledFs(abi));
            long net = (policy.listen() ? 0 : NET_BIND_TCP) | (policy.connect() ? 0 : NET_CONNECT_TCP);
            attr.set(ValueLayout.JAVA_LONG, 8, net);
            attr.set(ValueLayout.JAVA_LONG, 16, SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL);
            int ruleset = (int) Linux.syscall("landlock_create_ruleset", nr.landlockCreateRuleset(), attr.address(),
                    24, 0, 0, 0);
            try {
                for (String path : policy.readPaths()) {
                    allow(arena, ruleset, Path.of(path), READ);
                }
                for (String path : policy.writePaths()) {
                    allow(arena, ruleset, Path.of(path), writeRights(abi));
                }
                return ruleset;
            } catch (RuntimeException e) {
                Descriptors.close(ruleset);
                throw e;
            }
        }
    }

    /**
     * Restricts the calling thread, and the threads it starts from now on, to {@code ruleset} (closed after). Needs
     * {@code PR_SET_NO_NEW_PRIVS}.
     */
    public static void restrictSelf(int ruleset) {
        try {
            Linux.syscall("landlock_restrict_self", Linux.SYSCALL_NUMBERS.landlockRestrictSelf(), ruleset, 0, 0, 0,
                    0);
        } finally {
            Descriptors.close(ruleset);
        }
    }

    private static void allow(Arena arena, int ruleset, Path path, long rights) {
        if (!Files.exists(path)) {
            return;
        }
        long granted = Files.isDirectory(path) ? rights : rights & FILE_RIGHTS;
        int fd = (int) Linux.call("open(" + path + ", O_PATH)", OPEN, arena.allocateFrom(path.toString()).address(),
                O_PATH | O_CLOEXEC);
        try {
            MemorySegment rule = arena.allocate(12, 4);
            rule.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, granted);
            rule.set(ValueLayout.JAVA_INT, 8, fd);
            Linux.syscall("landlock_add_rule(" + path + ")", Linux.SYSCALL_NUMBERS.landlockAddRule(), ruleset,
                    RULE_PATH_BENEATH, rule.address(), 0, 0);
        } finally {
            Descriptors.close(fd);
        }
    }

    /** The files every JVM writes: the null device. */
    static List<String> jvmWritePaths() {
        return List.of("/dev/null");
    }

    /** The read-only paths every JVM needs, beyond the JDK and the class and module path. */
    static List<String> jvmReadPaths(boolean sockets) {
        List<String> paths = new java.util.ArrayList<>(List.of("/proc/self", "/proc/meminfo", "/proc/stat",
                "/proc/cpuinfo", "/sys/fs/cgroup", "/sys/devices/system/cpu", "/dev/urandom", "/dev/random",
                "/etc/localtime"));
        if (sockets) {
            paths.addAll(List.of("/etc/hosts", "/etc/resolv.conf", "/etc/nsswitch.conf", "/etc/host.conf",
                    "/etc/gai.conf"));
        }
        return paths;
    }
}
