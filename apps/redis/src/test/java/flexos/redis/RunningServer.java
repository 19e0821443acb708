package flexos.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** A redis server running {@link RedisServer#run} on a thread of its own, on a free port, until {@link #close}. */
final class RunningServer implements AutoCloseable {

    final RedisServer server;
    final int port;
    private final Thread thread;
    private final AtomicReference<Object> outcome = new AtomicReference<>();

    RunningServer(RedisServer server) throws InterruptedException {
        this.server = server;
        this.thread = Thread.ofPlatform().name("redis-under-test").start(() -> {
            try {
                outcome.set(server.run(List.of("--port", "0")));
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (server.port() <= 0) {
            if (outcome.get() != null) {
                throw new IllegalStateException("server ended before listening: " + outcome.get());
            }
            if (System.nanoTime() > deadline) {
                server.requestStop();
                throw new IllegalStateException("server did not start listening within 20 s");
            }
            Thread.sleep(5);
        }
        this.port = server.port();
    }

    /** Waits for {@link RedisServer#run} to return and gives its exit status (or rethrows what it threw). */
    int awaitExit(Duration timeout) throws InterruptedException {
        thread.join(timeout);
        if (thread.isAlive()) {
            throw new IllegalStateException("server still running after " + timeout);
        }
        Object result = outcome.get();
        if (result instanceof Throwable t) {
            throw new IllegalStateException("server failed", t);
        }
        return (Integer) result;
    }

    boolean isRunning() {
        return thread.isAlive();
    }

    @Override
    public void close() {
        server.requestStop();
        try {
            thread.join(Duration.ofSeconds(20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
