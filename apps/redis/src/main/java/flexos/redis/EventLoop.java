package flexos.redis;

import flexos.alloc.api.HeapStats;
import flexos.libc.api.NumberRoutines;
import flexos.libc.api.PatternRoutines;
import flexos.lua.api.ScriptEngine;
import flexos.net.api.Sockets;
import flexos.sched.api.Scheduler;
import flexos.vfs.api.FileSystem;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * The single-threaded heart of the server, as Redis's {@code ae} loop: one scheduler task whose step polls the
 * sockets, accepts connections, reads and executes every complete request of each readable client, and writes the
 * replies of the batch at once; plus the active expiry timer. Replies that a socket does not take are kept and sent
 * when it becomes writable, so a pipelining client never loses one.
 *
 * <p>A malformed request gets Redis's protocol error and closes that connection only.
 */
final class EventLoop {

    /** Longest a step blocks in poll, so stop requests and timers are never delayed longer. */
    static final long MAX_POLL_NANOS = 100_000_000L;
    static final long EXPIRY_PERIOD_NANOS = 100_000_000L;
    static final long CRON_PERIOD_NANOS = 100_000_000L;
    /** Pending reply bytes after which the loop tries to send before the batch ends. */
    private static final int FLUSH_THRESHOLD = 64 * 1024;
    /** Buffers larger than this are shrunk back when idle. */
    private static final long IDLE_BUFFER_LIMIT = 1024 * 1024;
    private static final int MAX_ACCEPTS_PER_STEP = 1000;
    /**
     * The staging block of a round's reads, and of its writes: 256 KiB each, what a process gate carries in one
     * message for a partial window (a quarter of its 1 MiB slot), so the batched read crosses in one piece.
     */
    static final int BATCH_BYTES = 256 * 1024;
    /** The least a ready client may read in a batched round, however many are ready (more go one by one). */
    private static final int MIN_READ_SHARE = 1024;
    /** A larger pending reply is sent from the client's own buffer rather than copied into the batch. */
    private static final int MAX_BATCHED_REPLY = 16 * 1024;
    private static final int BACKLOG = 511;

    private final ServerOptions options;
    private final Blocks blocks;
    private final NumberRoutines numbers;
    private final Scheduler scheduler;
    private final Sockets sockets;
    private final BooleanSupplier stopRequested;
    private final SharedReplies shared;
    private final Keyspace keyspace;
    private final ServerContext ctx;
    private final Dispatcher dispatcher;
    private final ServerStats stats;
    private final ActiveExpiry expiry;
    private final ServerCommands serverCommands;
    private final ScriptingCommands scriptingCommands;
    private Persistence persistence;
    private long persistenceTimerId = -1;
    private final java.util.ArrayList<Client> pendingWrites = new java.util.ArrayList<>();
    private final java.util.ArrayList<Client> toClose = new java.util.ArrayList<>();

    private final int[] readySockets = new int[512];
    private final int[] readyEvents = new int[512];
    /** The clients of the poll round being served, with their events, in the order poll gave them. */
    private final Client[] roundClients = new Client[512];
    private final int[] roundEvents = new int[512];
    private final SocketBatch reads;
    private final SocketBatch writes;
    /** serveWhileBusy's own poll results: it runs inside {@link #step}, which is still walking the arrays above. */
    private final int[] busySockets = new int[512];
    private final int[] busyEvents = new int[512];
    private Client[] clients = new Client[64];
    private int listener = -1;
    private int port;
    private long nextClientId = 1;
    private long taskId = -1;
    private long timerId = -1;
    private long cronId = -1;
    private boolean shuttingDown;

