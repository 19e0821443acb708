package flexos.core.mechanism.process.sandbox;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * File descriptors the {@code process} mechanism makes and passes itself: anonymous memory files
 * ({@code memfd_create}) that exist only as descriptors, so no other process can open them by a name, and sealed
 * so that no process holding them can shrink the file under the others' mappings (which would make their next access a
 * {@code SIGBUS}).
 */
public final class Descriptors {

    private static final int MFD_CLOEXEC = 1;
    private static final int MFD_ALLOW_SEALING = 2;
    private static final int F_ADD_SEALS = 1033;
    private static final int F_SEAL_SEAL = 1;
    private static final int F_SEAL_SHRINK = 2;
    private static final int F_SEAL_GROW = 4;

    private static final MethodHandle MEMFD_CREATE = Linux.libc("memfd_create", true, 2);
    private static final MethodHandle CLOSE = Linux.libc("close", true, 1);

    private Descriptors() {
    }

    /**
     * A new anonymous memory file, closed on exec and sealable; {@code name} only labels it in
     * {@code /proc/<pid>/fd} listings. Throws {@link Linux.LinuxError} when the kernel refuses.
     */
    public static int memoryFile(String name) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) Linux.call("memfd_create", MEMFD_CREATE, arena.allocateFrom(name).address(),
                    MFD_CLOEXEC | MFD_ALLOW_SEALING);
        }
    }

    /** Seals a memory file at its current size: no process can shrink or grow it, nor remove the seals. */
    public static void sealSize(int fd) {
        Linux.syscall("fcntl(F_ADD_SEALS)", Linux.SYSCALL_NUMBERS.fcntl(), fd, F_ADD_SEALS,
                F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL, 0, 0);
    }

    /** The path through which this process itself reopens its descriptor {@code fd}. */
    public static String ownPath(int fd) {
        return "/proc/self/fd/" + fd;
    }

    /** Closes {@code fd}; throws {@link Linux.LinuxError} if it was not open. */
    public static void close(int fd) {
        Linux.call("close", CLOSE, fd);
    }

    /** Allocates a native struct in {@code arena}, for the sockets code. */
    static MemorySegment struct(Arena arena, long bytes) {
        return arena.allocate(bytes, 8);
    }
}
