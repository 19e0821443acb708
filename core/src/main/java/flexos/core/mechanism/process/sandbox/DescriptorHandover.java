package flexos.core.mechanism.process.sandbox;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * Hands file descriptors to one compartment process over a Unix socket with {@code SCM_RIGHTS}: the only way a
 * compartment process gets its RPC region and the shared heap. Nothing is ever reachable by a path: the memory
 * files have no name, and the socket lives in the abstract namespace under a random name that only the command
 * line of the one process it is meant for carries. The image accepts a connection only from that process
 * ({@code SO_PEERCRED}: its pid), closes any other, and the compartment process accepts descriptors only from the
 * image (the peer's pid is its parent's). A sibling that guesses the name gets nothing; under the sandbox it cannot
 * even connect (Landlock's abstract-socket scope).
 *
 * <p>One handover per process start; closing releases the socket.
 */
public final class DescriptorHandover implements AutoCloseable {

    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_PEERCRED = 17;
    private static final int SCM_RIGHTS = 1;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;
    private static final short POLLIN = 1;
    /** The most descriptors one handover carries. */
    public static final int MAX_DESCRIPTORS = 8;

    private static final MethodHandle SOCKET = Linux.libc("socket", true, 3);
    private static final MethodHandle BIND = Linux.libc("bind", true, 3);
    private static final MethodHandle LISTEN = Linux.libc("listen", true, 2);
    private static final MethodHandle ACCEPT4 = Linux.libc("accept4", true, 4);
    private static final MethodHandle CONNECT = Linux.libc("connect", true, 3);
    private static final MethodHandle GETSOCKOPT = Linux.libc("getsockopt", true, 5);
    private static final MethodHandle SENDMSG = Linux.libc("sendmsg", false, 3);
    private static final MethodHandle RECVMSG = Linux.libc("recvmsg", false, 3);
    private static final MethodHandle POLL = Linux.libc("poll", true, 3);

    private final String name;
    private int listener;

    private DescriptorHandover(String name, int listener) {
        this.name = name;
        this.listener = listener;
    }

    /** A listening socket under a fresh random abstract name. */
    public static DescriptorHandover listen() {
        byte[] random = new byte[16];
        ThreadLocalRandom.current().nextBytes(random);
        String name = "flexos-handover-" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(random);
        int fd = socket();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = address(arena, name);
            Linux.call("bind", BIND, fd, address.address(), address.byteSize());
            Linux.call("listen", LISTEN, fd, 4);
            return new DescriptorHandover(name, fd);
        } catch (RuntimeException e) {
            Descriptors.close(fd);
            throw e;
        }
    }

    /** The name to give the one process that may connect. */
    public String name() {
        return name;
    }

    /**
     * Waits for process {@code pid} to connect and sends it {@code fds}. Connections from any other process are
     * closed unanswered. Throws {@link IllegalStateException} when {@code alive} turns false (the process died) or
     * {@code timeoutNanos} pass first.
     */
    public void send(long pid, int[] fds, long timeoutNanos, BooleanSupplier alive) {
        if (fds.length == 0 || fds.length > MAX_DESCRIPTORS) {
            throw new IllegalArgumentException("a handover carries 1 to " + MAX_DESCRIPTORS + " descriptors");
        }
        long deadline = System.nanoTime() + timeoutNanos;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment poll = Descriptors.struct(arena, 8);
            while (true) {
                if (!alive.getAsBoolean()) {
                    throw new IllegalStateException("the process " + pid + " died before it took its descriptors");
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("the process " + pid + " did not take its descriptors in time");
                }
                poll.set(ValueLayout.JAVA_INT, 0, listener);
                poll.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
                poll.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
                if (Linux.call("poll", POLL, poll.address(), 1, 20) == 0) {
                    continue;
                }
                int connection = (int) Linux.call("accept4", ACCEPT4, listener, 0, 0, SOCK_CLOEXEC);
                try {
                    if (peerPid(connection) != pid) {
                        // Someone else found the name: it gets nothing, and we keep waiting for our process.
                        continue;
                    }
                    MemorySegment message = message(arena, fds.length);
                    MemorySegment data = message.asSlice(128 + 16, 4L * fds.length);
                    for (int i = 0; i < fds.length; i++) {
                        data.setAtIndex(ValueLayout.JAVA_INT, i, fds[i]);
                    }
                    long sent = Linux.call("sendmsg", SENDMSG, connection, message.address(), MSG_NOSIGNAL);
                    if (sent != 1) {
                        throw new IllegalStateException("sendmsg sent " + sent + " bytes instead of 1");
                    }
                    return;
                } finally {
                    Descriptors.close(connection);
                }
            }
        }
    }

    /**
     * In the compartment process: connects to {@code name}, checks the peer is process {@code imagePid}, and
     * returns exactly {@code count} descriptors it sent, or throws {@link IllegalStateException}.
     */
    public static int[] receive(String name, long imagePid, int count) {
        if (count <= 0 || count > MAX_DESCRIPTORS) {
            throw new IllegalArgumentException("a handover carries 1 to " + MAX_DESCRIPTORS + " descriptors");
        }
        int fd = socket();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = address(arena, name);
            Linux.call("connect", CONNECT, fd, address.address(), address.byteSize());
            long peer = peerPid(fd);
            if (peer != imagePid) {
                throw new IllegalStateException("the handover socket " + name + " belongs to process " + peer
                        + ", not to the image " + imagePid);
            }
            MemorySegment message = message(arena, MAX_DESCRIPTORS);
            long received = Linux.call("recvmsg", RECVMSG, fd, message.address(), MSG_CMSG_CLOEXEC);
            long controlLength = message.get(ValueLayout.JAVA_LONG, 40);
            MemorySegment control = message.asSlice(128);
            long cmsgLength = control.get(ValueLayout.JAVA_LONG, 0);
            int level = control.get(ValueLayout.JAVA_INT, 8);
            int type = control.get(ValueLayout.JAVA_INT, 12);
            if (received != 1 || controlLength < 16 || level != SOL_SOCKET || type != SCM_RIGHTS
                    || cmsgLength != 16 + 4L * count) {
                throw new IllegalStateException("the image's handover carried no " + count + " descriptors (got "
                        + received + " bytes, control " + controlLength + "/" + cmsgLength + ")");
            }
            int[] fds = new int[count];
            for (int i = 0; i < count; i++) {
                fds[i] = control.get(ValueLayout.JAVA_INT, 16 + 4L * i);
            }
            return fds;
        } finally {
            Descriptors.close(fd);
        }
    }

    private static int socket() {
        return (int) Linux.call("socket", SOCKET, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    }

    /** A {@code sockaddr_un} in the abstract namespace: a leading NUL, then the name, no terminator. */
    private static MemorySegment address(Arena arena, String name) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length > 100) {
            throw new IllegalArgumentException("abstract socket name too long: " + name);
        }
        MemorySegment address = arena.allocate(2 + 1 + bytes.length, 8);
        address.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
        address.set(ValueLayout.JAVA_BYTE, 2, (byte) 0);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, address, 3, bytes.length);
        return address;
    }

    /** The pid of the process at the other end of the connected socket {@code fd} ({@code SO_PEERCRED}). */
    private static long peerPid(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment credentials = arena.allocate(12, 4);
            MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            length.set(ValueLayout.JAVA_INT, 0, 12);
            Linux.call("getsockopt(SO_PEERCRED)", GETSOCKOPT, fd, SOL_SOCKET, SO_PEERCRED, credentials.address(),
                    length.address());
            return credentials.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /**
     * A {@code msghdr} (bytes 0-55) whose one-byte {@code iovec} (64-79) points at byte 80 and whose control buffer
     * (from byte 128) holds one {@code SCM_RIGHTS} header (16 bytes) for {@code descriptors} ints. LP64 layout.
     */
    private static MemorySegment message(Arena arena, int descriptors) {
        MemorySegment m = arena.allocate(128 + 16 + 4L * MAX_DESCRIPTORS, 8);
        long controlLength = 16 + 4L * descriptors;
        m.set(ValueLayout.JAVA_LONG, 64, m.address() + 80); // iov_base
        m.set(ValueLayout.JAVA_LONG, 72, 1);                 // iov_len
        m.set(ValueLayout.JAVA_BYTE, 80, (byte) 'F');
        m.set(ValueLayout.JAVA_LONG, 16, m.address() + 64); // msg_iov
        m.set(ValueLayout.JAVA_LONG, 24, 1);                 // msg_iovlen
        m.set(ValueLayout.JAVA_LONG, 32, m.address() + 128); // msg_control
        // CMSG_SPACE: the length rounded up to 8; the kernel wants the space, the header the exact length.
        m.set(ValueLayout.JAVA_LONG, 40, (controlLength + 7) & ~7L); // msg_controllen
        m.set(ValueLayout.JAVA_LONG, 128, controlLength);     // cmsg_len
        m.set(ValueLayout.JAVA_INT, 136, SOL_SOCKET);         // cmsg_level
        m.set(ValueLayout.JAVA_INT, 140, SCM_RIGHTS);         // cmsg_type
        return m;
    }

    @Override
    public void close() {
        if (listener >= 0) {
            Descriptors.close(listener);
            listener = -1;
        }
    }
}