    EventLoop(ServerOptions options, Blocks blocks, NumberRoutines numbers, PatternRoutines patterns,
              Scheduler scheduler, Sockets sockets, BooleanSupplier stopRequested, Runnable requestStop,
              ScriptEngine scripting) {
        this.options = options;
        this.blocks = blocks;
        this.numbers = numbers;
        this.scheduler = scheduler;
        this.sockets = sockets;
        this.stopRequested = stopRequested;
        this.shared = new SharedReplies(blocks);
        this.reads = new SocketBatch(blocks.allocate(BATCH_BYTES), readySockets.length);
        this.writes = new SocketBatch(blocks.allocate(BATCH_BYTES), readySockets.length);
        this.keyspace = new Keyspace(blocks, numbers, shared.scratch);
        this.keyspace.patterns = patterns;
        this.ctx = new ServerContext(keyspace, blocks, patterns, scheduler, this::heapStats);
        this.stats = ctx.stats;
        this.dispatcher = new Dispatcher(ctx);
        this.expiry = new ActiveExpiry(keyspace, stats);
        ctx.bind = options.bind();
        ctx.pendingWrite = this::queueWrite;
        ctx.closeAsync = this::closeAsync;
        ctx.shutdown = () -> {
            shuttingDown = true;
            requestStop.run();
        };
        CommandTable commands = ctx.table;
        new StringCommands(keyspace).register(commands);
        new KeyCommands(ctx, dispatcher).register(commands);
        new SortCommand(keyspace).register(commands);
        new ListCommands(ctx, dispatcher).register(commands);
        new SetCommands(keyspace).register(commands);
        new HashCommands(keyspace).register(commands);
        new SortedSetCommands(ctx, dispatcher).register(commands);
        new TransactionCommands(ctx, dispatcher).register(commands);
        new PubSubCommands(ctx).register(commands);
        new ConnectionCommands(ctx, dispatcher).register(commands);
        serverCommands = new ServerCommands(ctx, dispatcher);
        serverCommands.register(commands);
        scriptingCommands = new ScriptingCommands(ctx, dispatcher, scripting,
                new Client(-1, 0, blocks, numbers, shared), this::stopping);
        scriptingCommands.register(commands);
        keyspace.functions = scriptingCommands;
        ctx.serveWhileBusy = this::serveWhileBusy;
        options.apply(ctx.config);
    }

    /** Mounts the file system, registers SAVE, BGSAVE, LASTSAVE, DUMP and RESTORE; call before {@link #start}. */
    Persistence enablePersistence(FileSystem files, PersistenceOptions persistenceOptions) {
        persistence = new Persistence(keyspace, files, numbers, persistenceOptions);
        new PersistenceCommands(keyspace, persistence).register(ctx.table);
        serverCommands.enablePersistence(persistence);
        Persistence p = persistence;
        ctx.executed = p::countWrite;
        return persistence;
    }

    /** The final snapshot when the server stops without SHUTDOWN having dealt with it (SIGTERM, requestStop). */
    void saveBeforeExit() {
        if (persistence != null && !persistence.exitHandled()) {
            String error = persistence.beforeExit(false, false);
            if (error != null) {
                System.err.println("redis: " + error);
            }
        }
    }

    private HeapStats heapStats() {
        return blocks.allocator().stats();
    }

    /** Opens the listening socket; returns its port. */
    int listen() {
        listener = sockets.listen(options.bind(), options.port(), BACKLOG);
        sockets.watch(listener, Sockets.READABLE);
        port = sockets.localPort(listener);
        ctx.port = port;
        return port;
    }

    void start() {
        taskId = scheduler.spawn("redis-event-loop", this::step);
        timerId = scheduler.every(EXPIRY_PERIOD_NANOS, expiry);
        cronId = scheduler.every(CRON_PERIOD_NANOS, this::clientsCron);
        if (persistence != null) {
            persistenceTimerId = persistence.start(scheduler);
        }
    }

    void cancelTasks() {
        if (persistenceTimerId >= 0) {
            scheduler.cancel(persistenceTimerId);
            persistenceTimerId = -1;
        }
        if (cronId >= 0) {
            scheduler.cancel(cronId);
            cronId = -1;
        }
        if (timerId >= 0) {
            scheduler.cancel(timerId);
            timerId = -1;
        }
        if (taskId >= 0) {
            scheduler.cancel(taskId);
            taskId = -1;
        }
    }

