package flexos.redis;

import flexos.libc.api.NumberRoutines;
import flexos.vfs.api.FileErrors;
import flexos.vfs.api.FileSystem;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Set;

/**
 * RDB snapshots of the keyspace through the {@code vfs} library, as Redis makes them: SAVE, BGSAVE, the {@code save}
 * schedule, loading at start, saving at shutdown, and the {@code dir}, {@code dbfilename} and {@code save}
 * parameters.
 *
 * <p><b>Writing</b> is Redis's: the snapshot goes to {@code temp-<pid>-<n>.rdb} in {@code dir}, which is fsynced,
 * renamed over {@code dbfilename} and then the directory is fsynced; so a crash at any moment leaves the previous
 * snapshot or the new one whole, never a mix.
 *
 * <p><b>BGSAVE without fork.</b> Java cannot fork, and the values change in place, so a point-in-time snapshot is
 * taken by encoding the whole keyspace into blocks of the compartment heap on the event loop, between two commands
 * (the pause that {@code INFO persistence} reports as {@code flexos_bgsave_last_pause_usec}, about the time to copy
 * the dataset once); the slow part, writing and fsyncing the file, runs on a thread of its own while the loop serves
 * clients. The heap needs room for one more copy of the data while a BGSAVE runs (Redis's fork needs up to as much,
 * copy-on-write); if it has none, BGSAVE fails with an error and nothing changes.
 *
 * <p><b>Changes</b> for the {@code save} schedule are counted per executed write command ({@link #countWrite}),
 * not per modified key as Redis counts them: a DEL of a missing key counts 1 here and 0 in Redis.
 *
 * <p>Everything but the writer thread runs on the event loop.
 */
final class Persistence {

    /** What a background save is doing, shared between the loop and the writer thread. */
    private static final class BackgroundSave {
        final RdbChunks image;
        final long dirtyAtStart;
        final long startMillis;
        volatile boolean done;
        volatile String error;
        Thread thread;

        BackgroundSave(RdbChunks image, long dirtyAtStart, long startMillis) {
            this.image = image;
            this.dirtyAtStart = dirtyAtStart;
            this.startMillis = startMillis;
        }
    }

    /** Commands that change the dataset, for the change counter (Redis's {@code server.dirty}). */
    private static final Set<String> WRITE_COMMANDS = Set.of(
            "set", "setnx", "setex", "psetex", "append", "del", "unlink", "incr", "decr", "incrby", "decrby",
            "incrbyfloat", "getset", "getdel", "getex", "mset", "msetnx", "setrange", "setbit", "bitop", "bitfield",
            "lpush", "rpush", "lpushx", "rpushx", "lpop", "rpop", "linsert", "lset", "lrem", "ltrim", "lmove",
            "rpoplpush", "blpop", "brpop", "blmove", "brpoplpush", "lmpop", "blmpop",
            "sadd", "srem", "spop", "smove", "sinterstore", "sunionstore", "sdiffstore",
            "hset", "hsetnx", "hmset", "hdel", "hincrby", "hincrbyfloat",
            "zadd", "zincrby", "zrem", "zremrangebyscore", "zremrangebyrank", "zremrangebylex", "zpopmin", "zpopmax",
            "bzpopmin", "bzpopmax", "zmpop", "bzmpop", "zunionstore", "zinterstore", "zdiffstore", "zrangestore",
            "expire", "pexpire", "expireat", "pexpireat", "persist", "rename", "renamenx", "move", "copy", "restore",
            "flushdb", "flushall", "swapdb", "sort", "pfadd", "pfmerge");

    private static final long CRON_PERIOD_NANOS = 100_000_000L;
    /** After a failed BGSAVE, the schedule waits this long before trying again (Redis's CONFIG_BGSAVE_RETRY_DELAY). */
    private static final long RETRY_DELAY_MILLIS = 5_000;

