package flexos.redis;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a parsed request as Redis's {@code processCommand} and {@code call} do: finds the command (and subcommand),
 * checks arity, authentication, the pub/sub context and memory, queues it inside MULTI, runs it, counts it for
 * INFO, and afterwards serves the clients blocked on keys the command made ready.
 */
final class Dispatcher {

    private static final CommandError NOAUTH = new CommandError("NOAUTH Authentication required.");
    private static final CommandError OOM =
            new CommandError("OOM command not allowed when used memory > 'maxmemory'.");

    private final ServerContext ctx;
    private final Map<String, Long> errorCounts = new HashMap<>();
    long totalErrorReplies;
    /** Set while EXEC runs its queue, so blocking commands answer at once instead of blocking. */
    boolean inExec;
    /** Set while a blocked client's command is run again: a command that would block again stays blocked. */
    boolean reprocessingBlocked;
    /** Set by a blocking command that found nothing while {@link #reprocessingBlocked}. */
    boolean stillBlocked;
    /** Clients unblocked during the current step, whose pending input the event loop processes next. */
    final List<Client> unblocked = new ArrayList<>();

    Dispatcher(ServerContext ctx) {
        this.ctx = ctx;
    }

    Map<String, Long> errorCounts() {
        return errorCounts;
    }

    void resetErrorStats() {
        errorCounts.clear();
        totalErrorReplies = 0;
    }

