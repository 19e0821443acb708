package flexos.net.impl;

import flexos.net.api.NetException;
import flexos.net.api.Sockets;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * {@link Sockets} over the host's TCP through {@code java.nio}: the image's "platform driver", where Unikraft would
 * run lwip over a virtual NIC. Every socket is a non-blocking {@link ServerSocketChannel} or {@link SocketChannel};
 * one {@link Selector} serves {@link #poll}.
 *
 * <p><b>Ids.</b> A socket id indexes a table that grows as needed; a closed socket's id is reused by the next
 * socket opened, as file descriptors are.
 *
 * <p><b>Threads.</b> Only {@link #wakeup} may be called from any thread. Every other call must come from one thread
 * at a time: the image's event loop. Nothing here is synchronized, which is what keeps it cheap.
 *
 * <p><b>Garbage.</b> {@code recv}, {@code send}, their batched forms, {@code watch} and {@code poll} allocate nothing in the steady
 * state: buffers are cached views of the caller's segments (see {@link SegmentBuffers}) and {@code poll} uses the
 * selector's callback form, which has no selected-key set to clear.
 *
 * <p><b>Errors.</b> An unknown or closed socket id, or a call that does not fit the socket's kind (accepting on
 * a connection), throws {@link NetException}; a range outside the buffer throws
 * {@link IndexOutOfBoundsException}, and receiving into a read-only segment {@link IllegalArgumentException}.
 * A connection error during {@code recv} or {@code send} is reported as {@link #CLOSED}. {@code accept} throws
 * {@link NetException} when the host refuses to create the socket (for example, out of file descriptors).
 */
public final class NioSockets implements Sockets, AutoCloseable {

    /** One open socket. It is its selection key's attachment, so a ready key leads straight to its id. */
    private static final class Socket {
        final int id;
        final SelectableChannel channel;
        final int port;
        /** Registered lazily, by the first {@code watch} with a non-zero interest. */
        SelectionKey key;
        int interest;

        Socket(int id, SelectableChannel channel, int port) {
            this.id = id;
            this.channel = channel;
            this.port = port;
        }

        boolean listening() {
            return channel instanceof ServerSocketChannel;
        }
    }

    private final Selector selector;
    private final SegmentBuffers buffers = new SegmentBuffers();
    private Socket[] sockets = new Socket[16];
    private int[] freeIds = new int[16];
    private int freeCount;
    private int nextId;

    // The output of the poll in progress, for the callback: fields rather than a capturing lambda, so no garbage.
    private int[] readySockets;
    private int[] readyEvents;
    private int readyCount;
    private final Consumer<SelectionKey> collectReady = this::collectReady;
    private static final Consumer<SelectionKey> IGNORE = key -> { };

    public NioSockets() {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new NetException("cannot open a selector: " + e.getMessage(), e);
        }
    }

    @Override
    public int listen(String address, int port, int backlog) {
        InetSocketAddress endpoint = new InetSocketAddress(address, port);
        if (endpoint.isUnresolved()) {
            throw new NetException("cannot listen on " + address + ":" + port + ": unknown host " + address);
        }
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open();
            // Lets a restarted server take its port back while old connections linger in TIME_WAIT.
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(endpoint, backlog);
            channel.configureBlocking(false);
            int boundPort = ((InetSocketAddress) channel.getLocalAddress()).getPort();
            return register(channel, boundPort);
        } catch (BindException e) {
            closeQuietly(channel);
            throw new NetException(address + ":" + port + " is already in use (" + e.getMessage()
                    + "); stop whatever holds it or choose another port", e);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw new NetException("cannot listen on " + address + ":" + port + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int localPort(int socket) {
        return lookup(socket).port;
    }

    @Override
    public int accept(int listener) {
        Socket server = lookup(listener);
        if (!server.listening()) {
            throw new NetException("socket " + listener + " is a connection, not a listener: it cannot accept");
        }
        SocketChannel channel = null;
        try {
            channel = ((ServerSocketChannel) server.channel).accept();
            if (channel == null) {
                return -1;
            }
            channel.configureBlocking(false);
            // Request/response protocols (Redis) send small replies that must not wait for Nagle's algorithm.
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            return register(channel, server.port);
        } catch (IOException e) {
            if (channel != null) {
                // The peer went away before we could set the connection up: as if nothing had been pending.
                closeQuietly(channel);
                return -1;
            }
            throw new NetException("accept on socket " + listener + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public int recv(int socket, MemorySegment buffer, long offset, int length) {
        SocketChannel channel = connection(socket, "recv");
        if (buffer.isReadOnly()) {
            throw new IllegalArgumentException("recv on socket " + socket + " into a read-only segment");
        }
        ByteBuffer range = buffers.range(buffer, offset, length);
        return length == 0 ? 0 : read(channel, range);
    }

    @Override
    public int send(int socket, MemorySegment buffer, long offset, int length) {
        SocketChannel channel = connection(socket, "send");
        ByteBuffer range = buffers.range(buffer, offset, length);
        return length == 0 ? 0 : write(channel, range);
    }

    @Override
    public long recvEach(int[] sockets, int[] lengths, int count, MemorySegment buffer, long offset, long length) {
        checkBatch("recvEach", sockets, lengths, count, buffer, offset, length);
        if (buffer.isReadOnly()) {
            throw new IllegalArgumentException("recvEach into a read-only segment");
        }
        long at = offset;
        long end = offset + length;
        for (int i = 0; i < count; i++) {
            int want = (int) Math.min(lengths[i], end - at);
            if (want == 0) {
                lengths[i] = 0;
                continue;
            }
            int got = read(connection(sockets[i], "recvEach"), buffers.range(buffer, at, want));
            lengths[i] = got;
            if (got > 0) {
                at += got;
            }
        }
        return at - offset;
    }

    @Override
    public long sendEach(int[] sockets, int[] lengths, int count, MemorySegment buffer, long offset, long length) {
        long total = checkBatch("sendEach", sockets, lengths, count, buffer, offset, length);
        if (total > length) {
            throw new NetException("sendEach: the lengths add up to " + total + " bytes, more than the window's "
                    + length);
        }
        long at = offset;
        long sent = 0;
        for (int i = 0; i < count; i++) {
            int asked = lengths[i];
            int took = asked == 0 ? 0 : write(connection(sockets[i], "sendEach"), buffers.range(buffer, at, asked));
            lengths[i] = took;
            at += asked;
            if (took > 0) {
                sent += took;
            }
        }
        return sent;
    }

    @Override
    public int sendEachThenPoll(int[] sockets, int[] lengths, int count, MemorySegment buffer, long offset, long length,
                                int[] readySockets, int[] readyEvents, long timeoutNanos) {
        // What each socket was given, to tell afterwards whether one fell short: sendEach replaces the lengths.
        int[] given = java.util.Arrays.copyOf(lengths, Math.max(0, Math.min(count, lengths.length)));
        sendEach(sockets, lengths, count, buffer, offset, length);
        boolean shortfall = false;
        for (int i = 0; i < given.length; i++) {
            shortfall |= lengths[i] != given[i];
        }
        return poll(readySockets, readyEvents, shortfall ? 0 : timeoutNanos);
    }

    /**
     * Checks a batch before any of it is done, so that a bad batch does nothing: every socket a connection, every
     * length non-negative, the window inside the buffer. Returns the sum of the lengths.
     */
    private long checkBatch(String operation, int[] ids, int[] lengths, int count, MemorySegment buffer, long offset,
                            long length) {
        if (count < 0 || count > ids.length || count > lengths.length) {
            throw new NetException(operation + ": count " + count + " does not fit arrays of " + ids.length + " sockets"
                    + " and " + lengths.length + " lengths");
        }
        if (offset < 0 || length < 0 || offset > buffer.byteSize() - length) {
            throw new IndexOutOfBoundsException(operation + ": window [" + offset + ", " + offset + " + " + length
                    + ") is outside a segment of " + buffer.byteSize() + " bytes");
        }
        long total = 0;
        for (int i = 0; i < count; i++) {
            connection(ids[i], operation);
            if (lengths[i] < 0) {
                throw new NetException(operation + ": negative length " + lengths[i] + " for socket " + ids[i]);
            }
            total += lengths[i];
        }
        return total;
    }

    private static int read(SocketChannel channel, ByteBuffer range) {
        try {
            int count = channel.read(range);
            return count < 0 ? CLOSED : count;
        } catch (IOException e) {
            // connection reset, or the socket was shut down: the caller sees the end of the stream either way
            return CLOSED;
        }
    }

    private static int write(SocketChannel channel, ByteBuffer range) {
        try {
            return channel.write(range);
        } catch (IOException e) {
            return CLOSED;
        }
    }

    @Override
    public void watch(int socket, int interest) {
        Socket entry = lookup(socket);
        if ((interest & ~(READABLE | WRITABLE)) != 0) {
            throw new NetException("watch on socket " + socket + ": unknown interest bits " + interest
                    + "; use READABLE (" + READABLE + "), WRITABLE (" + WRITABLE + ") or 0");
        }
        if (entry.listening() && (interest & WRITABLE) != 0) {
            throw new NetException("socket " + socket + " is a listener: it can be watched for READABLE only");
        }
        if (interest == entry.interest) {
            return;
        }
        int ops = 0;
        if ((interest & READABLE) != 0) {
            ops |= entry.listening() ? SelectionKey.OP_ACCEPT : SelectionKey.OP_READ;
        }
        if ((interest & WRITABLE) != 0) {
            ops |= SelectionKey.OP_WRITE;
        }
        try {
            if (entry.key == null) {
                entry.key = entry.channel.register(selector, ops, entry);
            } else {
                entry.key.interestOps(ops);
            }
        } catch (IOException | RuntimeException e) {
            throw new NetException("cannot watch socket " + socket + ": " + e.getMessage(), e);
        }
        entry.interest = interest;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A timeout of 0 or less polls without waiting, {@link Long#MAX_VALUE} waits without a limit, and any
     * other timeout is rounded up to whole milliseconds (the selector's resolution), so a poll never returns
     * early for want of time. Sockets ready beyond the arrays' length are not lost: readiness is level-triggered,
     * so the next poll reports them again.
     */
    @Override
    public int poll(int[] readySockets, int[] readyEvents, long timeoutNanos) {
        int capacity = Math.min(readySockets.length, readyEvents.length);
        this.readySockets = readySockets;
        this.readyEvents = readyEvents;
        this.readyCount = 0;
        try {
            if (capacity == 0 || timeoutNanos <= 0) {
                selector.selectNow(collectReady);
            } else if (timeoutNanos == Long.MAX_VALUE) {
                selector.select(collectReady);
            } else {
                long millis = timeoutNanos / 1_000_000 + (timeoutNanos % 1_000_000 == 0 ? 0 : 1);
                selector.select(collectReady, millis);
            }
            return readyCount;
        } catch (IOException e) {
            throw new NetException("poll failed: " + e.getMessage(), e);
        } finally {
            this.readySockets = null;
            this.readyEvents = null;
        }
    }

    private void collectReady(SelectionKey key) {
        if (readyCount >= readySockets.length || readyCount >= readyEvents.length) {
            return;
        }
        int ready = key.readyOps();
        int events = 0;
        if ((ready & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
            events |= READABLE;
        }
        if ((ready & SelectionKey.OP_WRITE) != 0) {
            events |= WRITABLE;
        }
        if (events != 0) {
            readySockets[readyCount] = ((Socket) key.attachment()).id;
            readyEvents[readyCount] = events;
            readyCount++;
        }
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public void close(int socket) {
        if (socket < 0 || socket >= nextId || sockets[socket] == null) {
            return;
        }
        Socket entry = sockets[socket];
        sockets[socket] = null;
        if (freeCount == freeIds.length) {
            freeIds = Arrays.copyOf(freeIds, freeCount * 2);
        }
        freeIds[freeCount++] = socket;
        closeQuietly(entry.channel);
        if (entry.key != null && entry.listening() && selector.isOpen()) {
            // A registered listener keeps its file descriptor, and so its port, until the selector deregisters
            // its key at the next select; a server that closes and re-listens would find its port taken.
            // Deregister now. Readiness is level-triggered, so the events this select consumes are reported
            // again by the next poll. (A connection needs no such flush: the JDK shuts it down on close.)
            try {
                selector.selectNow(IGNORE);
            } catch (IOException ignored) {
                // the descriptor is released at the next poll instead
            }
        }
    }

    /** Closes every socket, then the selector. Idempotent. */
    @Override
    public void close() {
        for (int id = 0; id < nextId; id++) {
            Socket entry = sockets[id];
            if (entry != null) {
                sockets[id] = null;
                closeQuietly(entry.channel);
            }
        }
        freeCount = 0;
        nextId = 0;
        buffers.clear();
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    /** How many sockets are open, for tests and statistics. */
    public int openSockets() {
        return nextId - freeCount;
    }

    private int register(SelectableChannel channel, int port) {
        int id;
        if (freeCount > 0) {
            id = freeIds[--freeCount];
        } else {
            id = nextId++;
            if (id == sockets.length) {
                sockets = Arrays.copyOf(sockets, id * 2);
            }
        }
        sockets[id] = new Socket(id, channel, port);
        return id;
    }

    private Socket lookup(int socket) {
        Socket entry = socket >= 0 && socket < nextId ? sockets[socket] : null;
        if (entry == null) {
            throw new NetException("unknown socket " + socket + " (never opened, or already closed)");
        }
        return entry;
    }

    private SocketChannel connection(int socket, String operation) {
        Socket entry = lookup(socket);
        if (entry.listening()) {
            throw new NetException(operation + " on socket " + socket + ", which is a listener, not a connection");
        }
        return (SocketChannel) entry.channel;
    }

    private static void closeQuietly(SelectableChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing is best effort: the descriptor is gone either way
        }
    }
}