    private final Keyspace keyspace;
    private final FileSystem files;
    private final NumberRoutines numbers;
    private final boolean protectedConfigs;
    private final long pid = ProcessHandle.current().pid();
    private String root;
    private String dir = "/";
    private String dbfilename;
    private SavePoints save;
    private long keySaveDelayMicros;

    private long dirty;
    private long lastSaveMillis = System.currentTimeMillis();
    private long lastBackgroundTryMillis;
    private boolean lastBackgroundOk = true;
    private long lastBackgroundSeconds = -1;
    private long saves;
    private long lastPauseNanos;
    private long longestPauseNanos;
    private long loadedKeys;
    private long loadedExpired;
    private int tempCounter;
    private BackgroundSave background;
    private boolean backgroundScheduled;
    private boolean exitHandled;

    Persistence(Keyspace keyspace, FileSystem files, NumberRoutines numbers, PersistenceOptions options) {
        this.keyspace = keyspace;
        this.files = files;
        this.numbers = numbers;
        this.protectedConfigs = options.protectedConfigs();
        this.dbfilename = options.dbfilename();
        String saveText = options.save() != null ? options.save()
                : options.dir() != null ? PersistenceOptions.REDIS_DEFAULT_SAVE : "";
        this.save = SavePoints.parse(saveText);
        String source = options.dir() == null ? "memory:" : "host:" + options.dir();
        int mounted = files.mount(source);
        if (mounted != 0 && mounted != FileSystem.BUSY) {
            throw new IllegalArgumentException("Can't chdir to '" + options.dir() + "': " + FileErrors.describe(mounted));
        }
        String shown = files.mounted();
        this.root = shown.startsWith("host:") ? shown.substring("host:".length()) : shown;
    }

