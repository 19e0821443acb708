package flexos.redis;

import flexos.alloc.api.HeapStats;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Server commands: INFO with Redis's sections and field names, CONFIG GET/SET/RESETSTAT/REWRITE over the parameters
 * the server really implements, COMMAND built from the command table, TIME and SHUTDOWN.
 */
final class ServerCommands {

    static final String REDIS_VERSION = ServerContext.REDIS_VERSION;

    private final ServerContext ctx;
    private final Dispatcher dispatcher;
    private final String runId;
    private long peakMemory;
    /** The owner of the persistence parameters, of INFO persistence and of SHUTDOWN's final save, once enabled. */
    private Persistence persistence;

    ServerCommands(ServerContext ctx, Dispatcher dispatcher) {
        this.ctx = ctx;
        this.dispatcher = dispatcher;
        StringBuilder id = new StringBuilder();
        java.util.Random random = new java.util.Random();
        for (int i = 0; i < 40; i++) {
            id.append(Character.forDigit(random.nextInt(16), 16));
        }
        this.runId = id.toString();
        registerParameters(ctx.config);
        ctx.ks.limits.register(ctx.config);
    }

    void register(CommandTable t) {
        t.add("info -1 loading,stale 0 0 0 server 1.0.0 | Information and statistics about the server, by "
                + "section.", this::info);
        t.add("config -2 - 0 0 0 server 2.0.0 | A container for configuration commands.", null);
        t.addSub("config", "get -3 admin,noscript,loading,stale 0 0 0 server 2.0.0 | The values of configuration "
                + "parameters matching glob patterns.", this::configGet);
        t.addSub("config", "set -4 admin,noscript,loading,stale 0 0 0 server 2.0.0 | Sets configuration "
                + "parameters; all or none take effect.", this::configSet);
        t.addSub("config", "resetstat 2 admin,noscript,loading,stale 0 0 0 server 2.0.0 | Resets the statistics "
                + "INFO reports.", this::resetStat);
        t.addSub("config", "rewrite 2 admin,noscript,loading,stale 0 0 0 server 2.8.0 | Writes the configuration "
                + "back to its file.", c -> c.addError("ERR The server is running without a config file"));
        t.addSub("config", "help 2 loading,stale 0 0 0 server 5.0.0 | Shows the CONFIG subcommands.",
                c -> Help.reply(c, "CONFIG", List.of("GET <pattern>",
                        "    Return parameters matching the glob-like <pattern> and their values.",
                        "SET <directive> <value>", "    Set the configuration <directive> to <value>.",
                        "RESETSTAT", "    Reset statistics reported by the INFO command.", "REWRITE",
                        "    Rewrite the configuration file.")));
        t.add("command -1 loading,stale 0 0 0 server 2.8.13 | Describes every command of the server.",
                this::commandInfoAll);
        t.addSub("command", "count 2 loading,stale 0 0 0 server 2.8.13 | The number of commands.",
                c -> c.addInteger(ctx.table.all().size()));
        t.addSub("command", "info -2 loading,stale 0 0 0 server 2.8.13 | Describes the named commands.",
                this::commandInfo);
        t.addSub("command", "docs -2 loading,stale 0 0 0 server 7.0.0 | Documents the named commands, or all.",
                this::commandDocs);
        t.addSub("command", "list -2 loading,stale 0 0 0 server 7.0.0 | The names of the commands, optionally "
                + "filtered.", this::commandList);
        t.addSub("command", "getkeys -3 loading,stale 0 0 0 server 2.8.13 | The key arguments of a full "
                + "command.", this::commandGetKeys);
        t.addSub("command", "help 2 loading,stale 0 0 0 server 5.0.0 | Shows the COMMAND subcommands.",
                c -> Help.reply(c, "COMMAND", List.of("(no subcommand)",
                        "    Return details about all Redis commands.", "COUNT",
                        "    Return the total number of commands in this Redis server.", "LIST",
                        "    Return a list of all commands in this Redis server.", "INFO [<command-name> ...]",
                        "    Return details about multiple Redis commands.",
                        "    If no command names are given, documentation details for all",
                        "    commands are returned.", "DOCS [<command-name> ...]",
                        "    Return documentation details about multiple Redis commands.",
                        "    If no command names are given, documentation details for all",
                        "    commands are returned.", "GETKEYS <full-command>",
                        "    Return the keys from a full Redis command.")));
        t.add("time 1 loading,stale,fast 0 0 0 server 2.6.0 | The server's clock: seconds and microseconds.",
                c -> {
                    long micros = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
                    c.addArrayHeader(2);
                    c.addBulkString(Long.toString(micros / 1_000_000));
                    c.addBulkString(Long.toString(micros % 1_000_000));
                });
        t.add("shutdown -1 admin,noscript,loading,stale,no_multi,allow_busy 0 0 0 server 1.0.0 | Stops the "
                + "server.", this::shutdown);
    }

