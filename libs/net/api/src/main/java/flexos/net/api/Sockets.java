package flexos.net.api;

import flexos.core.mechanism.BufferWindow;
import flexos.core.mechanism.BufferWindow.Access;
import java.lang.foreign.MemorySegment;

/**
 * A non-blocking TCP socket API with readiness polling, in the manner of BSD sockets and {@code epoll}. Sockets
 * are small non-negative integers. Calls never block except {@link #poll}.
 *
 * <p>The I/O calls report the ordinary outcomes of non-blocking sockets as values, not exceptions: "nothing
 * now" is 0 and "closed" is {@link #CLOSED}. Only misuse (an unknown socket) and failures to set up a listener
 * throw {@link NetException}.
 */
public interface Sockets {

    /** Returned by {@link #recv} at end of stream or after a connection error, and by {@link #send} after an error. */
    int CLOSED = -1;

    /** Interest and readiness bit: the socket has data to read, or a connection to accept. */
    int READABLE = 1;

    /** Interest and readiness bit: the socket can take more bytes to send. */
    int WRITABLE = 4;

    /** Listens on {@code address:port} ({@code port} 0 picks a free one) and returns the listening socket. */
    int listen(String address, int port, int backlog) throws NetException;

    /** The local port a socket is bound to. */
    int localPort(int socket);

    /** Accepts a pending connection, or returns -1 when none is pending. The new socket is non-blocking. */
    int accept(int listener);

    /** Reads at most {@code length} bytes into {@code buffer[offset...]}: the count, 0 if none now, or {@link #CLOSED}. */
    int recv(int socket, @BufferWindow(offset = 2, length = 3, access = Access.WRITE, partial = true) MemorySegment buffer,
             long offset, int length);

    /** Sends at most {@code length} bytes from {@code buffer[offset...]}: the count (0 if the socket is full), or {@link #CLOSED}. */
    int send(int socket, @BufferWindow(offset = 2, length = 3, access = Access.READ, partial = true) MemorySegment buffer,
             long offset, int length);

    /** Sets which readiness events of {@code socket} {@link #poll} reports ({@link #READABLE}, {@link #WRITABLE}, or 0). */
    void watch(int socket, int interest);

    /**
     * Waits until a watched socket is ready, {@code timeoutNanos} pass, or {@link #wakeup} is called. Fills
     * {@code sockets[i]} and {@code events[i]} for the ready ones and returns how many, at most the arrays' length.
     */
    int poll(int[] sockets, int[] events, long timeoutNanos);

    /** Makes a current or the next {@link #poll} return at once. Safe from any thread. */
    void wakeup();

    /** Closes a socket. Closing a closed or unknown socket does nothing. */
    void close(int socket);
}
