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

    /**
     * Reads from several sockets in one call, as many {@link #recv}s would, into one buffer, packed: what socket
     * {@code sockets[i]} gives follows what {@code sockets[i - 1]} gave, from {@code buffer[offset]}. Each socket is
     * read once, at most {@code lengths[i]} bytes, in order, and never past the window {@code [offset, offset +
     * length)}: a socket reached when the window is full gets nothing. On return {@code lengths[i]} is what socket
     * {@code i} gave, as {@link #recv} says it: the count, 0 if none now (or no room was left), or {@link #CLOSED}.
     * Returns the bytes written into the window, the sum of the positive {@code lengths[0 .. count)}.
     *
     * <p>One call instead of one per ready socket is what lets a server behind a costly gate read a whole poll
     * round at the price of one crossing.
     *
     * @throws NetException if any of the first {@code count} sockets is unknown or a listener, or {@code count}
     *         exceeds an array or is negative, or a length is negative; nothing is read then
     * @throws IndexOutOfBoundsException if the window lies outside {@code buffer}; nothing is read then
     */
    long recvEach(int[] sockets, int[] lengths, int count,
                  @BufferWindow(offset = 4, length = 5, access = Access.WRITE, partial = true) MemorySegment buffer,
                  long offset, long length);

    /**
     * Sends to several sockets in one call, as many {@link #send}s would, from one buffer, packed: the
     * {@code lengths[i]} bytes for {@code sockets[i]} follow those for {@code sockets[i - 1]}, from
     * {@code buffer[offset]}. On return {@code lengths[i]} is what socket {@code i} took, as {@link #send} says it:
     * the count (less than asked, or 0, if the socket is full), or {@link #CLOSED}. Returns the bytes sent in all.
     *
     * @throws NetException if any of the first {@code count} sockets is unknown or a listener, {@code count} exceeds
     *         an array or is negative, a length is negative, or the lengths add up to more than {@code length};
     *         nothing is sent then
     * @throws IndexOutOfBoundsException if the window lies outside {@code buffer}; nothing is sent then
     */
    long sendEach(int[] sockets, int[] lengths, int count,
                  @BufferWindow(offset = 4, length = 5, access = Access.READ) MemorySegment buffer,
                  long offset, long length);

    /**
     * {@link #sendEach}, then {@link #poll}, in one call: what a server does at the end of one round and the start
     * of the next. {@code sockets}, {@code lengths}, {@code count} and the window are {@link #sendEach}'s, and
     * {@code lengths} says on return what each socket took; {@code readySockets}, {@code readyEvents} and
     * {@code timeoutNanos} are {@link #poll}'s, and so is the result. If a socket took less than its bytes, or is
     * {@link #CLOSED}, the poll does not wait: the caller has that to deal with first.
     *
     * <p>Behind a costly gate this is one crossing where the two calls were two, one per round of the server.
     *
     * @throws NetException as {@link #sendEach} does; nothing is sent and nobody polled then
     * @throws IndexOutOfBoundsException as {@link #sendEach} does; nothing is sent and nobody polled then
     */
    int sendEachThenPoll(int[] sockets, int[] lengths, int count,
                         @BufferWindow(offset = 4, length = 5, access = Access.READ) MemorySegment buffer,
                         long offset, long length, int[] readySockets, int[] readyEvents, long timeoutNanos);

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