    private boolean stopping() {
        return shuttingDown || stopRequested.getAsBoolean();
    }

    /**
     * One turn of the loop; returns false once the server is stopping, after making the scheduler return. The ready
     * clients are read in one call to net, their requests run, and their replies go out in one call with the next
     * turn's poll (Redis too writes a round's replies together, before it sleeps; its timers run between): a gate to
     * net is then crossed twice a round, not twice per client. A client receiving a large bulk, or with a large
     * reply, has its own call, straight into or out of its buffer, rather than a copy through the staging block.
     */
    boolean step(long maxWaitNanos) {
        if (stopping()) {
            return finish();
        }
        beforeSleep();
        long wait = pendingWrites.isEmpty() && dispatcher.unblocked.isEmpty() ? Math.min(maxWaitNanos, MAX_POLL_NANOS) : 0;
        int ready = sendQueuedThenPoll(wait);
        // Each reader's share of the staging block, so that every ready client fits in the round's one read.
        int share = (int) Math.max(MIN_READ_SHARE, Math.min(Client.IO_CHUNK, reads.free() / Math.max(1, ready)));
        int touched = 0;
        for (int i = 0; i < ready && !shuttingDown; i++) {
            int socket = readySockets[i];
            int events = readyEvents[i];
            if (socket == listener) {
                acceptAll();
                continue;
            }
            Client c = socket < clients.length ? clients[socket] : null;
            if (c == null) {
                continue;
            }
            if ((events & Sockets.READABLE) != 0 && !c.closeAfterReply && !queueRead(c, share)) {
                continue;
            }
            roundClients[touched] = c;
            roundEvents[touched] = events;
            touched++;
        }
        receiveQueued();
        for (int i = 0; i < touched; i++) {
            Client c = roundClients[i];
            roundClients[i] = null;
            if (isOpen(c) && ((roundEvents[i] & Sockets.WRITABLE) != 0 || c.pendingReplyBytes() > 0
                    || c.closeAfterReply)) {
                queueFlush(c);
            }
        }
        beforeSleep();
        return !stopping() || finish();
    }

    /**
     * Queues a read of at most {@code share} bytes for a readable client, or reads at once when the client is
     * receiving a bulk larger than its share or the batch is full; returns false if the client was closed.
     */
    private boolean queueRead(Client c, int share) {
        if (!makeRoom(c)) {
            freeClient(c);
            return false;
        }
        long room = c.query.byteSize() - c.queryLen;
        int length = (int) Math.min(room, share);
        if (RequestParser.bytesNeeded(c) - c.queryLen > share || !reads.fits(length)) {
            return readFrom(c);
        }
        reads.add(c, length);
        c.inReadBatch = true;
        return true;
    }

    /** Runs the queued reads in one call, then each client's complete requests, in the order they were queued. */
    private void receiveQueued() {
        reads.receive(sockets);
        long at = 0;
        for (int i = 0; i < reads.size(); i++) {
            Client c = reads.client(i);
            int n = reads.length(i);
            c.inReadBatch = false;
            if (n > 0) {
                // A client closed meanwhile (by a command of a client before it, or while a script ran) has no
                // buffer any more: its bytes are skipped.
                if (isOpen(c)) {
                    blocks.copy(c.query, c.queryLen, reads.staging(), at, n);
                }
                at += n;
            }
            if (!shuttingDown && isOpen(c)) {
                received(c, n);
            }
        }
        reads.clear();
    }

    /**
     * Queues a client's pending reply for the round's one send, or sends at once when it is larger than a share of
     * the staging block or does not fit; a client with nothing to send is finished at once.
     */
    private void queueFlush(Client c) {
        if (c.broken) {
            freeClient(c);
            return;
        }
        int pending = c.pendingReplyBytes();
        if (pending == 0 || pending > MAX_BATCHED_REPLY || !writes.fits(pending)) {
            flush(c);
            return;
        }
        blocks.copy(writes.staging(), writes.used(), c.reply, c.replySent, pending);
        writes.add(c, pending);
        c.inWriteBatch = true;
    }