    /** Why {@code name} cannot be a dbfilename, or null if it can (Redis: a base name, not a path). */
    static String badFileName(String name) {
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            return "dbfilename can't be a path, just a filename";
        }
        return null;
    }

    // ---- the change counter and the schedule

    /** Counts one executed write command; called by the event loop after every command. */
    void countWrite(Command command) {
        if (WRITE_COMMANDS.contains(command.name())) {
            dirty++;
        }
    }

    long dirty() {
        return dirty;
    }

    /** Runs {@link #cron} every 100 ms on the scheduler; returns the timer's id. */
    long start(flexos.sched.api.Scheduler scheduler) {
        return scheduler.every(CRON_PERIOD_NANOS, this::cron);
    }

    /** Collects a finished BGSAVE, then starts one if a save point is due (Redis's {@code serverCron}). */
    void cron() {
        collectBackground();
        if (background != null) {
            return;
        }
        if (backgroundScheduled) {
            backgroundScheduled = false;
            String error = backgroundSave();
            if (error != null) {
                System.err.println("redis: the scheduled background save failed to start: " + error);
            }
            return;
        }
        if (save.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        boolean mayTry = lastBackgroundOk || now - lastBackgroundTryMillis > RETRY_DELAY_MILLIS;
        if (mayTry && save.due(dirty, (now - lastSaveMillis) / 1000)) {
            String error = backgroundSave();
            if (error != null) {
                System.err.println("redis: background saving failed to start: " + error);
            }
        }
    }

    private void collectBackground() {
        BackgroundSave running = background;
        if (running == null || !running.done) {
            return;
        }
        background = null;
        running.image.free();
        long now = System.currentTimeMillis();
        lastBackgroundSeconds = (now - running.startMillis) / 1000;
        if (running.error == null) {
            dirty -= running.dirtyAtStart;
            lastSaveMillis = now;
            lastBackgroundOk = true;
            saves++;
            System.out.println("redis: background saving terminated with success");
        } else {
            lastBackgroundOk = false;
            System.err.println("redis: background saving error: " + running.error);
        }
    }

    // ---- saving

    /** The vfs path of {@code name} in the working directory. */
    private String inDir(String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }

    /** The dataset encoded as an RDB file in blocks of the heap. */
    private RdbChunks encode() {
        RdbChunks image = new RdbChunks(keyspace.blocks);
        try {
            RdbWriter writer = new RdbWriter(new RdbEncoder(image), numbers, keyspace.scratch);
            writer.writeSnapshot(keyspace, System.currentTimeMillis(),
                    keyspace.blocks.allocator().stats().used());
            return image;
        } catch (RuntimeException | Error e) {
            image.free();
            throw e;
        }
    }

    /**
     * Writes {@code image} as Redis does: temp file, fsync, rename over the target, fsync of the directory. Runs on
     * the loop (SAVE) or the writer thread (BGSAVE), so it takes its paths as arguments.
     *
     * @return null, or what failed, in Redis's words
     */
    private String writeFile(RdbChunks image, String directory, String temp, String target, long pauseNanos) {
        int handle = files.open(temp, FileSystem.WRITE | FileSystem.CREATE | FileSystem.TRUNCATE);
        if (handle < 0) {
            return "Failed opening the temp RDB file " + temp + " (in server root dir " + describeDir(directory)
                    + ") for saving: " + FileErrors.describe(handle);
        }
        int result = image.writeTo(files, handle, pauseNanos);
        if (result == 0) {
            result = files.fsync(handle);
        }
        int closed = files.close(handle);
        if (result == 0) {
            result = closed;
        }
        if (result != 0) {
            files.unlink(temp);
            return "Write error saving DB on disk: " + FileErrors.describe(result);
        }
        result = files.rename(temp, target);
        if (result != 0) {
            files.unlink(temp);
            return "Error moving temp DB file " + temp + " on the final destination " + target + ": "
                    + FileErrors.describe(result);
        }
        result = files.syncDirectory(directory);
        if (result != 0) {
            return "Failed to fsync the directory of " + target + ": " + FileErrors.describe(result);
        }
        return null;
    }

    private String describeDir(String directory) {
        return root.equals("memory:") ? "memory:" + directory : root + (directory.equals("/") ? "" : directory);
    }

    private String nextTemp() {
        return inDir("temp-" + pid + "-" + (++tempCounter) + ".rdb");
    }

    /** SAVE: a snapshot written before returning. Returns null, or the error reply's text. */
    String save() {
        if (background != null) {
            return "ERR Background save already in progress";
        }
        RdbChunks image;
        try {
            image = encode();
        } catch (HeapExhausted e) {
            return "ERR Failed to save: the compartment heap has no room for the snapshot";
        }
        try {
            String error = writeFile(image, dir, nextTemp(), inDir(dbfilename), 0);
            if (error != null) {
                System.err.println("redis: " + error);
                return "ERR " + error;
            }
        } finally {
            image.free();
        }
        dirty = 0;
        lastSaveMillis = System.currentTimeMillis();
        saves++;
        return null;
    }

    /** BGSAVE: encodes now, writes on a thread of its own. Returns null once started, or the error reply's text. */
    String backgroundSave() {
        if (background != null) {
            return "ERR Background save already in progress";
        }
        lastBackgroundTryMillis = System.currentTimeMillis();
        long start = System.nanoTime();
        RdbChunks image;
        try {
            image = encode();
        } catch (HeapExhausted e) {
            lastBackgroundOk = false;
            return "ERR Can't save in background: the compartment heap has no room for a copy of the data";
        }
        lastPauseNanos = System.nanoTime() - start;
        longestPauseNanos = Math.max(longestPauseNanos, lastPauseNanos);
        BackgroundSave running = new BackgroundSave(image, dirty, System.currentTimeMillis());
        String directory = dir;
        String temp = nextTemp();
        String target = inDir(dbfilename);
        long chunks = Math.max(1, (image.size() + RdbChunks.CHUNK - 1) / RdbChunks.CHUNK);
        long pause = keySaveDelayMicros * 1000 * keyspace.keyCount() / chunks;
        running.thread = Thread.ofPlatform().name("redis-bgsave").daemon(true).start(() -> {
            try {
                running.error = writeFile(image, directory, temp, target, pause);
            } catch (RuntimeException e) {
                running.error = "the writer failed: " + e;
            } finally {
                running.done = true;
            }
        });
        background = running;
        return null;
    }

    boolean backgroundRunning() {
        return background != null;
    }

    /** BGSAVE SCHEDULE while one runs: another starts once it has ended. */
    void scheduleBackground() {
        backgroundScheduled = true;
    }

    /** Whether SHUTDOWN has already done what the server does before exiting. */
    boolean exitHandled() {
        return exitHandled;
    }

    /** Waits for a running BGSAVE to end and collects it (SHUTDOWN, SAVE after BGSAVE, the server stopping). */
    void awaitBackground() {
        BackgroundSave running = background;
        if (running == null) {
            return;
        }
        try {
            running.thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        collectBackground();
    }

    long lastSaveSeconds() {
        return lastSaveMillis / 1000;
    }

    /**
     * What the server does before exiting: with {@code saveRequested} (SHUTDOWN SAVE), or when save points are
     * configured and {@code noSave} is false (SHUTDOWN, SIGTERM), a synchronous SAVE. Returns null, or why the save
     * failed (SHUTDOWN then refuses to stop, as Redis does).
     */
    String beforeExit(boolean saveRequested, boolean noSave) {
        awaitBackground();
        if (noSave || !saveRequested && save.isEmpty()) {
            exitHandled = true;
            return null;
        }
        System.out.println("redis: saving the final RDB snapshot before exiting");
        String error = save();
        exitHandled = error == null;
        return error;
    }

    // ---- loading

    /** Loads {@code dbfilename} from {@code dir} if it exists; a file that cannot be loaded stops the start. */
    String loadOnStart() {
        String path = inDir(dbfilename);
        long size = files.size(path);
        if (size == FileSystem.NOT_FOUND) {
            return null;
        }
        if (size < 0) {
            throw new IllegalStateException("Fatal error loading the DB: " + path + ": " + FileErrors.describe(size)
                    + ". Exiting.");
        }
        int handle = files.open(path, FileSystem.READ);
        if (handle < 0) {
            throw new IllegalStateException("Fatal error loading the DB: " + path + ": " + FileErrors.describe(handle)
                    + ". Exiting.");
        }
        long start = System.nanoTime();
        try {
            RdbDecoder in = new RdbDecoder((buffer, offset, length) -> {
                int n = files.read(handle, MemorySegment.ofArray(buffer), offset, length);
                if (n < 0) {
                    throw new RdbFormatException("read error: " + FileErrors.describe(n));
                }
                return n == 0 ? -1 : n;
            }, size);
            RdbLoader.Summary summary = new RdbLoader(keyspace).loadFile(in, System.currentTimeMillis());
            loadedKeys = summary.keys();
            loadedExpired = summary.expiredSkipped();
            summary.notes().forEach(note -> System.err.println("redis: while loading " + path + ": " + note));
            return "DB loaded from disk: " + summary.keys() + " keys (" + summary.expiredSkipped()
                    + " expired skipped) in " + (System.nanoTime() - start) / 1_000_000 + " ms";
        } catch (RdbFormatException e) {
            keyspace.flushAll();
            throw new IllegalStateException("Fatal error loading the DB " + describeDir(dir) + "/" + dbfilename + ": "
                    + e.getMessage() + ". Exiting.");
        } catch (HeapExhausted e) {
            keyspace.flushAll();
            throw new IllegalStateException("Fatal error loading the DB: the compartment heap is too small for "
                    + describeDir(dir) + "/" + dbfilename + ". Exiting.");
        } finally {
            files.close(handle);
        }
    }

    // ---- configuration

    /** The parameters this class owns, with their values as CONFIG GET prints them. */
    List<String[]> configParameters() {
        return List.of(
                new String[] {"save", save.toString()},
                new String[] {"dir", describeDir(dir)},
                new String[] {"dbfilename", dbfilename},
                new String[] {"appendonly", "no"},
                new String[] {"rdb-key-save-delay", Long.toString(keySaveDelayMicros)});
    }

    boolean ownsConfig(String name) {
        return configParameters().stream().anyMatch(p -> p[0].equals(name));
    }

    /** CONFIG SET of one of {@link #configParameters}: null when done, else the error reply's text. */
    String setConfig(String name, String value) {
        String problem = switch (name) {
            case "save" -> {
                SavePoints points = SavePoints.parse(value);
                if (points == null) {
                    yield "Invalid save parameters";
                }
                save = points;
                yield null;
            }
            case "appendonly" -> value.equalsIgnoreCase("no") ? null
                    : value.equalsIgnoreCase("yes") ? "this server has no append-only file (it persists RDB snapshots)"
                    : "argument must be 'yes' or 'no'";
            case "dbfilename" -> {
                if (!protectedConfigs) {
                    yield "can't set protected config";
                }
                String bad = badFileName(value);
                if (bad == null) {
                    dbfilename = value;
                }
                yield bad;
            }
            case "dir" -> protectedConfigs ? changeDir(value) : "can't set protected config";
            case "rdb-key-save-delay" -> {
                try {
                    long micros = Long.parseLong(value);
                    if (micros < 0) {
                        yield "argument must be a positive integer";
                    }
                    keySaveDelayMicros = micros;
                    yield null;
                } catch (NumberFormatException e) {
                    yield "argument couldn't be parsed into an integer";
                }
            }
            default -> "Unknown option or number of arguments for CONFIG SET - '" + name + "'";
        };
        return problem == null ? null
                : "ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + problem;
    }

    /** {@code dir} to a directory inside the mounted root: an absolute host path below it, or relative to {@code dir}. */
    private String changeDir(String value) {
        String path;
        if (value.startsWith("/")) {
            if (root.equals("memory:") || !(value.equals(root) || value.startsWith(root + "/"))) {
                return "the directory is outside this server's file system root " + root;
            }
            path = value.substring(root.length());
        } else {
            path = inDir(value);
        }
        if (path.isEmpty()) {
            path = "/";
        }
        int kind = files.kind(path);
        if (kind != FileSystem.DIRECTORY) {
            return kind < 0 ? FileErrors.describe(kind) : "Not a directory";
        }
        dir = path;
        return null;
    }

    /** The {@code # Persistence} section of INFO, with Redis's field names, and the BGSAVE pause in our own. */
    String info() {
        long now = System.currentTimeMillis();
        return "# Persistence\r\n"
                + "loading:0\r\n"
                + "async_loading:0\r\n"
                + "rdb_changes_since_last_save:" + dirty + "\r\n"
                + "rdb_bgsave_in_progress:" + (background != null ? 1 : 0) + "\r\n"
                + "rdb_last_save_time:" + lastSaveSeconds() + "\r\n"
                + "rdb_last_bgsave_status:" + (lastBackgroundOk ? "ok" : "err") + "\r\n"
                + "rdb_last_bgsave_time_sec:" + lastBackgroundSeconds + "\r\n"
                + "rdb_current_bgsave_time_sec:" + (background != null ? (now - background.startMillis) / 1000 : -1)
                + "\r\n"
                + "rdb_saves:" + saves + "\r\n"
                + "rdb_last_load_keys_expired:" + loadedExpired + "\r\n"
                + "rdb_last_load_keys_loaded:" + loadedKeys + "\r\n"
                + "aof_enabled:0\r\n"
                + "aof_rewrite_in_progress:0\r\n"
                + "aof_rewrite_scheduled:0\r\n"
                + "aof_last_bgrewrite_status:ok\r\n"
                + "aof_last_write_status:ok\r\n"
                + "flexos_bgsave_last_pause_usec:" + lastPauseNanos / 1000 + "\r\n"
                + "flexos_bgsave_longest_pause_usec:" + longestPauseNanos / 1000 + "\r\n"
                + "flexos_vfs_root:" + root.replace("\r", "").replace("\n", "") + "\r\n";
    }
}
