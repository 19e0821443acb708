package flexos.net.impl;

import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import flexos.net.api.NetException;
import flexos.net.api.Sockets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Proxy;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NioSocketsTest {

    private static final String LOOPBACK = "127.0.0.1";
    private static final long MS = 1_000_000L;

    private final NioSockets sockets = new NioSockets();
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment buffer = arena.allocate(64 * 1024);
    private final List<Socket> clients = new ArrayList<>();
    private final int[] ready = new int[64];
    private final int[] events = new int[64];

    @AfterEach
    void closeEverything() throws IOException {
        for (Socket client : clients) {
            client.close();
        }
        sockets.close();
        arena.close();
    }

    private Socket connect(int port) throws IOException {
        Socket client = new Socket(LOOPBACK, port);
        client.setSoTimeout(5_000);
        clients.add(client);
        return client;
    }

    /** Accepts the next connection, polling until it arrives (bounded). */
    private int acceptOne(int listener) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int accepted;
        while ((accepted = sockets.accept(listener)) < 0) {
            assertTrue(System.nanoTime() < deadline, "no connection arrived");
            sockets.watch(listener, Sockets.READABLE);
            sockets.poll(ready, events, 100 * MS);
        }
        return accepted;
    }

    /** Receives until {@code count} bytes arrived (bounded), returning them. */
    private byte[] receive(int socket, int count) {
        sockets.watch(socket, Sockets.READABLE);
        int got = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (got < count) {
            assertTrue(System.nanoTime() < deadline, "only " + got + " of " + count + " bytes arrived");
            int n = sockets.recv(socket, buffer, got, count - got);
            assertTrue(n >= 0, "connection closed after " + got + " bytes");
            got += n;
            if (n == 0) {
                sockets.poll(ready, events, 100 * MS);
            }
        }
        return buffer.asSlice(0, count).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    @Test
    void listensOnAFreePortAndReportsIt() throws IOException {
        int listener = sockets.listen(LOOPBACK, 0, 16);
        int port = sockets.localPort(listener);
        assertTrue(port > 0);
        connect(port);
        int connection = acceptOne(listener);
        assertEquals(port, sockets.localPort(connection));
    }

    /** Waits (bounded) until every one of {@code connections} is readable. */
    private void awaitReadable(int... connections) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Set<Integer> waiting = new java.util.HashSet<>();
        for (int c : connections) {
            sockets.watch(c, Sockets.READABLE);
            waiting.add(c);
        }
        while (!waiting.isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "sockets " + waiting + " never became readable");
            int n = sockets.poll(ready, events, 100 * MS);
            for (int i = 0; i < n; i++) {
                waiting.remove(ready[i]);
            }
        }
    }

    /** A client connected to {@code listener}, and the id of the connection accepted for it. */
    private record Connection(Socket client, int id) {
    }

    private Connection open(int listener) throws IOException {
        Socket client = connect(sockets.localPort(listener));
        return new Connection(client, acceptOne(listener));
    }

    @Test
    void recvEachPacksWhatEachSocketGaveAndReportsEachOutcome() throws IOException {
        int listener = sockets.listen(LOOPBACK, 0, 16);
        Connection first = open(listener);
        int a = first.id();
        Connection second = open(listener);
        int b = second.id();
        Connection third = open(listener);
        int c = third.id();
        first.client().getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
        second.client().getOutputStream().write("abcdefgh".getBytes(StandardCharsets.US_ASCII));
        third.client().close();
        awaitReadable(a, b, c);
        int d = open(listener).id(); // connected, nothing sent: "none now"

        int[] ids = {a, b, c, d, 999};
        int[] lengths = {16, 3, 16, 16, -5};
        long total = sockets.recvEach(ids, lengths, 4, buffer, 10, 1000);

        assertEquals(8, total, "5 bytes of the first, 3 of the second (its limit)");
        assertArrayEquals(new int[] {5, 3, Sockets.CLOSED, 0, -5}, lengths, "entries past count are untouched");
        assertEquals("helloabc", new String(buffer.asSlice(10, 8).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                StandardCharsets.US_ASCII));
        int[] rest = {16};
        assertEquals(5, sockets.recvEach(new int[] {b}, rest, 1, buffer, 0, 64));
        assertEquals(5, rest[0], "what the length limit left behind is read next time");
    }

    @Test
    void recvEachStopsAtTheEndOfTheWindow() throws IOException {
        int listener = sockets.listen(LOOPBACK, 0, 16);
        Connection first = open(listener);
        int a = first.id();
        Connection second = open(listener);
        int b = second.id();
        first.client().getOutputStream().write("0123456789".getBytes(StandardCharsets.US_ASCII));
        second.client().getOutputStream().write("xyz".getBytes(StandardCharsets.US_ASCII));
        awaitReadable(a, b);

        int[] lengths = {16, 16};
        assertEquals(6, sockets.recvEach(new int[] {a, b}, lengths, 2, buffer, 0, 6));
        assertArrayEquals(new int[] {6, 0}, lengths, "the second socket found no room: nothing read from it");
        int[] again = {16};
        assertEquals(3, sockets.recvEach(new int[] {b}, again, 1, buffer, 0, 16));
        assertEquals("xyz", new String(buffer.asSlice(0, 3).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                StandardCharsets.US_ASCII));
    }

    @Test
    void sendEachSendsEachSocketsPartOfThePackedBuffer() throws IOException {
        int listener = sockets.listen(LOOPBACK, 0, 16);
        Connection first = open(listener);
        int a = first.id();
        Connection second = open(listener);
        int b = second.id();
        buffer.asSlice(4, 12).copyFrom(MemorySegment.ofArray("+OK\r\n:42\r\n+".getBytes(StandardCharsets.US_ASCII)));

        int[] lengths = {5, 0, 6};
        long sent = sockets.sendEach(new int[] {a, a, b}, lengths, 3, buffer, 4, 12);

        assertEquals(11, sent);
        assertArrayEquals(new int[] {5, 0, 6}, lengths);
        assertEquals("+OK\r\n", new String(first.client().getInputStream().readNBytes(5), StandardCharsets.US_ASCII));
        assertEquals(":42\r\n+", new String(second.client().getInputStream().readNBytes(6), StandardCharsets.US_ASCII));
    }

    @Test
    void sendEachThenPollSendsThenReportsWhatIsReady() throws IOException {
        int listener = sockets.listen(LOOPBACK, 0, 16);
        Connection first = open(listener);
        int a = first.id();
        Connection second = open(listener);
        int b = second.id();
        sockets.watch(b, Sockets.READABLE);
        second.client().getOutputStream().write('x');
        buffer.asSlice(0, 5).copyFrom(MemorySegment.ofArray("+OK\r\n".getBytes(StandardCharsets.US_ASCII)));

        int[] lengths = {5};
        int n = sockets.sendEachThenPoll(new int[] {a}, lengths, 1, buffer, 0, 5, ready, events, 5_000 * MS);

        assertEquals(5, lengths[0], "what the socket took");
        assertEquals("+OK\r\n", new String(first.client().getInputStream().readNBytes(5), StandardCharsets.US_ASCII));
        assertEquals(1, n);
        assertEquals(b, ready[0]);
        assertEquals(Sockets.READABLE, events[0]);
    }

    @Test
    void sendEachThenPollDoesNotWaitWhenASocketTookLessThanItsBytes() throws IOException {
        int listener = sockets.listen(LOOPBACK, 0, 16);
        Connection reader = open(listener);
        int a = reader.id();
        // 60 MiB to a client that reads nothing: more than any loopback socket buffers, so the socket takes less.
        MemorySegment big = arena.allocate(60 << 20);
        int[] lengths = {(int) big.byteSize()};
        long began = System.nanoTime();
        int n = sockets.sendEachThenPoll(new int[] {a}, lengths, 1, big, 0, big.byteSize(), ready, events,
                20_000 * MS);
        long tookMillis = (System.nanoTime() - began) / MS;

        assertTrue(lengths[0] >= 0 && lengths[0] < big.byteSize(), "the socket took " + lengths[0]);
        assertEquals(0, n, "nothing is watched, nothing ready");
        assertTrue(tookMillis < 10_000, "the poll waited " + tookMillis + " ms for nothing");
    }

    @Test
    void aBadBatchDoesNothingAndSaysWhy() throws IOException {
        int listener = sockets.listen(LOOPBACK, 0, 16);
        Connection client = open(listener);
        int a = client.id();
        buffer.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 'x');

        NetException unknown = assertThrows(NetException.class,
                () -> sockets.sendEach(new int[] {a, 77}, new int[] {1, 1}, 2, buffer, 0, 2));
        assertTrue(unknown.getMessage().contains("unknown socket 77"), unknown.getMessage());
        NetException listenerToo = assertThrows(NetException.class,
                () -> sockets.recvEach(new int[] {listener}, new int[] {1}, 1, buffer, 0, 2));
        assertTrue(listenerToo.getMessage().contains("listener"), listenerToo.getMessage());
        NetException tooMuch = assertThrows(NetException.class,
                () -> sockets.sendEach(new int[] {a, a}, new int[] {2, 2}, 2, buffer, 0, 3));
        assertTrue(tooMuch.getMessage().contains("add up to 4"), tooMuch.getMessage());
        assertThrows(NetException.class, () -> sockets.sendEach(new int[] {a}, new int[] {-1}, 1, buffer, 0, 3));
        assertThrows(NetException.class, () -> sockets.recvEach(new int[] {a}, new int[] {1}, 2, buffer, 0, 3));
        assertThrows(IndexOutOfBoundsException.class,
                () -> sockets.recvEach(new int[] {a}, new int[] {1}, 1, buffer, buffer.byteSize() - 1, 2));
        assertThrows(IllegalArgumentException.class,
                () -> sockets.recvEach(new int[] {a}, new int[] {1}, 1, buffer.asReadOnly(), 0, 2));

        // Nothing of the refused sends went out: the first byte the client sees is the one sent now.
        buffer.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 'y');
        assertEquals(1, sockets.send(a, buffer, 0, 1));
        assertEquals('y', client.client().getInputStream().read());
    }

    @Test
    void acceptReturnsMinusOneWhenNoConnectionIsPending() {
        int listener = sockets.listen(LOOPBACK, 0, 16);
        assertEquals(-1, sockets.accept(listener));
    }

    @Test
    void echoesBytesBothWays() throws IOException {
        int listener = sockets.listen(LOOPBACK, 0, 16);
        Socket client = connect(sockets.localPort(listener));
        int connection = acceptOne(listener);

        byte[] request = "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);
        client.getOutputStream().write(request);
        byte[] received = receive(connection, request.length);
        assertArrayEquals(request, received);

        // send a part of the buffer that does not start at 0
        buffer.asSlice(100, 7).copyFrom(MemorySegment.ofArray("+PONG\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(7, sockets.send(connection, buffer, 100, 7));
        assertArrayEquals("+PONG\r\n".getBytes(StandardCharsets.US_ASCII), client.getInputStream().readNBytes(7));
    }

    @Test
    void recvReturnsZeroWhenNothingIsAvailableAndClosedAfterThePeerCloses() throws IOException {
        int listener = sockets.listen(LOOPBACK, 0, 16);
        Socket client = connect(sockets.localPort(listener));
        int connection = acceptOne(listener);

        assertEquals(0, sockets.recv(connection, buffer, 0, 16));

        client.getOutputStream().write(new byte[] {1, 2, 3});
        client.close();
        assertArrayEquals(new byte[] {1, 2, 3}, receive(connection, 3));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int result;
        while ((result = sockets.recv(connection, buffer, 0, 16)) == 0 && System.nanoTime() < deadline) {
            sockets.poll(ready, events, 100 * MS);
        }
        assertEquals(Sockets.CLOSED, result);
    }

    @Test
    void sendReportsClosedOnceThePeerHasResetTheConnection() throws IOException {
        int listener = sockets.listen(LOOPBACK, 0, 16);
        Socket client = connect(sockets.localPort(listener));
        int connection = acceptOne(listener);
        client.setSoLinger(true, 0); // close with RST
        client.close();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int result = 0;
        while (result >= 0 && System.nanoTime() < deadline) {
            result = sockets.send(connection, buffer, 0, 1024);
        }
        assertEquals(Sockets.CLOSED, result);
    }

    @Test
    void pollReportsAReadableConnectionAndAPendingAccept() throws IOException {
        int listener = sockets.listen(LOOPBACK, 0, 16);
        sockets.watch(listener, Sockets.READABLE);
        Socket client = connect(sockets.localPort(listener));

        int count = sockets.poll(ready, events, TimeUnit.SECONDS.toNanos(5));
        assertEquals(1, count);
        assertEquals(listener, ready[0]);
        assertEquals(Sockets.READABLE, events[0]);

        int connection = sockets.accept(listener);
        assertTrue(connection >= 0);
        sockets.watch(listener, 0);
        sockets.watch(connection, Sockets.READABLE);
        client.getOutputStream().write('x');

        count = sockets.poll(ready, events, TimeUnit.SECONDS.toNanos(5));
        assertEquals(1, count);
        assertEquals(connection, ready[0]);
        assertEquals(Sockets.READABLE, events[0]);
    }

    @Test
    void pollReportsWritableOnlyWhenAskedTo() throws IOException {
        int listener = sockets.listen(LOOPBACK, 0, 16);
        connect(sockets.localPort(listener));
        int connection = acceptOne(listener);
        sockets.watch(listener, 0);

        sockets.watch(connection, Sockets.READABLE | Sockets.WRITABLE);
        assertEquals(1, sockets.poll(ready, events, TimeUnit.SECONDS.toNanos(5)));
        assertEquals(connection, ready[0]);
        assertEquals(Sockets.WRITABLE, events[0]);

        sockets.watch(connection, Sockets.READABLE);
        assertEquals(0, sockets.poll(ready, events, 0));
    }

    @Test
    void pollTimesOutWhenIdleAfterAtLeastTheTimeout() {
        int listener = sockets.listen(LOOPBACK, 0, 16);
        sockets.watch(listener, Sockets.READABLE);

        long start = System.nanoTime();
        assertEquals(0, sockets.poll(ready, events, 50 * MS));
        long waited = System.nanoTime() - start;
        assertTrue(waited >= 50 * MS && waited < 2_000 * MS, "waited " + waited / MS + " ms");

        // a sub-millisecond timeout is rounded up, not down to a busy poll
        start = System.nanoTime();
        assertEquals(0, sockets.poll(ready, events, 1));
        assertTrue(System.nanoTime() - start >= MS / 2);

        assertEquals(0, sockets.poll(ready, events, 0));
    }

    @Test
    void wakeupFromAnotherThreadEndsABlockingPollPromptly() throws Exception {
        int listener = sockets.listen(LOOPBACK, 0, 16);
        sockets.watch(listener, Sockets.READABLE);
        CountDownLatch polling = new CountDownLatch(1);
        long[] returnedAt = new long[1];
        int[] result = {-1};
        Thread poller = Thread.ofPlatform().start(() -> {
            polling.countDown();
            result[0] = sockets.poll(ready, events, Long.MAX_VALUE);
            returnedAt[0] = System.nanoTime();
        });
        try {
            assertTrue(polling.await(5, TimeUnit.SECONDS));
            Thread.sleep(50);
            assertTrue(poller.isAlive(), "poll returned without an event");
            long woken = System.nanoTime();
            sockets.wakeup();
            poller.join(2_000);
            assertFalse(poller.isAlive(), "wakeup() did not end the poll");
            assertEquals(0, result[0]);
            assertTrue(returnedAt[0] - woken < TimeUnit.SECONDS.toNanos(1));
        } finally {
            sockets.wakeup();
            poller.join(2_000);
        }
    }

    @Test
    void listeningTwiceOnOnePortFailsWithAClearMessage() {
        int listener = sockets.listen(LOOPBACK, 0, 16);
        int port = sockets.localPort(listener);

        NetException failure = assertThrows(NetException.class, () -> sockets.listen(LOOPBACK, port, 16));
        assertTrue(failure.getMessage().startsWith(LOOPBACK + ":" + port + " is already in use"), failure.getMessage());
        assertEquals(1, sockets.openSockets(), "the failed listener leaked");
    }

    @Test
    void listeningOnAnUnknownHostFails() {
        NetException failure = assertThrows(NetException.class, () -> sockets.listen("no-such-host.invalid", 0, 16));
        assertTrue(failure.getMessage().contains("no-such-host.invalid"), failure.getMessage());
    }

    @Test
    void closedIdsAreReusedAndClosingAnUnknownIdDoesNothing() throws IOException {
        int first = sockets.listen(LOOPBACK, 0, 16);
        int second = sockets.listen(LOOPBACK, 0, 16);
        assertNotEquals(first, second);

        sockets.close(first);
        sockets.close(first);
        sockets.close(9_999);
        sockets.close(-3);
        assertThrows(NetException.class, () -> sockets.localPort(first));

        int third = sockets.listen(LOOPBACK, 0, 16);
        assertEquals(first, third, "the freed id is reused");
        assertEquals(2, sockets.openSockets());
    }

    @Test
    void closingAConnectionLetsThePeerSeeEndOfStreamWithoutAnotherPoll() throws IOException {
        int listener = sockets.listen(LOOPBACK, 0, 16);
        Socket client = connect(sockets.localPort(listener));
        int connection = acceptOne(listener);
        sockets.watch(connection, Sockets.READABLE);

        sockets.close(connection);

        InputStream in = client.getInputStream();
        assertEquals(-1, in.read(), "the peer should see the close");
    }

    @Test
    void aClosedWatchedListenerFreesItsPortAtOnce() {
        int listener = sockets.listen(LOOPBACK, 0, 16);
        int port = sockets.localPort(listener);
        sockets.watch(listener, Sockets.READABLE);

        sockets.close(listener);

        int again = sockets.listen(LOOPBACK, port, 16);
        assertEquals(port, sockets.localPort(again));
    }

    @Test
    void misuseThrowsNetException() {
        int listener = sockets.listen(LOOPBACK, 0, 16);
        assertThrows(NetException.class, () -> sockets.recv(listener, buffer, 0, 1));
        assertThrows(NetException.class, () -> sockets.send(listener, buffer, 0, 1));
        assertThrows(NetException.class, () -> sockets.watch(listener, Sockets.WRITABLE));
        assertThrows(NetException.class, () -> sockets.watch(listener, 2));
        assertThrows(NetException.class, () -> sockets.accept(42));
        assertThrows(NetException.class, () -> sockets.recv(-1, buffer, 0, 1));
    }

    @Test
    void rangesOutsideTheBufferAreRejected() throws IOException {
        int listener = sockets.listen(LOOPBACK, 0, 16);
        connect(sockets.localPort(listener));
        int connection = acceptOne(listener);
        MemorySegment small = arena.allocate(8);
        assertThrows(IndexOutOfBoundsException.class, () -> sockets.recv(connection, small, 4, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> sockets.send(connection, small, -1, 2));
        assertThrows(IllegalArgumentException.class, () -> sockets.recv(connection, small.asReadOnly(), 0, 8));
        assertEquals(0, sockets.recv(connection, small, 8, 0));
    }

    @Test
    void aBufferOfAClosedArenaIsRefusedNotRead() throws IOException {
        int listener = sockets.listen(LOOPBACK, 0, 16);
        Socket client = connect(sockets.localPort(listener));
        int connection = acceptOne(listener);
        Arena shortLived = Arena.ofConfined();
        MemorySegment segment = shortLived.allocate(16);
        assertEquals(0, sockets.recv(connection, segment, 0, 16)); // caches a view of it
        shortLived.close();
        client.getOutputStream().write(new byte[16]);

        assertThrows(IllegalStateException.class, () -> sockets.recv(connection, segment, 0, 16));
    }

    @Test
    void aPollLoopServesFiftyConcurrentClients() throws Exception {
        int clientsCount = 50;
        int listener = sockets.listen(LOOPBACK, 0, 128);
        int port = sockets.localPort(listener);
        sockets.watch(listener, Sockets.READABLE);
        AtomicBoolean serving = new AtomicBoolean(true);
        Throwable[] serverFailure = new Throwable[1];

        // An echo server in the style of the image's event loop: one thread, poll, then handle what is ready.
        Thread server = Thread.ofPlatform().name("echo-loop").start(() -> {
            try (Arena loopArena = Arena.ofConfined()) {
                MemorySegment io = loopArena.allocate(4096);
                int[] readySockets = new int[16];
                int[] readyEvents = new int[16];
                while (serving.get()) {
                    int n = sockets.poll(readySockets, readyEvents, 100 * MS);
                    for (int i = 0; i < n; i++) {
                        int socket = readySockets[i];
                        if (socket == listener) {
                            int accepted;
                            while ((accepted = sockets.accept(listener)) >= 0) {
                                sockets.watch(accepted, Sockets.READABLE);
                            }
                            continue;
                        }
                        int got = sockets.recv(socket, io, 0, (int) io.byteSize());
                        if (got == Sockets.CLOSED) {
                            sockets.close(socket);
                        } else if (got > 0) {
                            int sent = 0;
                            while (sent < got) { // loopback replies are small; the socket never stays full long
                                int written = sockets.send(socket, io, sent, got - sent);
                                if (written == Sockets.CLOSED) {
                                    sockets.close(socket);
                                    break;
                                }
                                sent += written;
                            }
                        }
                    }
                }
            } catch (Throwable failure) {
                serverFailure[0] = failure;
            }
        });

        try {
            List<Thread> clientThreads = new ArrayList<>();
            List<Throwable> clientFailures = java.util.Collections.synchronizedList(new ArrayList<>());
            CountDownLatch connected = new CountDownLatch(clientsCount);
            for (int c = 0; c < clientsCount; c++) {
                Socket client = connect(port);
                int index = c;
                clientThreads.add(Thread.ofPlatform().start(() -> {
                    try {
                        connected.countDown();
                        connected.await(5, TimeUnit.SECONDS);
                        OutputStream out = client.getOutputStream();
                        InputStream in = client.getInputStream();
                        for (int round = 0; round < 20; round++) {
                            byte[] message = ("client " + index + " round " + round + "\n").getBytes(StandardCharsets.US_ASCII);
                            out.write(message);
                            assertArrayEquals(message, in.readNBytes(message.length));
                        }
                        client.close();
                    } catch (Throwable failure) {
                        clientFailures.add(failure);
                    }
                }));
            }
            for (Thread client : clientThreads) {
                client.join(20_000);
                assertFalse(client.isAlive(), "a client hung");
            }
            assertEquals(List.of(), clientFailures);
        } finally {
            serving.set(false);
            sockets.wakeup();
            server.join(5_000);
        }
        assertFalse(server.isAlive());
        assertEquals(null, serverFailure[0], () -> "the server loop failed: " + serverFailure[0]);
    }

    @Test
    void aTinyPollArrayDoesNotLoseReadySockets() throws IOException {
        int listener = sockets.listen(LOOPBACK, 0, 16);
        int port = sockets.localPort(listener);
        int[] connections = new int[3];
        for (int i = 0; i < 3; i++) {
            connect(port).getOutputStream().write(i);
            connections[i] = acceptOne(listener);
            sockets.watch(connections[i], Sockets.READABLE);
        }
        sockets.watch(listener, 0);

        int[] one = new int[1];
        int[] oneEvent = new int[1];
        boolean[] seen = new boolean[3];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!(seen[0] && seen[1] && seen[2]) && System.nanoTime() < deadline) {
            assertEquals(1, sockets.poll(one, oneEvent, TimeUnit.SECONDS.toNanos(1)));
            int socket = one[0];
            int index = Arrays.binarySearch(connections, socket);
            seen[index] = true;
            assertEquals(1, sockets.recv(socket, buffer, 0, 16));
            sockets.watch(socket, 0);
        }
        assertArrayEquals(new boolean[] {true, true, true}, seen);
    }

    @Test
    void recvSendAndPollAllocateNothingInTheSteadyState() throws IOException {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        int listener = sockets.listen(LOOPBACK, 0, 16);
        Socket client = connect(sockets.localPort(listener));
        int connection = acceptOne(listener);
        sockets.watch(listener, 0);
        sockets.watch(connection, Sockets.READABLE | Sockets.WRITABLE);
        InputStream in = client.getInputStream();
        byte[] sink = new byte[64];

        long before = 0;
        int rounds = 20_000;
        for (int round = 0; round < rounds; round++) {
            if (round == rounds / 2) { // after warm-up, so that class loading and JIT do not count
                before = threads.getCurrentThreadAllocatedBytes();
            }
            assertEquals(1, sockets.poll(ready, events, 0));
            assertEquals(0, sockets.recv(connection, buffer, round % 100, 16));
            assertEquals(16, sockets.send(connection, buffer, round % 100, 16));
            sockets.watch(connection, Sockets.WRITABLE);
            sockets.watch(connection, Sockets.READABLE | Sockets.WRITABLE);
            if (round % 4 == 3) {
                in.readNBytes(sink, 0, 64); // keep the socket buffers from filling up
            }
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        // the client reads share this thread's count: allow them a little, far below one object per call
        assertTrue(allocated < 64 * 1024, allocated + " bytes allocated over " + rounds / 2 + " rounds");
    }

    @Test
    void theLibraryInstanceClosesItsSocketsWhenClosed() throws IOException {
        NetLibrary library = new NetLibrary();
        assertEquals("net", library.name());
        assertEquals(Set.of(Sockets.class), library.exports());
        assertEquals(Set.of(), library.imports());

        LibraryContext noContext = (LibraryContext) Proxy.newProxyInstance(
                LibraryContext.class.getClassLoader(), new Class<?>[] {LibraryContext.class},
                (proxy, method, args) -> { throw new UnsupportedOperationException(method.getName()); });
        LibraryInstance instance = library.instantiate(noContext);
        Sockets net = instance.export(Sockets.class);
        int listener = net.listen(LOOPBACK, 0, 16);
        int port = net.localPort(listener);
        Socket client = connect(port);
        int connection;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((connection = net.accept(listener)) < 0) {
            assertTrue(System.nanoTime() < deadline);
            Thread.onSpinWait();
        }
        assertTrue(connection >= 0);

        instance.close();

        assertEquals(-1, client.getInputStream().read(), "the connection was not closed");
        assertThrows(IOException.class, () -> connect(port), "the listener was not closed");
    }
}