    /**
     * Sends the queued replies and polls, in one call; then settles each client as {@link #flush} does, and returns
     * how many sockets are ready.
     */
    private int sendQueuedThenPoll(long wait) {
        int ready = writes.sendThenPoll(sockets, readySockets, readyEvents, wait);
        settleQueued();
        return ready;
    }

    /** Sends the queued replies in one call, then settles each client as {@link #flush} does. */
    private void sendQueued() {
        writes.send(sockets);
        settleQueued();
    }

    /** Settles each client of the batch of writes just sent, and empties the batch. */
    private void settleQueued() {
        for (int i = 0; i < writes.size(); i++) {
            writes.client(i).inWriteBatch = false;
        }
        for (int i = 0; i < writes.size(); i++) {
            Client c = writes.client(i);
            int n = writes.length(i);
            if (!isOpen(c)) {
                continue;
            }
            if (n == Sockets.CLOSED) {
                freeClient(c);
                continue;
            }
            c.replySent += n;
            if (c.pendingReplyBytes() == 0) {
                c.replySent = 0;
                c.replyLen = 0;
            }
            settleAfterSend(c);
        }
        writes.clear();
    }

    /**
     * Redis's processEventsWhileBlocked, while a script runs past busy-reply-threshold: accepts, reads and answers
     * the other clients once without waiting (the dispatcher answers them BUSY but for SCRIPT KILL and the like),
     * and sends what is pending. The script's own client is not read: its next commands wait for the script.
     */
    private void serveWhileBusy(Client running) {
        int ready = sockets.poll(busySockets, busyEvents, 0);
        for (int i = 0; i < ready && !shuttingDown; i++) {
            int socket = busySockets[i];
            if (socket == listener) {
                acceptAll();
                continue;
            }
            Client c = socket < clients.length ? clients[socket] : null;
            if (c == null || c == running) {
                continue;
            }
            // A client whose bytes of this round wait in the read batch is read once they are in its buffer, not
            // before: its later bytes would come first.
            if ((busyEvents[i] & Sockets.READABLE) != 0 && !c.closeAfterReply && !c.inReadBatch) {
                if (!readFrom(c)) {
                    continue;
                }
            }
            if (c.pendingReplyBytes() > 0 || c.closeAfterReply) {
                flush(c);
            }
        }
    }

    /**
     * What Redis does before it sleeps in poll: runs the pending input of clients that a command unblocked, sends
     * what other clients' commands (PUBLISH, a push that served a blocked client) wrote to their buffers, and closes
     * the clients that were killed.
     */
    private void beforeSleep() {
        for (int round = 0; round < 16 && !dispatcher.unblocked.isEmpty(); round++) {
            java.util.List<Client> resumed = new java.util.ArrayList<>(dispatcher.unblocked);
            dispatcher.unblocked.clear();
            for (Client c : resumed) {
                if (clients.length > c.socket && c.socket >= 0 && clients[c.socket] == c && c.blocked == null) {
                    processInput(c);
                    queueWrite(c);
                }
            }
        }
        if (!pendingWrites.isEmpty()) {
            java.util.List<Client> writes = new java.util.ArrayList<>(pendingWrites);
            pendingWrites.clear();
            for (Client c : writes) {
                c.pendingWrite = false;
                if (c.socket >= 0 && c.socket < clients.length && clients[c.socket] == c) {
                    flush(c);
                }
            }
        }
        if (!toClose.isEmpty()) {
            java.util.List<Client> closing = new java.util.ArrayList<>(toClose);
            toClose.clear();
            for (Client c : closing) {
                if (c.socket >= 0 && c.socket < clients.length && clients[c.socket] == c) {
                    freeClient(c);
                }
            }
        }
    }

