package flexos.redis;

import flexos.alloc.api.HeapStats;
import flexos.libc.api.PatternRoutines;
import flexos.sched.api.Scheduler;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the commands of the server share beyond the keyspace: its configuration, the clients, pub/sub, the command
 * table and statistics, and the hooks into the event loop (to send to a client that is not the one running, to
 * close one, to stop the server). Touched by the event loop's thread only.
 */
final class ServerContext {

    static final String REDIS_VERSION = "7.0.15";

    final Keyspace ks;
    final Blocks blocks;
    final PatternRoutines patterns;
    final Scheduler scheduler;
    final ServerConfig config = new ServerConfig();
    final ServerStats stats = new ServerStats();
    final CommandTable table = new CommandTable();
    final PubSub pubsub;
    final Map<Long, Client> clients = new LinkedHashMap<>();
    /** Clients in MONITOR mode, which get every command the server runs. */
    final java.util.List<Client> monitors = new java.util.ArrayList<>();
    final long startMillis = System.currentTimeMillis();
    final Supplier<HeapStats> heap;

    String bind;
    int port;
    /** The default user's password, or {@code null} when no password is required. */
    String requirepass;
    long maxmemory;
    long maxclients = 10000;
    /** Seconds of idleness after which a client is closed; 0 never. */
    long timeoutSeconds;
    long protoMaxBulkLen = 512L * 1024 * 1024;
    long queryBufferLimit = 1L << 30;

    /** Queues a client whose reply buffer got bytes outside its own turn (PUBLISH, an unblocked command). */
    Consumer<Client> pendingWrite = c -> { };
    /** Closes a client after the current command (CLIENT KILL). */
    Consumer<Client> closeAsync = c -> { };
    /** Told of every write command that ran (persistence counts the changes of its save schedule). */
    Consumer<Command> executed = c -> { };
    /** Stops the server (SHUTDOWN). */
    Runnable shutdown = () -> { };
    /**
     * While a script runs past busy-reply-threshold: the BUSY error every command without {@code allow_busy}
     * gets; null otherwise.
     */
    String busyError;
    /** Serves the other clients once, without waiting, while the script of the given client runs. */
    Consumer<Client> serveWhileBusy = c -> { };

    ServerContext(Keyspace ks, Blocks blocks, PatternRoutines patterns, Scheduler scheduler, Supplier<HeapStats> heap) {
        this.ks = ks;
        this.blocks = blocks;
        this.patterns = patterns;
        this.scheduler = scheduler;
        this.heap = heap;
        this.pubsub = new PubSub(this);
    }

    boolean authRequired() {
        return requirepass != null;
    }
}
