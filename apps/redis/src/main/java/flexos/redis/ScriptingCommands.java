package flexos.redis;

import flexos.lua.api.Loaded;
import flexos.lua.api.ScriptEngine;
import flexos.lua.api.ScriptHost;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scripting as Redis 7.0 has it, over the {@code lua} library's {@link ScriptEngine}: EVAL, EVALSHA, EVAL_RO,
 * EVALSHA_RO, SCRIPT LOAD/EXISTS/FLUSH/KILL, FUNCTION LOAD/LIST/DELETE/FLUSH/DUMP/RESTORE/STATS/KILL, FCALL and
 * FCALL_RO.
 *
 * <p>A script runs on the event loop, so nothing else runs in between: it is atomic. Its {@code redis.call}s run
 * here, on a client of its own (Redis's Lua client) in the caller's database, with the checks Redis makes of a
 * command called from a script (unknown, arity, {@code noscript}, writes from a read-only script, OOM before the
 * first write). Blocking commands answer at once as if timed out. Past {@code busy-reply-threshold} (alias
 * {@code lua-time-limit}) the engine's instruction budget lets the event loop serve the other clients, who get
 * {@code BUSY} for everything but SCRIPT KILL, FUNCTION KILL/STATS and SHUTDOWN NOSAVE.
 *
 * <p>Function libraries go into RDB snapshots as Redis 7.0 writes them (opcode {@code FUNCTION2} with the library's
 * code) and come back from them; FUNCTION DUMP and RESTORE use the same records.
 */
final class ScriptingCommands implements FunctionLibraries {

    /** Not a flag of functions: an EVAL script without a {@code #!lua} line (Redis's compatibility mode). */
    private static final int EVAL_COMPAT = 1 << 16;
    private static final String[] FLAG_NAMES = {"no-writes", "allow-oom", "allow-stale", "no-cluster",
            "allow-cross-slot-keys"};
    /** FUNCTION LOAD's time limit for running a library's body (Redis's LOAD_TIMEOUT_MS). */
    private static final long LOAD_TIMEOUT_MILLIS = 500;

    private record Script(int handle, int flags) {
    }

    private record Function(String name, String description, int flags, Library library, int index) {
    }

    private record Library(String name, int handle, byte[] code, List<Function> functions) {
    }

    /** The script running now, what it may do, and what it did. */
    private final class Running implements ScriptHost {
        final Client caller;
        final boolean eval;
        final String name;
        final boolean readOnly;
        final boolean allowOom;
        final boolean oomAtStart;
        final long startNanos = System.nanoTime();
        final String command;
        boolean writeDirty;
        boolean killed;

        Running(Client caller, boolean eval, String name, int flags, boolean ro) {
            this.caller = caller;
            this.eval = eval;
            this.name = name;
            boolean compat = (flags & EVAL_COMPAT) != 0;
            this.readOnly = ro || (!compat && (flags & ScriptEngine.NO_WRITES) != 0);
            this.allowOom = !compat && (flags & ScriptEngine.ALLOW_OOM) != 0;
            this.oomAtStart = ctx.maxmemory > 0 && ctx.heap.get().used() > ctx.maxmemory;
            this.command = caller.argString(0).toLowerCase(Locale.ROOT);
        }

        long elapsedMillis() {
            return (System.nanoTime() - startNanos) / 1_000_000;
        }

        @Override
        public byte[] call(byte[] request, int resp) {
            return runCommand(this, request, resp);
        }

        @Override
        public boolean proceed() {
            if (killed || shutdownRequested()) {
                return false;
            }
            if (busyThresholdMillis > 0 && elapsedMillis() >= busyThresholdMillis) {
                if (ctx.busyError == null) {
                    System.err.println("redis: slow script detected: still in execution after " + elapsedMillis()
                            + " milliseconds. You can try killing the script using the "
                            + (eval ? "SCRIPT KILL" : "FUNCTION KILL") + " command. Script name is: " + name + ".");
                }
                ctx.busyError = eval
                        ? "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."
                        : "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
                ctx.serveWhileBusy.accept(caller);
            }
            return !killed && !shutdownRequested();
        }

        @Override
        public void log(int level, byte[] message) {
            // Redis's default verbosity (notice) shows notice and warning.
            if (level >= 2) {
                System.out.println("redis: script: " + new String(message, StandardCharsets.ISO_8859_1));
            }
        }
    }

    private final ServerContext ctx;
    private final Dispatcher dispatcher;
    private final ScriptEngine engine;
    private final Client luaClient;
    private final java.util.function.BooleanSupplier shuttingDown;
    private final Map<String, Script> scripts = new LinkedHashMap<>();
    private final Map<String, Library> libraries = new LinkedHashMap<>();
    private final Map<String, Function> functions = new HashMap<>();
    private Running running;
    long busyThresholdMillis = 5000;

    ScriptingCommands(ServerContext ctx, Dispatcher dispatcher, ScriptEngine engine, Client luaClient,
                      java.util.function.BooleanSupplier shuttingDown) {
        this.ctx = ctx;
        this.dispatcher = dispatcher;
        this.engine = engine;
        this.luaClient = luaClient;
        this.shuttingDown = shuttingDown;
    }

    private boolean shutdownRequested() {
        return shuttingDown.getAsBoolean();
    }

    void register(CommandTable t) {
        t.add("eval -3 noscript,skip_monitor,may_replicate,no_mandatory_keys,stale 2 2 1+2 scripting 2.6.0 | "
                + "Runs a Lua script.", c -> eval(c, false, false));
        t.add("evalsha -3 noscript,skip_monitor,may_replicate,no_mandatory_keys,stale 2 2 1+2 scripting 2.6.0 | "
                + "Runs a cached Lua script by its SHA1.", c -> eval(c, true, false));
        t.add("eval_ro -3 readonly,noscript,skip_monitor,no_mandatory_keys,stale 2 2 1+2 scripting 7.0.0 | "
                + "Runs a read-only Lua script.", c -> eval(c, false, true));
        t.add("evalsha_ro -3 readonly,noscript,skip_monitor,no_mandatory_keys,stale 2 2 1+2 scripting 7.0.0 | "
                + "Runs a cached read-only Lua script.", c -> eval(c, true, true));
        t.add("fcall -3 noscript,skip_monitor,may_replicate,no_mandatory_keys,stale 2 2 1+2 scripting 7.0.0 | "
                + "Calls a function.", c -> fcall(c, false));
        t.add("fcall_ro -3 readonly,noscript,skip_monitor,no_mandatory_keys,stale 2 2 1+2 scripting 7.0.0 | "
                + "Calls a read-only function.", c -> fcall(c, true));

        t.add("script -2 - 0 0 0 scripting 2.6.0 | A container for Lua scripts management commands.", null);
        t.addSub("script", "load 3 noscript,stale 0 0 0 scripting 2.6.0 | Compiles a script into the cache.",
                c -> {
                    String sha = cache(c, bytes(c, 2));
                    if (sha != null) {
                        c.addBulkString(sha);
                    }
                });
        t.addSub("script", "exists -3 noscript 0 0 0 scripting 2.6.0 | Whether scripts are in the cache.", c -> {
            c.addArrayHeader(c.argc - 2);
            for (int i = 2; i < c.argc; i++) {
                c.addInteger(scripts.containsKey(c.argString(i).toLowerCase(Locale.ROOT)) ? 1 : 0);
            }
        });
        t.addSub("script", "flush -2 noscript 0 0 0 scripting 2.6.0 | Empties the script cache.", c -> {
            if (c.argc > 3 || (c.argc == 3 && !c.argString(2).equalsIgnoreCase("sync")
                    && !c.argString(2).equalsIgnoreCase("async"))) {
                c.addError("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
                return;
            }
            flushScripts();
            c.addOk();
        });
        t.addSub("script", "kill 2 noscript,allow_busy 0 0 0 scripting 2.6.0 | Stops the running script.",
                c -> kill(c, true));
        t.addSub("script", "help 2 loading,stale 0 0 0 scripting 5.0.0 | Lists the SCRIPT subcommands.",
                c -> Help.reply(c, "SCRIPT", List.of(
                        "EXISTS <sha1> [<sha1> ...]", "    Return information about the existence of the scripts in the script cache.",
                        "FLUSH [ASYNC|SYNC]", "    Flush the Lua scripts cache.",
                        "KILL", "    Kill the currently executing Lua script.",
                        "LOAD <script>", "    Load a script into the scripts cache without executing it.")));

        t.add("function -2 - 0 0 0 scripting 7.0.0 | A container for function commands.", null);
        t.addSub("function", "load -3 write,denyoom,noscript 0 0 0 scripting 7.0.0 | Creates a library.",
                this::functionLoad);
        t.addSub("function", "delete 3 write,noscript 0 0 0 scripting 7.0.0 | Deletes a library and its "
                + "functions.", c -> {
                    Library lib = libraries.get(c.argString(2));
                    if (lib == null) {
                        c.addError("ERR Library not found");
                        return;
                    }
                    remove(lib);
                    c.addOk();
                });
        t.addSub("function", "flush -2 write,noscript 0 0 0 scripting 7.0.0 | Deletes every library.", c -> {
            if (c.argc > 3 || (c.argc == 3 && !c.argString(2).equalsIgnoreCase("async")
                    && !c.argString(2).equalsIgnoreCase("sync"))) {
                c.addError("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
                return;
            }
            flushFunctions();
            c.addOk();
        });
        t.addSub("function", "list -2 noscript 0 0 0 scripting 7.0.0 | Describes the libraries and their "
                + "functions.", this::functionList);
        t.addSub("function", "dump 2 noscript 0 0 0 scripting 7.0.0 | A serialized payload of every library.",
                c -> c.addBulkBytes(dumpPayload()));
        t.addSub("function", "restore -3 write,denyoom,noscript 0 0 0 scripting 7.0.0 | Restores libraries from "
                + "a payload of FUNCTION DUMP.", this::functionRestore);
        t.addSub("function", "stats 2 noscript,allow_busy 0 0 0 scripting 7.0.0 | The running function and the "
                + "engine's counts.", this::functionStats);
        t.addSub("function", "kill 2 noscript,allow_busy 0 0 0 scripting 7.0.0 | Stops the running function.",
                c -> kill(c, false));
        t.addSub("function", "help 2 loading,stale 0 0 0 scripting 7.0.0 | Lists the FUNCTION subcommands.",
                c -> Help.reply(c, "FUNCTION", List.of(
                        "LOAD [REPLACE] <FUNCTION CODE>", "    Create a new library with the given library name and code.",
                        "DELETE <LIBRARY NAME>", "    Delete the given library.",
                        "LIST [LIBRARYNAME PATTERN] [WITHCODE]", "    Return general information on all the libraries.",
                        "FLUSH [ASYNC|SYNC]", "    Deletes all the libraries.",
                        "KILL", "    Kill the current running function.",
                        "STATS", "    Return information about the current function running.",
                        "DUMP", "    Return a serialized payload representing the current libraries.",
                        "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]", "    Restore the libraries represented by the given payload.")));

        ctx.config.register(ServerConfig.integer("busy-reply-threshold", 0, Long.MAX_VALUE,
                () -> busyThresholdMillis, v -> busyThresholdMillis = v), "lua-time-limit");
    }

    // ---- EVAL ----

    private void eval(Client c, boolean bySha, boolean ro) {
        long numkeys = numkeys(c, "ERR value is not an integer or out of range");
        if (numkeys < 0) {
            return;
        }
        String sha;
        if (bySha) {
            sha = c.argString(1).toLowerCase(Locale.ROOT);
            if (!scripts.containsKey(sha)) {
                c.addError("NOSCRIPT No matching script. Please use EVAL.");
                return;
            }
        } else {
            sha = cache(c, bytes(c, 1));
            if (sha == null) {
                return;
            }
        }
        Script script = scripts.get(sha);
        if (!mayStart(c, script.flags, ro)) {
            return;
        }
        run(c, script.handle, -1, (int) numkeys, true, sha, script.flags, ro);
    }

    /** Compiles and caches a script body; returns its SHA1, or null after replying the error. */
    private String cache(Client c, byte[] body) {
        String sha = sha1hex(body);
        if (scripts.containsKey(sha)) {
            return sha;
        }
        int[] shebang = new int[1];
        int flags;
        try {
            flags = shebangFlags(body, shebang);
        } catch (CommandError e) {
            c.addError(e.getMessage());
            return null;
        }
        // The shebang line is left out but its line feed kept, so the script's line numbers stay the user's.
        byte[] code = java.util.Arrays.copyOfRange(body, shebang[0], body.length);
        Loaded loaded = engine.compileScript(code);
        if (!loaded.ok()) {
            c.addError("ERR Error compiling script (new function): " + loaded.error());
            return null;
        }
        scripts.put(sha, new Script(loaded.handle(), flags));
        return sha;
    }

    /** Redis's evalExtractShebangFlags: the flags of a {@code #!lua flags=...} line, or compatibility mode. */
    static int shebangFlags(byte[] body, int[] shebangLength) {
        if (body.length < 2 || body[0] != '#' || body[1] != '!') {
            shebangLength[0] = 0;
            return EVAL_COMPAT;
        }
        int end = 0;
        while (end < body.length && body[end] != '\n') {
            end++;
        }
        if (end == body.length) {
            throw new CommandError("ERR Invalid script shebang");
        }
        shebangLength[0] = end;
        String[] parts = new String(body, 0, end, StandardCharsets.ISO_8859_1).trim().split("\\s+");
        if (parts.length == 0 || parts[0].isEmpty()) {
            throw new CommandError("ERR Invalid engine in script shebang");
        }
        if (!parts[0].equals("#!lua")) {
            throw new CommandError("ERR Unexpected engine in script shebang: " + parts[0]);
        }
        int flags = 0;
        for (int i = 1; i < parts.length; i++) {
            if (!parts[i].startsWith("flags=")) {
                throw new CommandError("ERR Unknown lua shebang option: " + parts[i]);
            }
            String list = parts[i].substring(6);
            if (list.isEmpty()) {
                continue;
            }
            for (String flag : list.split(",", -1)) {
                int bit = flagBit(flag);
                if (bit == 0) {
                    throw new CommandError("ERR Unexpected flag in script shebang: " + flag);
                }
                flags |= bit;
            }
        }
        return flags;
    }

    private static int flagBit(String name) {
        for (int i = 0; i < FLAG_NAMES.length; i++) {
            if (FLAG_NAMES[i].equals(name)) {
                return 1 << i;
            }
        }
        return 0;
    }

    /** Redis's scriptPrepareForRun: what a script's flags forbid before it starts. */
    private boolean mayStart(Client c, int flags, boolean ro) {
        if ((flags & EVAL_COMPAT) != 0) {
            return true;
        }
        if ((flags & ScriptEngine.NO_WRITES) == 0 && ro) {
            c.addError("ERR Can not execute a script with write flag using *_ro command.");
            return false;
        }
        if (ctx.maxmemory > 0 && ctx.heap.get().used() > ctx.maxmemory
                && (flags & (ScriptEngine.ALLOW_OOM | ScriptEngine.NO_WRITES)) == 0) {
            c.addError("OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'");
            return false;
        }
        return true;
    }

    /** Argument 2 as the number of keys, checked against the arguments; -1 after replying an error. */
    private long numkeys(Client c, String notInteger) {
        long n;
        try {
            n = Long.parseLong(c.argString(2));
        } catch (NumberFormatException e) {
            c.addError(notInteger);
            return -1;
        }
        if (n > c.argc - 3) {
            c.addError("ERR Number of keys can't be greater than number of args");
            return -1;
        }
        if (n < 0) {
            c.addError("ERR Number of keys can't be negative");
            return -1;
        }
        return n;
    }

    private void run(Client c, int handle, int function, int numkeys, boolean eval, String name, int flags,
                     boolean ro) {
        byte[] keys = respArray(c, 3, 3 + numkeys);
        byte[] args = respArray(c, 3 + numkeys, c.argc);
        Running r = new Running(c, eval, name, flags, ro);
        boolean wasInExec = dispatcher.inExec;
        running = r;
        luaClient.db = c.db;
        // Blocking commands must answer at once inside a script, as inside EXEC.
        dispatcher.inExec = true;
        byte[] reply;
        try {
            reply = engine.run(handle, function, keys, args, c.resp, name, r);
        } finally {
            dispatcher.inExec = wasInExec;
            running = null;
            ctx.busyError = null;
        }
        if (r.killed) {
            System.err.println("redis: script killed by user with " + (eval ? "SCRIPT KILL." : "FUNCTION KILL."));
        }
        c.addRaw(reply);
    }

    /** Runs one {@code redis.call} on the Lua client, with Redis's checks of a command called from a script. */
    private byte[] runCommand(Running r, byte[] request, int resp) {
        Client lc = luaClient;
        MemorySegment block = ctx.blocks.allocate(Math.max(1, request.length));
        MemorySegment savedQuery = lc.query;
        try {
            MemorySegment.copy(request, 0, block, ValueLayout.JAVA_BYTE, 0, request.length);
            lc.query = block;
            lc.queryLen = request.length;
            lc.queryPos = 0;
            lc.parsePos = 0;
            lc.pendingArgs = 0;
            lc.bulkLen = -1;
            lc.argc = 0;
            if (RequestParser.parse(lc, Long.MAX_VALUE) != RequestParser.COMPLETE || lc.argc == 0) {
                return error("ERR Unknown Redis command called from script");
            }
            Command command = ctx.table.find(lc.query, lc.argOff[0], lc.argLen[0]);
            if (command != null && command.isContainer() && (command.handler == null || lc.argc >= 2)) {
                command = lc.argc >= 2
                        ? command.subcommands.get(lc.argString(1).toLowerCase(Locale.ROOT)) : null;
            }
            if (command == null) {
                return error("ERR Unknown Redis command called from script");
            }
            if (!command.arityAccepts(lc.argc)) {
                return error("ERR Wrong number of args calling Redis command from script");
            }
            if (command.flags.contains("noscript")) {
                return error("ERR This Redis command is not allowed from script");
            }
            boolean mayWrite = command.write || command.flags.contains("may_replicate");
            if (r.readOnly && mayWrite) {
                return error("ERR Write commands are not allowed from read-only scripts.");
            }
            if (!r.allowOom && !r.writeDirty && r.oomAtStart && command.denyOom) {
                return error("OOM command not allowed when used memory > 'maxmemory'.");
            }
            if (command.write) {
                r.writeDirty = true;
            }
            lc.resp = resp;
            lc.replyLen = 0;
            lc.replySent = 0;
            dispatcher.call(lc, command);
            byte[] reply = new byte[lc.replyLen - lc.replySent];
            MemorySegment.copy(lc.reply, ValueLayout.JAVA_BYTE, lc.replySent, reply, 0, reply.length);
            lc.replyLen = 0;
            lc.replySent = 0;
            if (lc.broken) {
                lc.broken = false;
                return error("ERR reply too large for a script");
            }
            return reply;
        } finally {
            lc.query = savedQuery;
            lc.queryLen = 0;
            lc.queryPos = 0;
            lc.parsePos = 0;
            lc.argc = 0;
            ctx.blocks.free(block);
        }
    }

    private static byte[] error(String message) {
        return ("-" + message + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private void kill(Client c, boolean eval) {
        Running r = running;
        if (r == null) {
            c.addError("NOTBUSY No scripts in execution right now.");
            return;
        }
        if (r.writeDirty) {
            c.addError("UNKILLABLE Sorry the script already executed write commands against the dataset. You can "
                    + "either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE "
                    + "command.");
            return;
        }
        if (eval && !r.eval) {
            c.addError("BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.");
            return;
        }
        if (!eval && r.eval) {
            c.addError("BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.");
            return;
        }
        r.killed = true;
        c.addOk();
    }

    private void flushScripts() {
        for (Script s : scripts.values()) {
            engine.free(s.handle);
        }
        scripts.clear();
    }

    // ---- FUNCTION ----

    private void fcall(Client c, boolean ro) {
        Function f = functions.get(c.argString(1));
        if (f == null) {
            c.addError("ERR Function not found");
            return;
        }
        long numkeys = numkeys(c, "ERR Bad number of keys provided");
        if (numkeys < 0) {
            return;
        }
        if (!mayStart(c, f.flags, ro)) {
            return;
        }
        run(c, f.library.handle, f.index, (int) numkeys, false, f.name, f.flags, ro);
    }

    private void functionLoad(Client c) {
        boolean replace = false;
        int at = 2;
        for (; at < c.argc - 1; at++) {
            if (c.argString(at).equalsIgnoreCase("replace")) {
                replace = true;
            } else {
                c.addError("ERR Unknown option given: " + c.argString(at));
                return;
            }
        }
        if (at >= c.argc) {
            c.addError("ERR Function code is missing");
            return;
        }
        String error = create(bytes(c, at), replace);
        if (error.startsWith("+")) {
            c.addBulkString(error.substring(1));
        } else {
            c.addError("ERR " + error);
        }
    }

    /**
     * Redis's functionsCreateWithLibraryCtx: reads the {@code #!ENGINE name=LIB} line, loads the library and
     * installs its functions. Returns {@code +LIB} on success, otherwise the error without its code.
     */
    private String create(byte[] code, boolean replace) {
        String name;
        try {
            name = libraryName(code);
        } catch (CommandError e) {
            return e.getMessage();
        }
        Library old = libraries.get(name);
        if (old != null && !replace) {
            return "Library '" + name + "' already exists";
        }
        Loaded loaded = engine.loadLibrary(code, LOAD_TIMEOUT_MILLIS);
        if (!loaded.ok()) {
            return loaded.error();
        }
        List<Function> fs = new ArrayList<>();
        Library lib = new Library(name, loaded.handle(), code, fs);
        int count = engine.functionCount(loaded.handle());
        for (int i = 0; i < count; i++) {
            String fname = engine.functionName(loaded.handle(), i);
            Function existing = functions.get(fname);
            if (existing != null && existing.library != old) {
                engine.free(loaded.handle());
                return "Function " + fname + " already exists";
            }
            fs.add(new Function(fname, engine.functionDescription(loaded.handle(), i),
                    engine.functionFlags(loaded.handle(), i), lib, i));
        }
        if (old != null) {
            remove(old);
        }
        libraries.put(name, lib);
        for (Function f : fs) {
            functions.put(f.name, f);
        }
        return "+" + name;
    }

    /** The library name of a {@code #!lua name=LIB} line, with Redis's errors (without their code). */
    private static String libraryName(byte[] code) {
        if (code.length < 2 || code[0] != '#' || code[1] != '!') {
            throw new CommandError("Missing library metadata");
        }
        int end = 0;
        while (end < code.length && code[end] != '\n') {
            end++;
        }
        if (end == code.length) {
            throw new CommandError("Invalid library metadata");
        }
        String[] parts = new String(code, 0, end, StandardCharsets.ISO_8859_1).trim().split("\\s+");
        if (parts.length == 0 || parts[0].length() < 2) {
            throw new CommandError("Invalid library metadata");
        }
        String engineName = parts[0].substring(2);
        String name = null;
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].regionMatches(true, 0, "name=", 0, 5)) {
                if (name != null) {
                    throw new CommandError("Invalid metadata value, name argument was given multiple times");
                }
                name = parts[i].substring(5);
                continue;
            }
            throw new CommandError("Invalid metadata value given: " + parts[i]);
        }
        if (name == null) {
            throw new CommandError("Library name was not given");
        }
        if (!validName(name)) {
            throw new CommandError("Library names can only contain letters, numbers, or underscores(_) and must be "
                    + "at least one character long");
        }
        if (!engineName.equalsIgnoreCase("lua")) {
            throw new CommandError("Engine '" + engineName + "' not found");
        }
        return name;
    }

    private static boolean validName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (!(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_')) {
                return false;
            }
        }
        return true;
    }

    private void remove(Library lib) {
        for (Function f : lib.functions) {
            functions.remove(f.name, f);
        }
        libraries.remove(lib.name);
        engine.free(lib.handle);
    }

    private void flushFunctions() {
        for (Library lib : List.copyOf(libraries.values())) {
            remove(lib);
        }
    }

    private void functionList(Client c) {
        boolean withCode = false;
        String pattern = null;
        for (int i = 2; i < c.argc; i++) {
            String arg = c.argString(i);
            if (!withCode && arg.equalsIgnoreCase("withcode")) {
                withCode = true;
                continue;
            }
            if (pattern == null && arg.equalsIgnoreCase("libraryname")) {
                if (i >= c.argc - 1) {
                    c.addError("ERR library name argument was not given");
                    return;
                }
                pattern = c.argString(++i);
                continue;
            }
            c.addError("ERR Unknown argument " + arg);
            return;
        }
        List<Library> shown = new ArrayList<>();
        for (Library lib : libraries.values()) {
            if (pattern == null || ctx.patterns.fnmatch(MemorySegment.ofArray(pattern.getBytes(StandardCharsets.ISO_8859_1)),
                    0, pattern.length(), MemorySegment.ofArray(lib.name.getBytes(StandardCharsets.ISO_8859_1)), 0,
                    lib.name.length())) {
                shown.add(lib);
            }
        }
        c.addArrayHeader(shown.size());
        for (Library lib : shown) {
            c.addMapHeader(withCode ? 4 : 3);
            c.addBulkString("library_name");
            c.addBulkString(lib.name);
            c.addBulkString("engine");
            c.addBulkString("LUA");
            c.addBulkString("functions");
            c.addArrayHeader(lib.functions.size());
            for (Function f : lib.functions) {
                c.addMapHeader(3);
                c.addBulkString("name");
                c.addBulkString(f.name);
                c.addBulkString("description");
                if (f.description == null) {
                    c.addNull();
                } else {
                    c.addBulkString(f.description);
                }
                c.addBulkString("flags");
                List<String> names = new ArrayList<>();
                for (int b = 0; b < FLAG_NAMES.length; b++) {
                    if ((f.flags & (1 << b)) != 0) {
                        names.add(FLAG_NAMES[b]);
                    }
                }
                c.addSetHeader(names.size());
                for (String n : names) {
                    c.addBulkString(n);
                }
            }
            if (withCode) {
                c.addBulkString("library_code");
                c.addBulkBytes(lib.code);
            }
        }
    }

    private void functionStats(Client c) {
        Running r = running;
        if (r != null && r.eval) {
            c.addError("BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.");
            return;
        }
        c.addMapHeader(2);
        c.addBulkString("running_script");
        if (r == null) {
            c.addNull();
        } else {
            c.addMapHeader(3);
            c.addBulkString("name");
            c.addBulkString(r.name);
            c.addBulkString("command");
            Client caller = r.caller;
            c.addArrayHeader(caller.argc);
            for (int i = 0; i < caller.argc; i++) {
                c.addBulkBytes(bytes(caller, i));
            }
            c.addBulkString("duration_ms");
            c.addInteger(r.elapsedMillis());
        }
        c.addBulkString("engines");
        c.addMapHeader(1);
        c.addBulkString("LUA");
        c.addMapHeader(2);
        c.addBulkString("libraries_count");
        c.addInteger(libraries.size());
        c.addBulkString("functions_count");
        c.addInteger(functions.size());
    }

    /** FUNCTION DUMP's payload: a FUNCTION2 record per library, the RDB version (2 bytes), then the CRC-64. */
    private byte[] dumpPayload() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Library lib : libraries.values()) {
            out.write(RdbFormat.FUNCTION2);
            writeRdbString(out, lib.code);
        }
        out.write(RdbFormat.VERSION & 0xff);
        out.write((RdbFormat.VERSION >> 8) & 0xff);
        byte[] body = out.toByteArray();
        long crc = Crc64.update(0, body, 0, body.length);
        for (int i = 0; i < 8; i++) {
            out.write((int) (crc >>> (8 * i)) & 0xff);
        }
        return out.toByteArray();
    }

    /** An RDB string without compression: its length in RDB's length encoding, then its bytes. */
    private static void writeRdbString(ByteArrayOutputStream out, byte[] s) {
        long n = s.length;
        if (n < 64) {
            out.write((int) n);
        } else if (n < 16384) {
            out.write(0x40 | (int) (n >> 8));
            out.write((int) n & 0xff);
        } else {
            out.write(0x80);
            for (int i = 3; i >= 0; i--) {
                out.write((int) (n >>> (8 * i)) & 0xff);
            }
        }
        out.writeBytes(s);
    }

    private void functionRestore(Client c) {
        if (c.argc > 4) {
            c.addError("ERR unknown subcommand or wrong number of arguments for 'restore'. Try FUNCTION HELP.");
            return;
        }
        String policy = c.argc == 4 ? c.argString(3).toLowerCase(Locale.ROOT) : "append";
        if (!policy.equals("append") && !policy.equals("replace") && !policy.equals("flush")) {
            c.addError("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
            return;
        }
        byte[] payload = bytes(c, 2);
        if (!PersistenceCommands.validDump(payload)) {
            c.addError("ERR DUMP payload version or checksum are wrong");
            return;
        }
        List<byte[]> codes = new ArrayList<>();
        RdbDecoder in = RdbDecoder.of(payload, 0, payload.length - 10);
        try {
            while (!in.atEnd()) {
                int type = in.readByte();
                if (type != RdbFormat.FUNCTION2) {
                    c.addError("ERR given type is not a function");
                    return;
                }
                codes.add(in.readString());
            }
        } catch (RuntimeException e) {
            c.addError("ERR failed loading the given functions payload");
            return;
        }
        // All or nothing: check every library against what stays before changing anything.
        Map<String, String> libraryOf = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (byte[] code : codes) {
            String name;
            try {
                name = libraryName(code);
            } catch (CommandError e) {
                c.addError("ERR " + e.getMessage());
                return;
            }
            if (policy.equals("append") && libraries.containsKey(name)) {
                c.addError("ERR Library " + name + " already exists");
                return;
            }
            names.add(name);
        }
        for (Function f : functions.values()) {
            if (policy.equals("flush") || (policy.equals("replace") && names.contains(f.library.name))) {
                continue;
            }
            libraryOf.put(f.name, f.library.name);
        }
        Map<String, Library> savedLibraries = new LinkedHashMap<>(libraries);
        Map<String, Function> savedFunctions = new HashMap<>(functions);
        if (policy.equals("flush")) {
            libraries.clear();
            functions.clear();
        }
        List<Library> added = new ArrayList<>();
        for (byte[] code : codes) {
            String error = create(code, true);
            if (!error.startsWith("+")) {
                for (Library lib : added) {
                    engine.free(lib.handle);
                }
                libraries.clear();
                libraries.putAll(savedLibraries);
                functions.clear();
                functions.putAll(savedFunctions);
                c.addError("ERR " + error);
                return;
            }
            Library lib = libraries.get(error.substring(1));
            for (Function f : lib.functions) {
                String other = libraryOf.get(f.name);
                if (other != null && !other.equals(lib.name)) {
                    for (Library a : added) {
                        engine.free(a.handle);
                    }
                    engine.free(lib.handle);
                    libraries.clear();
                    libraries.putAll(savedLibraries);
                    functions.clear();
                    functions.putAll(savedFunctions);
                    c.addError("ERR Function " + f.name + " already exists");
                    return;
                }
            }
            added.add(lib);
        }
        if (policy.equals("flush")) {
            for (Library lib : savedLibraries.values()) {
                engine.free(lib.handle);
            }
        }
        c.addOk();
    }

    // ---- FunctionLibraries (RDB) ----

    @Override
    public List<byte[]> codes() {
        List<byte[]> out = new ArrayList<>();
        for (Library lib : libraries.values()) {
            out.add(lib.code);
        }
        return out;
    }

    @Override
    public String restore(byte[] code) {
        String result = create(code, false);
        return result.startsWith("+") ? null : result;
    }

    @Override
    public void clear() {
        flushFunctions();
    }

    /** Frees the Lua client's buffers and forgets every script and library (when the server stops). */
    void close() {
        flushScripts();
        flushFunctions();
        luaClient.release();
    }

    // ---- helpers ----

    private static byte[] bytes(Client c, int i) {
        byte[] b = new byte[c.argLen[i]];
        MemorySegment.copy(c.query, ValueLayout.JAVA_BYTE, c.argOff[i], b, 0, b.length);
        return b;
    }

    /** Arguments {@code [from, to)} as a RESP array of bulk strings. */
    private static byte[] respArray(Client c, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("*" + (to - from) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (int i = from; i < to; i++) {
            byte[] b = bytes(c, i);
            out.writeBytes(("$" + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(b);
            out.write('\r');
            out.write('\n');
        }
        return out.toByteArray();
    }

    static String sha1hex(byte[] data) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-1").digest(data);
            StringBuilder hex = new StringBuilder(40);
            for (byte b : digest) {
                hex.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
            }
            return hex.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