    private void queueWrite(Client c) {
        if (!c.pendingWrite) {
            c.pendingWrite = true;
            pendingWrites.add(c);
        }
    }

    private void closeAsync(Client c) {
        if (!toClose.contains(c)) {
            toClose.add(c);
        }
    }

    /**
     * Redis's {@code clientsCron}, once a second per client: closes clients idle past {@code timeout}, and gives back
     * the query buffer space an idle client (or one whose recent peak is much smaller) does not use.
     */
    private void clientsCron() {
        // Every client on every tick, as Redis's clientsCron does while there are few clients.
        LruClock.tick();
        long now = System.currentTimeMillis();
        for (Client c : new java.util.ArrayList<>(ctx.clients.values())) {
            if (c.socket < 0 || c.socket >= clients.length || clients[c.socket] != c) {
                continue;
            }
            long idleSeconds = (now - c.lastInteractionMillis) / 1000;
            if (ctx.timeoutSeconds > 0 && idleSeconds > ctx.timeoutSeconds && c.blocked == null
                    && !c.subscribed()) {
                freeClient(c);
                continue;
            }
            resizeQueryBuffer(c, idleSeconds);
        }
    }

    private void resizeQueryBuffer(Client c, long idleSeconds) {
        long size = c.query.byteSize();
        long used = c.queryLen;
        if (size - used > 4096 && c.queryPos == 0 || size - used > 4096 && c.queryPos == c.queryLen) {
            if (c.queryPos == c.queryLen) {
                used = 0;
            }
            long target = -1;
            if (idleSeconds > 2) {
                target = used;
            } else if (size > 32 * 1024 && size / 2 > c.queryPeak) {
                target = Math.max(used, Math.max(c.queryPeak, RequestParser.bytesNeeded(c)));
            }
            if (target >= 0 && target < size && RequestParser.bytesNeeded(c) <= target) {
                if (target == 0) {
                    blocks.free(c.query);
                    c.query = Blocks.EMPTY;
                    c.queryLen = 0;
                    c.queryPos = 0;
                    c.parsePos = 0;
                } else {
                    if (c.queryPos > 0) {
                        c.compactQuery();
                    }
                    MemorySegment smaller = blocks.resize(c.query, target);
                    if (smaller != null) {
                        c.query = smaller;
                    }
                }
            }
        }
        c.queryPeak = Math.max(c.queryLen - c.queryPos, RequestParser.bytesNeeded(c) - c.queryPos);
    }

    private boolean finish() {
        sendQueued();
        if (cronId >= 0) {
            scheduler.cancel(cronId);
            cronId = -1;
        }
        if (timerId >= 0) {
            scheduler.cancel(timerId);
            timerId = -1;
        }
        taskId = -1;
        scheduler.stop();
        return false;
    }

    private void acceptAll() {
        for (int n = 0; n < MAX_ACCEPTS_PER_STEP; n++) {
            int socket = sockets.accept(listener);
            if (socket < 0) {
                return;
            }
            Client c;
            try {
                c = newClient(socket);
            } catch (HeapExhausted e) {
                sockets.close(socket);
                stats.rejectedConnections++;
                continue;
            }
            if (socket >= clients.length) {
                clients = Arrays.copyOf(clients, Math.max(socket + 1, clients.length * 2));
            }
            clients[socket] = c;
            stats.connectionsReceived++;
            stats.connectedClients++;
            if (ctx.clients.size() > ctx.maxclients) {
                c.addError("ERR max number of clients reached");
                c.closeAfterReply = true;
                stats.rejectedConnections++;
                setInterest(c, Sockets.WRITABLE);
                continue;
            }
            setInterest(c, Sockets.READABLE);
        }
    }

    /** A client for {@code socket} with fresh buffers; throws {@link HeapExhausted} if they do not fit. */
    Client newClient(int socket) {
        Client c = new Client(socket, nextClientId++, blocks, numbers, shared);
        c.authenticated = !ctx.authRequired();
        ctx.clients.put(c.id, c);
        return c;
    }