    /** Runs the request in the client's arguments, writing its reply. */
    void execute(Client c) {
        Command command = ctx.table.find(c.query, c.argOff[0], c.argLen[0]);
        if (command == null) {
            reject(c, null, unknownCommand(c));
            return;
        }
        if (command.isContainer() && (command.handler == null || c.argc >= 2)) {
            if (c.argc < 2) {
                reject(c, command, "ERR wrong number of arguments for '" + command.name + "' command");
                return;
            }
            Command sub = command.subcommands.get(c.argString(1).toLowerCase(java.util.Locale.ROOT));
            if (sub == null) {
                reject(c, command, "ERR unknown subcommand '" + truncate(c.argString(1)) + "'. Try "
                        + command.name.toUpperCase(java.util.Locale.ROOT) + " HELP.");
                return;
            }
            command = sub;
        }
        if (!command.arityAccepts(c.argc)) {
            reject(c, command, "ERR wrong number of arguments for '" + command.fullName + "' command");
            return;
        }
        if (!c.authenticated && ctx.authRequired() && !command.noAuth) {
            reject(c, command, NOAUTH.getMessage());
            return;
        }
        if (ctx.busyError != null && !command.flags.contains("allow_busy")) {
            reject(c, command, ctx.busyError);
            return;
        }
        if (c.resp == 2 && c.subscribed() && !command.allowedInPubSub) {
            reject(c, command, "ERR Can't execute '" + command.fullName + "': only (P|S)SUBSCRIBE / "
                    + "(P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
            return;
        }
        if (c.multi != null && !isTransactionControl(command)) {
            if (command.noMulti) {
                reject(c, command, "ERR Command not allowed inside a transaction");
                return;
            }
            if (!oomRefuses(command)) {
                try {
                    c.multi.queued.add(Transaction.Queued.copyOf(c, command, ctx.blocks));
                    c.addStatus("QUEUED");
                } catch (HeapExhausted e) {
                    reject(c, command, OOM.getMessage());
                }
            } else {
                reject(c, command, OOM.getMessage());
            }
            return;
        }
        if (oomRefuses(command)) {
            reject(c, command, OOM.getMessage());
            return;
        }
        call(c, command);
        if (ctx.ks.observers.hasReady() && !inExec) {
            serveBlocked();
        }
    }

    private static boolean isTransactionControl(Command command) {
        return switch (command.name) {
            case "exec", "discard", "multi", "watch", "quit", "reset" -> true;
            default -> false;
        };
    }

    private boolean oomRefuses(Command command) {
        return ctx.maxmemory > 0 && command.denyOom && ctx.heap.get().used() > ctx.maxmemory;
    }

    /** Runs an accepted command, timing and counting it; its errors become error replies. */
    void call(Client c, Command command) {
        int before = c.replyLen - c.replySent;
        int replyMode = c.replyMode;
        Command outer = c.current;
        c.current = command;
        ctx.stats.commandsProcessed++;
        long start = System.nanoTime();
        try {
            command.handler.execute(c);
        } catch (HeapExhausted e) {
            c.addOutOfMemory();
        } catch (CommandError e) {
            c.addError(e.getMessage());
        } catch (RuntimeException e) {
            // A bug in a command must not take the server down with it: the client gets an error, and the fault
            // is printed for whoever runs the server.
            System.err.println("redis: internal error in " + command.fullName + ": " + e);
            c.addError("ERR internal error in '" + command.fullName + "': " + e.getClass().getSimpleName());
        }
        c.current = outer;
        if (command.write) {
            ctx.executed.accept(command);
        }
        if (!ctx.monitors.isEmpty() && !command.name.equals("monitor")) {
            feedMonitors(c);
        }
        command.micros += (System.nanoTime() - start) / 1000;
        command.calls++;
        c.lastCommand = command;
        int at = c.replySent + before;
        if (c.replyLen > at && c.reply.get(ValueLayout.JAVA_BYTE, at) == '-') {
            command.failedCalls++;
            countError(c, at);
        }
        if (replyMode != 0 && !command.fullName.equals("client|reply")) {
            // CLIENT REPLY OFF drops every reply, SKIP the next command's only.
            c.replyLen = Math.max(at, c.replySent);
            if (replyMode == 2) {
                c.replyMode = 0;
            }
        }
    }

    /** Redis's replicationFeedMonitors: {@code +<time> [<db> <addr>] "arg" ...} to every monitor. */
    private void feedMonitors(Client c) {
        long micros = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
        StringBuilder line = new StringBuilder();
        line.append(micros / 1_000_000).append('.').append(String.format(java.util.Locale.ROOT, "%06d",
                micros % 1_000_000)).append(" [").append(c.db).append(" ?:0]");
        for (int i = 0; i < c.argc; i++) {
            line.append(" \"");
            String arg = c.argString(i);
            for (int k = 0; k < arg.length(); k++) {
                char ch = arg.charAt(k);
                switch (ch) {
                    case '\\' -> line.append("\\\\");
                    case '"' -> line.append("\\\"");
                    case '\n' -> line.append("\\n");
                    case '\r' -> line.append("\\r");
                    case '\t' -> line.append("\\t");
                    default -> {
                        if (ch < 32 || ch > 126) {
                            line.append(String.format(java.util.Locale.ROOT, "\\x%02x", (int) ch));
                        } else {
                            line.append(ch);
                        }
                    }
                }
            }
            line.append('"');
        }
        for (Client m : ctx.monitors) {
            if (m != c) {
                m.addStatus(line.toString());
                ctx.pendingWrite.accept(m);
            }
        }
    }

    private void countError(Client c, int at) {
        int end = at + 1;
        while (end < c.replyLen && end - at < 64) {
            byte b = c.reply.get(ValueLayout.JAVA_BYTE, end);
            if (b == ' ' || b == '\r') {
                break;
            }
            end++;
        }
        byte[] code = new byte[end - at - 1];
        java.lang.foreign.MemorySegment.copy(c.reply, ValueLayout.JAVA_BYTE, at + 1, code, 0, code.length);
        errorCounts.merge(new String(code, java.nio.charset.StandardCharsets.ISO_8859_1), 1L, Long::sum);
        totalErrorReplies++;
    }

    /** An error before the command ran: counted as rejected, and inside MULTI it makes EXEC fail. */
    void reject(Client c, Command command, String message) {
        if (command != null) {
            command.rejectedCalls++;
        }
        if (c.multi != null) {
            c.multi.error = true;
        }
        c.addError(message);
        String code = message.substring(0, Math.max(0, message.indexOf(' ') < 0 ? message.length() : message.indexOf(' ')));
        errorCounts.merge(code, 1L, Long::sum);
        totalErrorReplies++;
    }

    /** Redis's reply: the name and the first arguments, quoted, up to about 128 bytes. */
    private static String unknownCommand(Client c) {
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
        return "ERR unknown command '" + name + "', with args beginning with: " + args;
    }

    static String truncate(String s) {
        return s.length() > 128 ? s.substring(0, 128) : s;
    }

    // ---- blocking ----

    /**
     * What a blocking command does when it finds nothing: inside EXEC it answers its timeout reply at once; when it
     * runs again for a key that became ready it stays blocked; otherwise the client blocks on {@code keys} until one
     * becomes ready or {@code timeoutMillis} pass (0: forever). The reply is written when it is served, by running
     * the command again.
     */
    void blockOrAnswer(Client c, List<ByteString> keys, long timeoutMillis) {
        if (reprocessingBlocked) {
            stillBlocked = true;
            return;
        }
        if (inExec) {
            BlockingReplies.timeout(c, c.current);
            return;
        }
        Command command = c.current;
        Transaction.Queued copy = Transaction.Queued.copyOf(c, command, ctx.blocks);
        Blocked b = new Blocked(c.db, keys, copy);
        c.blocked = b;
        ctx.ks.observers.block(c);
        if (timeoutMillis > 0) {
            b.timerId = ctx.scheduler.after(timeoutMillis * 1_000_000L, () -> {
                if (c.blocked == b) {
                    unblock(c);
                    BlockingReplies.timeout(c, command);
                    ctx.pendingWrite.accept(c);
                }
            });
        }
    }

    /** Redis's blocking timeout argument: seconds, fractional allowed, 0 forever; returns milliseconds. */
    static long timeoutMillis(Client c, int i) {
        double seconds;
        try {
            seconds = Double.parseDouble(c.argString(i));
        } catch (NumberFormatException e) {
            throw new CommandError("ERR timeout is not a float or out of range");
        }
        if (Double.isNaN(seconds) || Double.isInfinite(seconds) || seconds > 1e15) {
            throw new CommandError("ERR timeout is not a float or out of range");
        }
        if (seconds < 0) {
            throw new CommandError("ERR timeout is negative");
        }
        long ms = (long) Math.ceil(seconds * 1000);
        return seconds > 0 && ms == 0 ? 1 : ms;
    }

    /** Releases a blocked client without a reply (the caller writes one). */
    void unblock(Client c) {
        Blocked b = c.blocked;
        if (b == null) {
            return;
        }
        ctx.ks.observers.unblock(c);
        if (b.timerId >= 0) {
            ctx.scheduler.cancel(b.timerId);
        }
        b.command.free(ctx.blocks);
        c.blocked = null;
        unblocked.add(c);
    }

    /** Runs again the commands of the clients blocked on keys that became ready, oldest first, until none is. */
    void serveBlocked() {
        while (ctx.ks.observers.hasReady()) {
            for (List<Client> queue : ctx.ks.observers.takeReady()) {
                for (Client c : queue) {
                    Blocked b = c.blocked;
                    if (b == null) {
                        continue;
                    }
                    int savedDb = c.db;
                    c.db = b.db;
                    reprocessingBlocked = true;
                    stillBlocked = false;
                    try {
                        c.runWith(b.command, () -> call(c, b.command.command));
                    } finally {
                        reprocessingBlocked = false;
                        c.db = savedDb;
                    }
                    if (!stillBlocked) {
                        unblock(c);
                        ctx.pendingWrite.accept(c);
                    }
                }
            }
        }
    }
}
