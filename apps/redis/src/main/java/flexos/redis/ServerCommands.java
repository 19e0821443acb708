package flexos.redis;

import flexos.alloc.api.HeapStats;
import flexos.libc.api.PatternRoutines;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Connection and server commands: PING, ECHO, QUIT, INFO, CONFIG GET, COMMAND, CLIENT, SHUTDOWN, and what real
 * clients send when they connect ({@code redis-benchmark} asks {@code CONFIG GET save}, {@code redis-cli} 7 asks
 * {@code COMMAND DOCS}).
 */
final class ServerCommands {

    static final String REDIS_VERSION = "7.0.15";

    private static final byte[] GET = {'G', 'E', 'T'};
    private static final byte[] SET = {'S', 'E', 'T'};
    private static final byte[] RESETSTAT = "RESETSTAT".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DOCS = {'D', 'O', 'C', 'S'};
    private static final byte[] COUNT = {'C', 'O', 'U', 'N', 'T'};
    private static final byte[] INFO = {'I', 'N', 'F', 'O'};
    private static final byte[] LIST = {'L', 'I', 'S', 'T'};
    private static final byte[] SETNAME = "SETNAME".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GETNAME = "GETNAME".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ID = {'I', 'D'};
    private static final byte[] SETINFO = "SETINFO".getBytes(StandardCharsets.US_ASCII);

    private final Keyspace ks;
    private final PatternRoutines patterns;
    private final ServerStats stats;
    private final Supplier<HeapStats> heap;
    private final Runnable shutdown;
    private final Supplier<Integer> port;
    private final String bind;
    private final long startMillis = System.currentTimeMillis();
    private CommandTable table;
    /** The owner of the persistence parameters and of SHUTDOWN's final save, once enabled. */
    Persistence persistence;

    ServerCommands(Keyspace ks, PatternRoutines patterns, ServerStats stats, Supplier<HeapStats> heap,
                   Runnable shutdown, Supplier<Integer> port, String bind) {
        this.ks = ks;
        this.patterns = patterns;
        this.stats = stats;
        this.heap = heap;
        this.shutdown = shutdown;
        this.port = port;
        this.bind = bind;
    }

    void register(CommandTable table) {
        this.table = table;
        table.add("ping", -1, this::ping);
        table.add("echo", 2, c -> c.addArgBulk(1));
        table.add("quit", -1, c -> {
            c.addOk();
            c.closeAfterReply = true;
        });
        table.add("info", -1, this::info);
        table.add("config", -2, this::config);
        table.add("command", -1, this::command);
        table.add("client", -2, this::client);
        table.add("shutdown", -1, this::shutdown);
    }

    private void ping(Client c) {
        if (c.argc > 2) {
            c.addError("ERR wrong number of arguments for 'ping' command");
        } else if (c.argc == 2) {
            c.addArgBulk(1);
        } else {
            c.addLine('+', "PONG");
        }
    }

    private void info(Client c) {
        List<String> wanted = new ArrayList<>();
        for (int j = 1; j < c.argc; j++) {
            wanted.add(c.argString(j).toLowerCase(Locale.ROOT));
        }
        boolean all = wanted.isEmpty() || wanted.contains("all") || wanted.contains("everything")
                || wanted.contains("default");
        StringBuilder out = new StringBuilder();
        if (all || wanted.contains("server")) {
            out.append("# Server\r\n")
                    .append("redis_version:").append(REDIS_VERSION).append("\r\n")
                    .append("redis_mode:standalone\r\n")
                    .append("flexos_image:flexos-j redis library (compartmentalised LibOS image)\r\n")
                    .append("arch_bits:64\r\n")
                    .append("multiplexing_api:flexos-net\r\n")
                    .append("process_id:").append(ProcessHandle.current().pid()).append("\r\n")
                    .append("tcp_port:").append(port.get()).append("\r\n")
                    .append("uptime_in_seconds:").append((System.currentTimeMillis() - startMillis) / 1000)
                    .append("\r\n\r\n");
        }
        if (all || wanted.contains("clients")) {
            out.append("# Clients\r\n")
                    .append("connected_clients:").append(stats.connectedClients).append("\r\n\r\n");
        }
        if (all || wanted.contains("memory")) {
            HeapStats h = heap.get();
            out.append("# Memory\r\n")
                    .append("used_memory:").append(h.used()).append("\r\n")
                    .append("used_memory_human:").append(human(h.used())).append("\r\n")
                    .append("total_system_memory:").append(h.capacity()).append("\r\n")
                    .append("maxmemory:").append(h.capacity()).append("\r\n")
                    .append("allocator_allocations:").append(h.allocations()).append("\r\n")
                    .append("mem_allocator:flexos-alloc\r\n\r\n");
        }
        if (persistence != null && (all || wanted.contains("persistence"))) {
            out.append(persistence.info()).append("\r\n");
        }
        if (all || wanted.contains("stats")) {
            out.append("# Stats\r\n")
                    .append("total_connections_received:").append(stats.connectionsReceived).append("\r\n")
                    .append("total_commands_processed:").append(stats.commandsProcessed).append("\r\n")
                    .append("rejected_connections:").append(stats.rejectedConnections).append("\r\n")
                    .append("expired_keys:").append(stats.expiredKeys).append("\r\n\r\n");
        }
        if (all || wanted.contains("keyspace")) {
            out.append("# Keyspace\r\n");
            for (Database db : ks.databases) {
                if (db.size() > 0) {
                    out.append("db").append(db.index).append(":keys=").append(db.size())
                            .append(",expires=").append(db.expires.size()).append(",avg_ttl=0\r\n");
                }
            }
        }
        String text = out.toString();
        while (text.endsWith("\r\n\r\n")) {
            text = text.substring(0, text.length() - 2);
        }
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        c.addBulk(MemorySegment.ofArray(bytes), 0, bytes.length);
    }