    private void setInterest(Client c, int interest) {
        if (c.interest != interest) {
            c.interest = interest;
            sockets.watch(c.socket, interest);
        }
    }

    /** Reads what the socket has and runs the complete requests; returns false if the client was closed. */
    private boolean readFrom(Client c) {
        if (!makeRoom(c)) {
            freeClient(c);
            return false;
        }
        long room = c.query.byteSize() - c.queryLen;
        int n = sockets.recv(c.socket, c.query, c.queryLen, (int) Math.min(room, Integer.MAX_VALUE));
        return received(c, n);
    }

    /**
     * Takes in the {@code n} bytes just read into the client's query buffer (or the end of its stream) and runs its
     * complete requests; returns false if the client was closed.
     */
    private boolean received(Client c, int n) {
        if (n == Sockets.CLOSED) {
            freeClient(c);
            return false;
        }
        if (n > 0) {
            c.queryLen += n;
            c.queryPeak = Math.max(c.queryPeak, c.queryLen - c.queryPos);
            if (c.queryLen - c.queryPos > ctx.queryBufferLimit) {
                // As Redis: a client over client-query-buffer-limit is closed without a reply.
                freeClient(c);
                return false;
            }
            c.lastInteractionMillis = System.currentTimeMillis();
            processInput(c);
            // Sending a large batch of replies early may have found the connection gone and freed the client: the
            // caller must not touch its socket again (it did, and the net library rightly refused an unknown socket).
            return isOpen(c);
        }
        return true;
    }

    private boolean isOpen(Client c) {
        return c.socket >= 0 && c.socket < clients.length && clients[c.socket] == c;
    }

    /** Makes room in the query buffer for one more read, or for the whole bulk being received. */
    private boolean makeRoom(Client c) {
        if (c.query.byteSize() == 0) {
            MemorySegment fresh = blocks.allocateOrNull(Client.IO_CHUNK);
            if (fresh == null) {
                return false;
            }
            c.query = fresh;
        }
        long size = c.query.byteSize();
        long needed = RequestParser.bytesNeeded(c);
        if (c.queryPos > 0 && (size - c.queryLen < Client.IO_CHUNK || needed > size)) {
            long shift = c.queryPos;
            c.compactQuery();
            needed = needed == 0 ? 0 : needed - shift;
        }
        if (size - c.queryLen >= 1024 && needed <= size) {
            return true;
        }
        long target = Math.max(Math.max(needed, c.queryLen + Client.IO_CHUNK), Math.min(size * 2, needed + size));
        long limit = Math.max(ctx.queryBufferLimit, ctx.protoMaxBulkLen) + Client.IO_CHUNK;
        if (target > limit) {
            target = Math.max(needed, c.queryLen + Client.IO_CHUNK);
            if (target > limit) {
                return false;
            }
        }
        MemorySegment grown = blocks.resize(c.query, target);
        if (grown == null) {
            return false;
        }
        c.query = grown;
        return true;
    }

    /** Parses and runs every complete request in the client's query buffer. */
    void processInput(Client c) {
        while (!c.closeAfterReply && !shuttingDown && c.blocked == null) {
            int r = RequestParser.parse(c, ctx.protoMaxBulkLen);
            if (r == RequestParser.INCOMPLETE) {
                break;
            }
            if (r == RequestParser.ERROR) {
                c.addError("ERR " + c.protocolError);
                c.closeAfterReply = true;
                break;
            }
            dispatcher.execute(c);
            c.argc = 0;
            if (c.pendingReplyBytes() > FLUSH_THRESHOLD && !c.broken) {
                if (!sendPending(c)) {
                    return;
                }
            }
        }
        if (c.pendingArgs == 0 && c.queryPos == c.queryLen) {
            c.queryPos = 0;
            c.queryLen = 0;
            c.parsePos = 0;
            if (c.query.byteSize() > IDLE_BUFFER_LIMIT && c.query.byteSize() > 2 * c.queryPeak) {
                MemorySegment smaller = blocks.resize(c.query, Client.IO_CHUNK);
                if (smaller != null) {
                    c.query = smaller;
                }
            }
        }
    }