    /** Hands the persistence parameters (save, dir, dbfilename, appendonly...) to {@code p}. */
    void enablePersistence(Persistence p) {
        this.persistence = p;
        for (String[] parameter : p.configParameters()) {
            String name = parameter[0];
            ctx.config.replace(ServerConfig.string(name, () -> {
                for (String[] current : p.configParameters()) {
                    if (current[0].equals(name)) {
                        return current[1];
                    }
                }
                return "";
            }, v -> {
                String error = p.setConfig(name, v);
                if (error != null) {
                    int reason = error.indexOf(") - ");
                    throw new IllegalArgumentException(reason < 0 ? error : error.substring(reason + 4));
                }
            }));
        }
    }

    // ---- CONFIG ----

    private void registerParameters(ServerConfig config) {
        config.register(ServerConfig.string("requirepass", () -> ctx.requirepass == null ? "" : ctx.requirepass,
                v -> ctx.requirepass = v.isEmpty() ? null : v));
        config.register(ServerConfig.memory("maxmemory", Long.MAX_VALUE, () -> ctx.maxmemory, v -> ctx.maxmemory = v));
        config.register(ServerConfig.string("maxmemory-policy", () -> "noeviction", v -> {
            if (!v.equalsIgnoreCase("noeviction")) {
                throw new IllegalArgumentException("this server evicts no keys: only noeviction is implemented");
            }
        }));
        config.register(ServerConfig.integer("maxclients", 1, Integer.MAX_VALUE, () -> ctx.maxclients,
                v -> ctx.maxclients = v));
        config.register(ServerConfig.integer("timeout", 0, Integer.MAX_VALUE, () -> ctx.timeoutSeconds,
                v -> ctx.timeoutSeconds = v));
        config.register(ServerConfig.memory("proto-max-bulk-len", Long.MAX_VALUE, () -> ctx.protoMaxBulkLen, v -> {
            if (v < 1024 * 1024) {
                throw new IllegalArgumentException("argument must be a memory value of at least 1mb");
            }
            ctx.protoMaxBulkLen = v;
        }));
        config.register(ServerConfig.memory("client-query-buffer-limit", Long.MAX_VALUE, () -> ctx.queryBufferLimit,
                v -> {
                    if (v < 1024 * 1024) {
                        throw new IllegalArgumentException("argument must be a memory value of at least 1mb");
                    }
                    ctx.queryBufferLimit = v;
                }));
        config.register(ServerConfig.immutable("databases", () -> Integer.toString(Keyspace.DATABASES)));
        config.register(ServerConfig.immutable("port", () -> Integer.toString(ctx.port)));
        config.register(ServerConfig.immutable("bind", () -> ctx.bind));
        // Persistence is not part of this server yet: these accept only the values that describe it truthfully.
        config.register(ServerConfig.string("save", () -> "", v -> {
            if (!v.isBlank()) {
                throw new IllegalArgumentException("this server has no persistence yet: only an empty save "
                        + "schedule is true of it");
            }
        }));
        config.register(ServerConfig.string("appendonly", () -> "no", v -> {
            if (!v.equalsIgnoreCase("no")) {
                throw new IllegalArgumentException("this server has no append-only file yet: only 'no' is true "
                        + "of it");
            }
        }));
    }

