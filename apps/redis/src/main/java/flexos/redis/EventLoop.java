package flexos.redis;

import flexos.alloc.api.HeapStats;
import flexos.libc.api.NumberRoutines;
import flexos.libc.api.PatternRoutines;
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
    /** Pending reply bytes after which the loop tries to send before the batch ends. */
    private static final int FLUSH_THRESHOLD = 64 * 1024;
    /** Buffers larger than this are shrunk back when idle. */
    private static final long IDLE_BUFFER_LIMIT = 1024 * 1024;
    private static final int MAX_ACCEPTS_PER_STEP = 1000;
    private static final int BACKLOG = 511;

    private final ServerOptions options;
    private final Blocks blocks;
    private final NumberRoutines numbers;
    private final Scheduler scheduler;
    private final Sockets sockets;
    private final BooleanSupplier stopRequested;
    private final SharedReplies shared;
    private final Keyspace keyspace;
    private final CommandTable commands = new CommandTable();
    private final ServerStats stats = new ServerStats();
    private final ActiveExpiry expiry;
    private final ServerCommands serverCommands;
    private Persistence persistence;
    private long persistenceTimerId = -1;

    private final int[] readySockets = new int[512];
    private final int[] readyEvents = new int[512];
    private Client[] clients = new Client[64];
    private int listener = -1;
    private int port;
    private long nextClientId = 1;
    private long taskId = -1;
    private long timerId = -1;
    private boolean shuttingDown;

    EventLoop(ServerOptions options, Blocks blocks, NumberRoutines numbers, PatternRoutines patterns,
              Scheduler scheduler, Sockets sockets, BooleanSupplier stopRequested, Runnable requestStop) {
        this.options = options;
        this.blocks = blocks;
        this.numbers = numbers;
        this.scheduler = scheduler;
        this.sockets = sockets;
        this.stopRequested = stopRequested;
        this.shared = new SharedReplies(blocks);
        this.keyspace = new Keyspace(blocks, numbers, shared.scratch);
        this.expiry = new ActiveExpiry(keyspace, stats);
        new StringCommands(keyspace).register(commands);
        new KeyCommands(keyspace, patterns).register(commands);
        new ListCommands(keyspace).register(commands);
        new SetCommands(keyspace).register(commands);
        new HashCommands(keyspace).register(commands);
        new SortedSetCommands(keyspace).register(commands);
        serverCommands = new ServerCommands(keyspace, patterns, stats, this::heapStats, () -> {
            shuttingDown = true;
            requestStop.run();
        }, () -> port, options.bind());
        serverCommands.register(commands);
    }

    /** Mounts the file system, registers SAVE, BGSAVE, LASTSAVE, DUMP and RESTORE; call before {@link #start}. */
    Persistence enablePersistence(FileSystem files, PersistenceOptions persistenceOptions) {
        persistence = new Persistence(keyspace, files, numbers, persistenceOptions);
        new PersistenceCommands(keyspace, persistence).register(commands);
        serverCommands.persistence = persistence;
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
        return port;
    }

    void start() {
        taskId = scheduler.spawn("redis-event-loop", this::step);
        timerId = scheduler.every(EXPIRY_PERIOD_NANOS, expiry);
        if (persistence != null) {
            persistenceTimerId = persistence.start(scheduler);
        }
    }

    void cancelTasks() {
        if (persistenceTimerId >= 0) {
            scheduler.cancel(persistenceTimerId);
            persistenceTimerId = -1;
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

    /** One turn of the loop; returns false once the server is stopping, after making the scheduler return. */
    boolean step(long maxWaitNanos) {
        if (stopping()) {
            return finish();
        }
        int ready = sockets.poll(readySockets, readyEvents, Math.min(maxWaitNanos, MAX_POLL_NANOS));
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
            if ((events & Sockets.READABLE) != 0 && !c.closeAfterReply) {
                if (!readFrom(c)) {
                    continue;
                }
            }
            if ((events & Sockets.WRITABLE) != 0 || c.pendingReplyBytes() > 0 || c.closeAfterReply) {
                flush(c);
            }
        }
        return !stopping() || finish();
    }

    private boolean finish() {
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
            setInterest(c, Sockets.READABLE);
        }
    }

    /** A client for {@code socket} with fresh buffers; throws {@link HeapExhausted} if they do not fit. */
    Client newClient(int socket) {
        return new Client(socket, nextClientId++, blocks, numbers, shared);
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
        if (n == Sockets.CLOSED) {
            freeClient(c);
            return false;
        }
        if (n > 0) {
            c.queryLen += n;
            processInput(c);
        }
        return true;
    }

    /** Makes room in the query buffer for one more read, or for the whole bulk being received. */
    private boolean makeRoom(Client c) {
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
        if (target > Client.BUFFER_LIMIT) {
            target = Math.max(needed, c.queryLen + Client.IO_CHUNK);
            if (target > Client.BUFFER_LIMIT) {
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
        while (!c.closeAfterReply && !shuttingDown) {
            int r = RequestParser.parse(c);
            if (r == RequestParser.INCOMPLETE) {
                break;
            }
            if (r == RequestParser.ERROR) {
                c.addError("ERR " + c.protocolError);
                c.closeAfterReply = true;
                break;
            }
            execute(c);
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
            if (c.query.byteSize() > IDLE_BUFFER_LIMIT) {
                MemorySegment smaller = blocks.resize(c.query, Client.IO_CHUNK);
                if (smaller != null) {
                    c.query = smaller;
                }
            }
        }
    }

    /** Runs the request in the client's arguments, writing its reply. */
    void execute(Client c) {
        Command command = commands.find(c.query, c.argOff[0], c.argLen[0]);
        if (command == null) {
            unknownCommand(c);
            return;
        }
        if (!command.arityAccepts(c.argc)) {
            c.addError("ERR wrong number of arguments for '" + command.name() + "' command");
            return;
        }
        stats.commandsProcessed++;
        try {
            command.handler().execute(c);
            if (persistence != null) {
                persistence.countWrite(command);
            }
        } catch (HeapExhausted e) {
            c.addOutOfMemory();
        } catch (CommandError e) {
            c.addError(e.getMessage());
        }
    }

    /** Redis's reply: the name and the first arguments, quoted, up to about 128 bytes. */
    private static void unknownCommand(Client c) {
        StringBuilder args = new StringBuilder();
        for (int j = 1; j < c.argc && args.length() < 128; j++) {
            String arg = c.argString(j);
            int room = 128 - args.length();
            args.append('\'').append(arg.length() > room ? arg.substring(0, room) : arg).append("' ");
        }
        String name = c.argString(0);
        if (name.length() > 128) {
            name = name.substring(0, 128);
        }
        c.addError("ERR unknown command '" + name + "', with args beginning with: " + args);
    }

    /** Sends what the socket takes now; returns false if the client was closed. */
    private boolean sendPending(Client c) {
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
        if (c.broken) {
            freeClient(c);
            return;
        }
        if (!sendPending(c)) {
            return;
        }
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
        clients[c.socket] = null;
        sockets.close(c.socket);
        c.release();
        stats.connectedClients--;
    }

    /** Closes every connection and the listener and frees every block; the loop is not usable afterwards. */
    void close() {
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
    }

    // ---- for tests ----

    Keyspace keyspace() {
        return keyspace;
    }

    ServerStats stats() {
        return stats;
    }
}
