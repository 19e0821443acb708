package flexos.redis;

import flexos.alloc.api.Allocator;
import flexos.core.component.Entrypoint;
import flexos.libc.api.HashRoutines;
import flexos.libc.api.MemoryRoutines;
import flexos.libc.api.NumberRoutines;
import flexos.libc.api.PatternRoutines;
import flexos.net.api.Sockets;
import flexos.sched.api.Scheduler;
import flexos.lua.api.ScriptEngine;
import flexos.vfs.api.FileSystem;

import java.util.List;

/**
 * The server's {@link Entrypoint}: {@link #run} listens, prints one ready line, runs the event loop as a task of the
 * scheduler until {@link #requestStop} or a SHUTDOWN command, then closes every socket and frees every block it
 * allocated before returning 0.
 *
 * <p>All cross-library calls go through the gates given to the constructor; this class never names an
 * implementation.
 */
public final class RedisServer implements Entrypoint {

    private final Allocator allocator;
    private final MemoryRoutines memory;
    private final NumberRoutines numbers;
    private final HashRoutines hashes;
    private final PatternRoutines patterns;
    private final Scheduler scheduler;
    private final Sockets sockets;
    private final FileSystem files;
    private final ScriptEngine scripting;

    private volatile boolean stopRequested;
    private volatile int port = -1;

    public RedisServer(Allocator allocator, MemoryRoutines memory, NumberRoutines numbers, HashRoutines hashes,
                       PatternRoutines patterns, Scheduler scheduler, Sockets sockets, FileSystem files,
                       ScriptEngine scripting) {
        this.allocator = allocator;
        this.memory = memory;
        this.numbers = numbers;
        this.hashes = hashes;
        this.patterns = patterns;
        this.scheduler = scheduler;
        this.sockets = sockets;
        this.files = files;
        this.scripting = scripting;
    }

    @Override
    public int run(List<String> args) {
        PersistenceOptions persisted = PersistenceOptions.parse(args);
        ServerOptions options = ServerOptions.parse(persisted.rest());
        Blocks blocks = new Blocks(allocator, memory, hashes);
        EventLoop loop = new EventLoop(options, blocks, numbers, patterns, scheduler, sockets, this::stopRequested,
                this::requestStop, scripting);
        try {
            String loaded = loop.enablePersistence(files, persisted).loadOnStart();
            if (loaded != null) {
                System.out.println("redis: " + loaded);
            }
            port = loop.listen();
            System.out.println("redis: ready to accept connections on " + options.bind() + ":" + port);
            System.out.flush();
            loop.start();
            if (!stopRequested) {
                scheduler.run();
            }
            loop.cancelTasks();
            loop.saveBeforeExit();
        } finally {
            loop.close();
            port = -1;
        }
        return 0;
    }

    private boolean stopRequested() {
        return stopRequested;
    }

    /** The port the running server listens on, or -1 when it is not listening. */
    public int port() {
        return port;
    }

    @Override
    public void requestStop() {
        stopRequested = true;
        scheduler.stop();
        sockets.wakeup();
    }
}