    private static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + "B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.2fK", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.2fM", bytes / (1024.0 * 1024.0));
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
        }
        shutdown.run();
    }

    /** The parameters CONFIG GET knows, with their values as redis-server prints them. */
    private List<String[]> configParameters() {
        List<String[]> all = new ArrayList<>(persistence != null ? persistence.configParameters()
                : List.of(new String[] {"save", ""}, new String[] {"appendonly", "no"}));
        all.addAll(List.of(
                new String[] {"databases", Integer.toString(Keyspace.DATABASES)},
                new String[] {"port", Integer.toString(port.get())},
                new String[] {"bind", bind},
                new String[] {"maxmemory", "0"},
                new String[] {"maxclients", "10000"},
                new String[] {"proto-max-bulk-len", Long.toString(RequestParser.MAX_BULK)},
                new String[] {"client-query-buffer-limit", Long.toString(Client.BUFFER_LIMIT)}));
        return all;
    }

    private void config(Client c) {
        if (c.argIs(1, GET)) {
            if (c.argc < 3) {
                c.addError("ERR wrong number of arguments for 'config|get' command");
                return;
            }
            List<byte[]> reply = new ArrayList<>();
            for (String[] parameter : configParameters()) {
                byte[] name = parameter[0].getBytes(StandardCharsets.US_ASCII);
                MemorySegment nameSegment = MemorySegment.ofArray(name);
                for (int j = 2; j < c.argc; j++) {
                    byte[] pattern = c.argString(j).toLowerCase(Locale.ROOT).getBytes(StandardCharsets.ISO_8859_1);
                    if (patterns.fnmatch(MemorySegment.ofArray(pattern), 0, pattern.length, nameSegment, 0,
                            name.length)) {
                        reply.add(name);
                        reply.add(parameter[1].getBytes(StandardCharsets.ISO_8859_1));
                        break;
                    }
                }
            }
            c.addArrayHeader(reply.size());
            for (byte[] b : reply) {
                c.addBulk(MemorySegment.ofArray(b), 0, b.length);
            }
        } else if (c.argIs(1, SET)) {
            if (c.argc < 4 || c.argc % 2 != 0) {
                c.addError("ERR wrong number of arguments for 'config|set' command");
                return;
            }
            for (int j = 2; persistence != null && j < c.argc; j += 2) {
                String name = c.argString(j).toLowerCase(Locale.ROOT);
                if (persistence.ownsConfig(name)) {
                    String error = persistence.setConfig(name, c.argString(j + 1));
                    if (error != null) {
                        c.addError(error);
                        return;
                    }
                }
            }
            c.addOk();
        } else if (c.argIs(1, RESETSTAT)) {
            stats.commandsProcessed = 0;
            stats.connectionsReceived = 0;
            stats.expiredKeys = 0;
            c.addOk();
        } else {
            c.addError("ERR unknown subcommand '" + truncate(c.argString(1)) + "'. Try CONFIG HELP.");
        }
    }

    private static String truncate(String s) {
        return s.length() > 128 ? s.substring(0, 128) : s;
    }

    private void command(Client c) {
        if (c.argc == 1) {
            // The full command documentation is not served; an empty array is what clients accept.
            c.addArrayHeader(0);
        } else if (c.argIs(1, DOCS) || c.argIs(1, INFO)) {
            c.addArrayHeader(0);
        } else if (c.argIs(1, COUNT)) {
            c.addInteger(table.all().size());
        } else if (c.argIs(1, LIST)) {
            List<Command> all = table.all();
            c.addArrayHeader(all.size());
            for (Command command : all) {
                byte[] name = command.nameBytes();
                c.addBulk(MemorySegment.ofArray(name), 0, name.length);
            }
        } else {
            c.addError("ERR unknown subcommand '" + truncate(c.argString(1)) + "'. Try COMMAND HELP.");
        }
    }

    private void client(Client c) {
        if (c.argIs(1, SETNAME)) {
            if (c.argc != 3) {
                c.addError("ERR wrong number of arguments for 'client|setname' command");
                return;
            }
            String name = c.argString(2);
            for (int k = 0; k < name.length(); k++) {
                char ch = name.charAt(k);
                if (ch < '!' || ch > '~') {
                    c.addError("ERR Client names cannot contain spaces, newlines or special characters.");
                    return;
                }
            }
            c.name = name.isEmpty() ? null : name;
            c.addOk();
        } else if (c.argIs(1, GETNAME)) {
            if (c.name == null) {
                c.addNull();
            } else {
                byte[] name = c.name.getBytes(StandardCharsets.ISO_8859_1);
                c.addBulk(MemorySegment.ofArray(name), 0, name.length);
            }
        } else if (c.argIs(1, ID)) {
            c.addInteger(c.id);
        } else if (c.argIs(1, SETINFO)) {
            c.addOk();
        } else {
            c.addError("ERR unknown subcommand '" + truncate(c.argString(1)) + "'. Try CLIENT HELP.");
        }
    }
}