    private void configGet(Client c) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int j = 2; j < c.argc; j++) {
            byte[] pattern = c.argString(j).toLowerCase(Locale.ROOT).getBytes(StandardCharsets.ISO_8859_1);
            for (Map.Entry<String, ServerConfig.Parameter> e : ctx.config.names()) {
                byte[] name = e.getKey().getBytes(StandardCharsets.ISO_8859_1);
                if (!out.containsKey(e.getKey()) && ctx.patterns.fnmatch(MemorySegment.ofArray(pattern), 0,
                        pattern.length, MemorySegment.ofArray(name), 0, name.length)) {
                    out.put(e.getKey(), e.getValue().get());
                }
            }
        }
        c.addMapHeader(out.size());
        for (Map.Entry<String, String> e : out.entrySet()) {
            c.addBulkString(e.getKey());
            c.addBulkString(e.getValue());
        }
    }

    private void configSet(Client c) {
        if ((c.argc & 1) != 0) {
            c.addSyntaxError();
            return;
        }
        List<ServerConfig.Parameter> params = new ArrayList<>();
        for (int j = 2; j < c.argc; j += 2) {
            ServerConfig.Parameter p = ctx.config.lookup(c.argString(j));
            if (p == null) {
                c.addError("ERR Unknown option or number of arguments for CONFIG SET - '" + c.argString(j) + "'");
                return;
            }
            if (p.immutable()) {
                c.addError("ERR CONFIG SET failed (possibly related to argument '" + c.argString(j)
                        + "') - can't set immutable config");
                return;
            }
            if (params.contains(p)) {
                c.addError("ERR CONFIG SET failed (possibly related to argument '" + c.argString(j)
                        + "') - duplicate parameter");
                return;
            }
            params.add(p);
        }
        List<String> old = new ArrayList<>();
        for (ServerConfig.Parameter p : params) {
            old.add(p.get());
        }
        for (int k = 0; k < params.size(); k++) {
            try {
                params.get(k).set(c.argString(3 + 2 * k));
            } catch (IllegalArgumentException e) {
                for (int r = 0; r < k; r++) {
                    params.get(r).set(old.get(r));
                }
                c.addError("ERR CONFIG SET failed (possibly related to argument '" + params.get(k).name() + "') - "
                        + e.getMessage());
                return;
            }
        }
        c.addOk();
    }

    private void resetStat(Client c) {
        ServerStats s = ctx.stats;
        s.commandsProcessed = 0;
        s.connectionsReceived = 0;
        s.rejectedConnections = 0;
        for (Database db : ctx.ks.databases) {
            db.expiredKeys = 0;
        }
        for (Command cmd : ctx.table.allWithSubcommands()) {
            cmd.calls = 0;
            cmd.micros = 0;
            cmd.rejectedCalls = 0;
            cmd.failedCalls = 0;
        }
        dispatcher.resetErrorStats();
        c.addOk();
    }

    // ---- INFO ----

    private static final List<String> DEFAULT_SECTIONS = List.of("server", "clients", "memory", "persistence",
            "stats", "replication", "cpu", "modules", "errorstats", "cluster", "keyspace");
    private static final List<String> ALL_SECTIONS;

    static {
        List<String> all = new ArrayList<>(DEFAULT_SECTIONS);
        all.add(all.indexOf("errorstats"), "commandstats");
        ALL_SECTIONS = List.copyOf(all);
    }

    private void info(Client c) {
        Set<String> wanted = new LinkedHashSet<>();
        if (c.argc == 1) {
            wanted.addAll(DEFAULT_SECTIONS);
        }
        for (int j = 1; j < c.argc; j++) {
            String s = c.argString(j).toLowerCase(Locale.ROOT);
            switch (s) {
                case "default" -> wanted.addAll(DEFAULT_SECTIONS);
                case "all", "everything" -> wanted.addAll(ALL_SECTIONS);
                default -> wanted.add(s);
            }
        }
        StringBuilder out = new StringBuilder();
        for (String section : ALL_SECTIONS) {
            if (!wanted.contains(section)) {
                continue;
            }
            if (!out.isEmpty()) {
                out.append("\r\n");
            }
            section(out, section);
        }
        c.addVerbatim(out.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void field(StringBuilder out, String name, Object value) {
        out.append(name).append(':').append(value).append("\r\n");
    }

    private void section(StringBuilder out, String name) {
        long now = System.currentTimeMillis();
        switch (name) {
            case "server" -> {
                out.append("# Server\r\n");
                field(out, "redis_version", ServerContext.REDIS_VERSION);
                field(out, "redis_git_sha1", "00000000");
                field(out, "redis_git_dirty", 0);
                field(out, "redis_build_id", "flexos-j");
                field(out, "redis_mode", "standalone");
                field(out, "flexos_image", "flexos-j redis library (compartmentalised LibOS image)");
                field(out, "os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
                field(out, "arch_bits", 64);
                field(out, "monotonic_clock", "System.nanoTime");
                field(out, "multiplexing_api", "flexos-net");
                field(out, "process_id", ProcessHandle.current().pid());
                field(out, "process_supervised", "no");
                field(out, "run_id", runId);
                field(out, "tcp_port", ctx.port);
                field(out, "server_time_usec", now * 1000);
                field(out, "uptime_in_seconds", (now - ctx.startMillis) / 1000);
                field(out, "uptime_in_days", (now - ctx.startMillis) / 86_400_000);
                field(out, "hz", 10);
                field(out, "configured_hz", 10);
                field(out, "lru_clock", LruClock.now & 0xffffff);
                field(out, "config_file", "");
                field(out, "io_threads_active", 0);
            }
            case "clients" -> {
                long maxIn = 0;
                long maxOut = 0;
                for (Client other : ctx.clients.values()) {
                    maxIn = Math.max(maxIn, other.query.byteSize());
                    maxOut = Math.max(maxOut, other.reply.byteSize());
                }
                out.append("# Clients\r\n");
                field(out, "connected_clients", ctx.stats.connectedClients);
                field(out, "cluster_connections", 0);
                field(out, "maxclients", ctx.maxclients);
                field(out, "client_recent_max_input_buffer", maxIn);
                field(out, "client_recent_max_output_buffer", maxOut);
                field(out, "blocked_clients", ctx.ks.observers.blockedClientCount());
                field(out, "tracking_clients", 0);
                field(out, "clients_in_timeout_table", ctx.ks.observers.blockedClientCount());
            }
            case "memory" -> {
                HeapStats h = ctx.heap.get();
                peakMemory = Math.max(peakMemory, h.used());
                out.append("# Memory\r\n");
                field(out, "used_memory", h.used());
                field(out, "used_memory_human", human(h.used()));
                field(out, "used_memory_peak", peakMemory);
                field(out, "used_memory_peak_human", human(peakMemory));
                field(out, "total_system_memory", h.capacity());
                field(out, "total_system_memory_human", human(h.capacity()));
                field(out, "maxmemory", ctx.maxmemory);
                field(out, "maxmemory_human", human(ctx.maxmemory));
                field(out, "maxmemory_policy", "noeviction");
                field(out, "allocator_allocations", h.allocations());
                field(out, "mem_allocator", "flexos-alloc");
            }
            case "persistence" -> {
                if (persistence != null) {
                    out.append(persistence.info());
                    break;
                }
                out.append("# Persistence\r\n");
                field(out, "loading", 0);
                field(out, "async_loading", 0);
                field(out, "rdb_changes_since_last_save", ctx.ks.dirty);
                field(out, "rdb_bgsave_in_progress", 0);
                field(out, "aof_enabled", 0);
                field(out, "aof_rewrite_in_progress", 0);
            }
            case "stats" -> {
                long expired = 0;
                for (Database db : ctx.ks.databases) {
                    expired += db.expiredKeys;
                }
                out.append("# Stats\r\n");
                field(out, "total_connections_received", ctx.stats.connectionsReceived);
                field(out, "total_commands_processed", ctx.stats.commandsProcessed);
                field(out, "rejected_connections", ctx.stats.rejectedConnections);
                field(out, "expired_keys", expired);
                field(out, "evicted_keys", 0);
                field(out, "pubsub_channels", ctx.pubsub.channels.size());
                field(out, "pubsub_patterns", ctx.pubsub.patterns.size());
                field(out, "total_error_replies", dispatcher.totalErrorReplies);
            }
            case "replication" -> {
                out.append("# Replication\r\n");
                field(out, "role", "master");
                field(out, "connected_slaves", 0);
                field(out, "master_failover_state", "no-failover");
                field(out, "master_replid", runId);
                field(out, "master_replid2", "0000000000000000000000000000000000000000");
                field(out, "master_repl_offset", 0);
                field(out, "second_repl_offset", -1);
                field(out, "repl_backlog_active", 0);
            }
            case "cpu" -> {
                // Redis splits user and system time (getrusage). Without a management or /proc capability this
                // library can only read the process's total CPU time, so it reports that under its own name.
                out.append("# CPU\r\n");
                java.util.Optional<java.time.Duration> total = ProcessHandle.current().info().totalCpuDuration();
                field(out, "used_cpu_total", String.format(Locale.ROOT, "%.6f",
                        total.map(d -> d.toNanos() / 1e9).orElse(0.0)));
            }
            case "modules" -> out.append("# Modules\r\n");
            case "commandstats" -> {
                out.append("# Commandstats\r\n");
                for (Command cmd : ctx.table.allWithSubcommands()) {
                    if (cmd.calls == 0 && cmd.rejectedCalls == 0 && cmd.failedCalls == 0 || cmd.handler == null) {
                        continue;
                    }
                    out.append("cmdstat_").append(cmd.fullName).append(":calls=").append(cmd.calls)
                            .append(",usec=").append(cmd.micros).append(",usec_per_call=")
                            .append(String.format(Locale.ROOT, "%.2f", cmd.calls == 0 ? 0.0
                                    : (double) cmd.micros / cmd.calls))
                            .append(",rejected_calls=").append(cmd.rejectedCalls)
                            .append(",failed_calls=").append(cmd.failedCalls).append("\r\n");
                }
            }
            case "errorstats" -> {
                out.append("# Errorstats\r\n");
                for (Map.Entry<String, Long> e : dispatcher.errorCounts().entrySet()) {
                    out.append("errorstat_").append(e.getKey()).append(":count=").append(e.getValue()).append("\r\n");
                }
            }
            case "cluster" -> {
                out.append("# Cluster\r\n");
                field(out, "cluster_enabled", 0);
            }
            case "keyspace" -> {
                out.append("# Keyspace\r\n");
                for (Database db : ctx.ks.databases) {
                    if (db.size() > 0) {
                        out.append("db").append(db.index).append(":keys=").append(db.size())
                                .append(",expires=").append(db.expires.size()).append(",avg_ttl=0\r\n");
                    }
                }
            }
            default -> { }
        }
    }

    private static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + "B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.2fK", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.2fM", bytes / (1024.0 * 1024.0));
        }
        return String.format(Locale.ROOT, "%.2fG", bytes / (1024.0 * 1024.0 * 1024.0));
    }

    // ---- COMMAND ----

    private void writeInfo(Client c, Command cmd) {
        c.addArrayHeader(10);
        c.addBulkString(cmd.fullName);
        c.addInteger(cmd.arity);
        List<String> flags = cmd.shownFlags();
        c.addSetHeader(flags.size());
        for (String f : flags) {
            c.addStatus(f);
        }
        boolean keyed = cmd.firstKey > 0;
        c.addInteger(keyed ? cmd.firstKey : 0);
        c.addInteger(keyed ? cmd.lastKey : 0);
        c.addInteger(keyed ? cmd.keyStep : 0);
        List<String> acl = cmd.aclCategories();
        c.addSetHeader(acl.size());
        for (String a : acl) {
            c.addStatus(a);
        }
        c.addSetHeader(0);
        writeKeySpecs(c, cmd);
        c.addArrayHeader(cmd.subcommands.size());
        for (Command sub : cmd.subcommands.values()) {
            writeInfo(c, sub);
        }
    }

    private static void writeKeySpecs(Client c, Command cmd) {
        int specs = (cmd.firstKey > 0 ? 1 : 0) + (cmd.keyCountArg > 0 ? 1 : 0);
        c.addArrayHeader(specs);
        String access = cmd.write ? "RW" : "RO";
        if (cmd.firstKey > 0) {
            c.addMapHeader(3);
            c.addBulkString("flags");
            c.addSetHeader(1);
            c.addStatus(access);
            c.addBulkString("begin_search");
            c.addMapHeader(2);
            c.addBulkString("type");
            c.addBulkString("index");
            c.addBulkString("spec");
            c.addMapHeader(1);
            c.addBulkString("index");
            c.addInteger(cmd.firstKey);
            c.addBulkString("find_keys");
            c.addMapHeader(2);
            c.addBulkString("type");
            c.addBulkString("range");
            c.addBulkString("spec");
            c.addMapHeader(3);
            c.addBulkString("lastkey");
            c.addInteger(cmd.lastKey < 0 ? cmd.lastKey : cmd.lastKey - cmd.firstKey);
            c.addBulkString("keystep");
            c.addInteger(cmd.keyStep);
            c.addBulkString("limit");
            c.addInteger(0);
        }
        if (cmd.keyCountArg > 0) {
            c.addMapHeader(3);
            c.addBulkString("flags");
            c.addSetHeader(1);
            c.addStatus(access);
            c.addBulkString("begin_search");
            c.addMapHeader(2);
            c.addBulkString("type");
            c.addBulkString("index");
            c.addBulkString("spec");
            c.addMapHeader(1);
            c.addBulkString("index");
            c.addInteger(cmd.keyCountArg);
            c.addBulkString("find_keys");
            c.addMapHeader(2);
            c.addBulkString("type");
            c.addBulkString("keynum");
            c.addBulkString("spec");
            c.addMapHeader(3);
            c.addBulkString("keynumidx");
            c.addInteger(0);
            c.addBulkString("firstkey");
            c.addInteger(1);
            c.addBulkString("keystep");
            c.addInteger(1);
        }
    }

    private void commandInfoAll(Client c) {
        List<Command> all = ctx.table.all();
        c.addArrayHeader(all.size());
        for (Command cmd : all) {
            writeInfo(c, cmd);
        }
    }

    private void commandInfo(Client c) {
        if (c.argc == 2) {
            commandInfoAll(c);
            return;
        }
        c.addArrayHeader(c.argc - 2);
        for (int j = 2; j < c.argc; j++) {
            Command cmd = ctx.table.byName(c.argString(j));
            if (cmd == null) {
                c.addNull();
            } else {
                writeInfo(c, cmd);
            }
        }
    }

    private void writeDocs(Client c, Command cmd) {
        c.addBulkString(cmd.fullName);
        boolean subs = !cmd.subcommands.isEmpty();
        c.addMapHeader(subs ? 4 : 3);
        c.addBulkString("summary");
        c.addBulkString(cmd.summary);
        c.addBulkString("since");
        c.addBulkString(cmd.since);
        c.addBulkString("group");
        c.addBulkString(cmd.group);
        if (subs) {
            c.addBulkString("subcommands");
            c.addMapHeader(cmd.subcommands.size());
            for (Command sub : cmd.subcommands.values()) {
                writeDocs(c, sub);
            }
        }
    }

    private void commandDocs(Client c) {
        List<Command> chosen = new ArrayList<>();
        if (c.argc == 2) {
            chosen.addAll(ctx.table.all());
        } else {
            for (int j = 2; j < c.argc; j++) {
                Command cmd = ctx.table.byName(c.argString(j));
                if (cmd != null) {
                    chosen.add(cmd);
                }
            }
        }
        c.addMapHeader(chosen.size());
        for (Command cmd : chosen) {
            writeDocs(c, cmd);
        }
    }

    private void commandList(Client c) {
        List<Command> all = new ArrayList<>();
        for (Command cmd : ctx.table.all()) {
            all.add(cmd);
            all.addAll(cmd.subcommands.values());
        }
        List<String> names = new ArrayList<>();
        if (c.argc == 2) {
            all.forEach(cmd -> names.add(cmd.fullName));
        } else if (c.argc == 5 && c.argString(2).equalsIgnoreCase("filterby")) {
            String kind = c.argString(3).toLowerCase(Locale.ROOT);
            String value = c.argString(4);
            for (Command cmd : all) {
                boolean keep = switch (kind) {
                    case "module" -> false;
                    case "aclcat" -> cmd.aclCategories().contains("@" + value.toLowerCase(Locale.ROOT));
                    case "pattern" -> {
                        byte[] p = value.getBytes(StandardCharsets.ISO_8859_1);
                        byte[] n = cmd.fullName.getBytes(StandardCharsets.ISO_8859_1);
                        yield ctx.patterns.fnmatch(MemorySegment.ofArray(p), 0, p.length, MemorySegment.ofArray(n),
                                0, n.length);
                    }
                    default -> throw CommandError.SYNTAX;
                };
                if (keep) {
                    names.add(cmd.fullName);
                }
            }
        } else {
            throw CommandError.SYNTAX;
        }
        c.addArrayHeader(names.size());
        for (String n : names) {
            c.addBulkString(n);
        }
    }

    private void commandGetKeys(Client c) {
        Command cmd = ctx.table.find(c.query, c.argOff[2], c.argLen[2]);
        int argc = c.argc - 2;
        if (cmd != null && cmd.isContainer() && argc >= 2) {
            cmd = cmd.subcommands.get(c.argString(3).toLowerCase(Locale.ROOT));
        }
        if (cmd == null) {
            c.addError("ERR Invalid command specified");
            return;
        }
        if (!cmd.arityAccepts(argc)) {
            c.addError("ERR Invalid number of arguments specified for command");
            return;
        }
        int[] keys = cmd.keyPositions(argc, i -> {
            try {
                return Long.parseLong(c.argString(i + 2));
            } catch (NumberFormatException e) {
                return -1;
            }
        });
        if (keys.length == 0) {
            c.addError("ERR The command has no key arguments");
            return;
        }
        c.addArrayHeader(keys.length);
        for (int k : keys) {
            c.addArgBulk(k + 2);
        }
    }

    /** SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE]: the final snapshot, as Redis decides it; a failed one stops nothing. */
    private void shutdown(Client c) {
        boolean save = false;
        boolean noSave = false;
        boolean force = false;
        for (int j = 1; j < c.argc; j++) {
            String option = c.argString(j).toLowerCase(Locale.ROOT);
            switch (option) {
                case "save" -> save = true;
                case "nosave" -> noSave = true;
                case "force" -> force = true;
                case "now" -> { }
                case "abort" -> {
                    c.addError(c.argc == 2 ? "ERR No shutdown in progress." : "ERR syntax error");
                    return;
                }
                default -> {
                    c.addSyntaxError();
                    return;
                }
            }
        }
        if (save && noSave) {
            c.addSyntaxError();
            return;
        }
        if (persistence != null) {
            String error = persistence.beforeExit(save, noSave);
            if (error != null && !force) {
                c.addError("ERR Errors trying to SHUTDOWN. Check logs.");
                return;
            }
        } else if (save) {
            c.addError("ERR Errors trying to SHUTDOWN: SAVE was asked, and this server has no persistence");
            return;
        }
        ctx.shutdown.run();
    }
}
