package flexos.redis;

import flexos.net.api.Sockets;

import java.lang.foreign.MemorySegment;

/**
 * The reads, or the writes, of one poll round, gathered so that net does all of them in one call
 * ({@link Sockets#recvEach}, {@link Sockets#sendEach}) instead of one call per client. Under {@code fcall} the
 * difference is a loop; behind a {@code process} gate every call to net is a round trip to another process, and a
 * round of 30 pipelining clients took 61 of them (a poll, then a recv and a send per client). The bytes cross packed
 * in one staging block: received bytes are copied from it into each client's query buffer, replies into it before
 * the send.
 *
 * <p>An entry is a client and a length: for reads the most that client may receive, replaced by what it received;
 * for writes the bytes of its reply packed at {@link #used} when it was added, replaced by what its socket took.
 * Not thread-safe: the event loop's thread uses it.
 */
final class SocketBatch {

    private final MemorySegment staging;
    private final Client[] clients;
    private final int[] sockets;
    private final int[] lengths;
    private int count;
    private long used;

    /** A batch of at most {@code capacity} clients whose bytes share {@code staging}. */
    SocketBatch(MemorySegment staging, int capacity) {
        this.staging = staging;
        this.clients = new Client[capacity];
        this.sockets = new int[capacity];
        this.lengths = new int[capacity];
    }

    /** The staging block: a write entry's bytes go at {@link #used} before {@link #add}. */
    MemorySegment staging() {
        return staging;
    }

    /** Whether one more entry of {@code bytes} fits, in the arrays and in the staging block. */
    boolean fits(long bytes) {
        return count < clients.length && bytes <= staging.byteSize() - used;
    }

    /** The staging bytes the entries so far take (for reads: the most they may receive). */
    long used() {
        return used;
    }

    /** How many more bytes of staging are free. */
    long free() {
        return staging.byteSize() - used;
    }

    /** Adds {@code c} with {@code length} bytes; the caller checked {@link #fits}. */
    void add(Client c, int length) {
        clients[count] = c;
        sockets[count] = c.socket;
        lengths[count] = length;
        count++;
        used += length;
    }

    int size() {
        return count;
    }

    Client client(int i) {
        return clients[i];
    }

    /** Entry {@code i}'s length: before the call what was asked, after it what was done (or {@link Sockets#CLOSED}). */
    int length(int i) {
        return lengths[i];
    }

    /**
     * Reads every entry's socket in one call; afterwards entry {@code i}'s bytes lie packed in the staging block, after
     * those of the entries before it that received something.
     */
    void receive(Sockets net) {
        if (count > 0) {
            net.recvEach(sockets, lengths, count, staging, 0, used);
        }
    }

    /** Sends every entry's bytes in one call. */
    void send(Sockets net) {
        if (count > 0) {
            net.sendEach(sockets, lengths, count, staging, 0, used);
        }
    }

    /**
     * Sends every entry's bytes, then polls, in one call ({@link Sockets#sendEachThenPoll}); returns how many
     * sockets are ready. An empty batch only polls.
     */
    int sendThenPoll(Sockets net, int[] readySockets, int[] readyEvents, long timeoutNanos) {
        if (count == 0) {
            return net.poll(readySockets, readyEvents, timeoutNanos);
        }
        return net.sendEachThenPoll(sockets, lengths, count, staging, 0, used, readySockets, readyEvents, timeoutNanos);
    }

    /** Empties the batch, dropping its references to clients. */
    void clear() {
        java.util.Arrays.fill(clients, 0, count, null);
        count = 0;
        used = 0;
    }
}