    /** Sends what the socket takes now; returns false if the client was closed. */
    private boolean sendPending(Client c) {
        if (c.inWriteBatch) {
            // Its first pending bytes wait in the batch: they go first, and only once.
            sendQueued();
            if (!isOpen(c)) {
                return false;
            }
        }
        while (c.pendingReplyBytes() > 0) {
            int n = sockets.send(c.socket, c.reply, c.replySent, c.pendingReplyBytes());
            if (n == Sockets.CLOSED) {
                freeClient(c);
                return false;
            }
            if (n == 0) {
                break;
            }
            c.replySent += n;
        }
        if (c.pendingReplyBytes() == 0) {
            c.replySent = 0;
            c.replyLen = 0;
        }
        return true;
    }

    /** Sends the batch's replies; watches for writability if the socket did not take them all. */
    private void flush(Client c) {
        if (!isOpen(c)) {
            return;
        }

        if (c.broken) {
            freeClient(c);
            return;
        }
        if (!sendPending(c)) {
            return;
        }
        settleAfterSend(c);
    }

    /**
     * After a send: watches for writability if replies are left, closes a client that was to close after its reply,
     * and gives back an idle large reply buffer.
     */
    private void settleAfterSend(Client c) {
        if (c.pendingReplyBytes() > 0) {
            setInterest(c, c.closeAfterReply ? Sockets.WRITABLE : Sockets.READABLE | Sockets.WRITABLE);
            return;
        }
        if (c.closeAfterReply) {
            freeClient(c);
            return;
        }
        if (c.reply.byteSize() > IDLE_BUFFER_LIMIT) {
            MemorySegment smaller = blocks.resize(c.reply, Client.IO_CHUNK);
            if (smaller != null) {
                c.reply = smaller;
            }
        }
        setInterest(c, Sockets.READABLE);
    }

    private void freeClient(Client c) {
        if (clients[c.socket] != c) {
            return;
        }
        if (c.inWriteBatch) {
            // Its batched reply goes out before the socket closes, and no batch names a closed socket.
            sendQueued();
            if (clients[c.socket] != c) {
                return;
            }
        }
        clients[c.socket] = null;
        sockets.close(c.socket);
        releaseState(c);
        c.release();
        stats.connectedClients--;
    }

    /** Forgets what the server keeps about a client: its transaction, watches, subscriptions and blocking. */
    void releaseState(Client c) {
        ctx.clients.remove(c.id);
        if (c.multi != null) {
            c.multi.free(blocks);
            c.multi = null;
        }
        keyspace.observers.unwatchAll(c);
        ctx.pubsub.dropClient(c);
        ctx.monitors.remove(c);
        if (c.blocked != null) {
            dispatcher.unblock(c);
            dispatcher.unblocked.remove(c);
        }
    }

    /** Closes every connection and the listener and frees every block; the loop is not usable afterwards. */
    void close() {
        scriptingCommands.close();
        for (Client c : clients) {
            if (c != null) {
                if (c.pendingReplyBytes() > 0 && !c.broken) {
                    sendPending(c);
                }
                if (clients[c.socket] == c) {
                    freeClient(c);
                }
            }
        }
        if (listener >= 0) {
            sockets.close(listener);
            listener = -1;
        }
        keyspace.flushAll();
        shared.free();
        blocks.free(reads.staging());
        blocks.free(writes.staging());
    }

    // ---- for tests ----

    Keyspace keyspace() {
        return keyspace;
    }

    ServerStats stats() {
        return stats;
    }

    ServerContext context() {
        return ctx;
    }

    Dispatcher dispatcher() {
        return dispatcher;
    }
}
