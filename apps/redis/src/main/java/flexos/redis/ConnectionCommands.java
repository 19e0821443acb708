package flexos.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Connection commands: PING, ECHO, QUIT, SELECT, AUTH, HELLO (RESP2 and RESP3), RESET and CLIENT's subcommands,
 * with Redis's replies and error texts.
 */
final class ConnectionCommands {

    static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";

    private final ServerContext ctx;
    private final Dispatcher dispatcher;

    ConnectionCommands(ServerContext ctx, Dispatcher dispatcher) {
        this.ctx = ctx;
        this.dispatcher = dispatcher;
    }

    void register(CommandTable t) {
        t.add("ping -1 fast,pubsub_ok 0 0 0 connection 1.0.0 | Answers PONG, or the argument: a liveness check.",
                this::ping);
        t.add("echo 2 fast 0 0 0 connection 1.0.0 | Answers its argument.", c -> c.addArgBulk(1));
        t.add("quit -1 allow_busy,noscript,loading,stale,fast,no_auth,pubsub_ok 0 0 0 connection 1.0.0 | "
                + "Answers OK and closes the connection.", c -> {
                    c.addOk();
                    c.closeAfterReply = true;
                });
        t.add("select 2 loading,stale,fast 0 0 0 connection 1.0.0 | Makes one of the 16 databases this "
                + "connection's current one.", this::select);
        t.add("auth -2 noscript,loading,stale,fast,no_auth,allow_busy 0 0 0 connection 1.0.0 | Authenticates "
                + "the connection with the password (requirepass).", this::auth);
        t.add("hello -1 noscript,loading,stale,fast,no_auth,allow_busy 0 0 0 connection 6.0.0 | Chooses RESP2 or "
                + "RESP3, optionally authenticates and names the connection, and describes the server.", this::hello);
        t.add("reset 1 noscript,loading,stale,fast,no_auth,allow_busy,pubsub_ok 0 0 0 connection 6.2.0 | Puts the "
                + "connection back in its initial state.", this::reset);
        t.add("monitor 1 admin,noscript,loading,stale 0 0 0 server 1.0.0 | Streams every command the server runs "
                + "to this connection.", c -> {
                    if (!c.monitor) {
                        c.monitor = true;
                        ctx.monitors.add(c);
                    }
                    c.addOk();
                });
        t.add("client -2 - 0 0 0 connection 2.4.0 | A container for connection inspection and control commands.",
                null);
        t.addSub("client", "list -2 admin,noscript,loading,stale 0 0 0 connection 2.4.0 | Describes every "
                + "connection, one line each.", this::list);
        t.addSub("client", "info 2 noscript,loading,stale 0 0 0 connection 6.2.0 | Describes this connection.",
                c -> c.addVerbatim(describe(c).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
        t.addSub("client", "kill -3 admin,noscript,loading,stale 0 0 0 connection 2.4.0 | Closes connections "
                + "chosen by id, type, address or user.", this::kill);
        t.addSub("client", "setname 3 noscript,loading,stale 0 0 0 connection 2.6.9 | Names this connection.",
                this::setname);
        t.addSub("client", "getname 2 noscript,loading,stale 0 0 0 connection 2.6.9 | This connection's name.",
                c -> {
                    if (c.name == null) {
                        c.addNull();
                    } else {
                        c.addBulkString(c.name);
                    }
                });
        t.addSub("client", "id 2 noscript,loading,stale 0 0 0 connection 5.0.0 | This connection's id.",
                c -> c.addInteger(c.id));
        t.addSub("client", "reply 3 noscript,loading,stale 0 0 0 connection 3.2.0 | Turns this connection's "
                + "replies on, off, or off for the next command.", this::reply);
        t.addSub("client", "no-evict 3 admin,noscript,loading,stale 0 0 0 connection 7.0.0 | Marks this "
                + "connection as one client eviction must spare.", this::noEvict);
        t.addSub("client", "unblock -3 admin,noscript,loading,stale 0 0 0 connection 5.0.0 | Wakes a connection "
                + "blocked in BLPOP and friends, as if it timed out or with an error.", this::unblock);
        t.addSub("client", "getredir 2 noscript,loading,stale 0 0 0 connection 6.0.0 | Where client-side "
                + "caching invalidations go: always -1, this server does no tracking.", c -> c.addInteger(-1));
        t.addSub("client", "help 2 loading,stale 0 0 0 connection 5.0.0 | Shows the CLIENT subcommands.",
                c -> Help.reply(c, "CLIENT", List.of("GETNAME", "    Return the name of the current connection.",
                        "ID", "    Return the ID of the current connection.", "INFO",
                        "    Return information about the current client connection.",
                        "KILL <ip:port>", "    Kill connection made from <ip:port>.",
                        "KILL <option> <value> [<option> <value> [...]]",
                        "    Kill connections. Options are: ID <client-id>, TYPE (NORMAL|PUBSUB), USER <username>,"
                                + " ADDR <ip:port>, LADDR <ip:port>, SKIPME (YES|NO)",
                        "LIST [options ...]", "    Return information about client connections. Options: "
                                + "TYPE (NORMAL|PUBSUB), ID <client-id> [<client-id> ...]",
                        "NO-EVICT (ON|OFF)", "    Protect current client connection from eviction.",
                        "REPLY (ON|OFF|SKIP)", "    Control the replies sent to the current connection.",
                        "SETNAME <name>", "    Assign the name <name> to the current connection.",
                        "UNBLOCK <clientid> [TIMEOUT|ERROR]",
                        "    Unblock the specified blocked client.")));
    }

    private void ping(Client c) {
        if (c.argc > 2) {
            c.addError("ERR wrong number of arguments for 'ping' command");
        } else if (c.resp == 2 && c.subscribed()) {
            c.addArrayHeader(2);
            c.addBulkString("pong");
            if (c.argc == 2) {
                c.addArgBulk(1);
            } else {
                c.addBulkString("");
            }
        } else if (c.argc == 2) {
            c.addArgBulk(1);
        } else {
            c.addStatus("PONG");
        }
    }

    private void select(Client c) {
        long index;
        try {
            index = Long.parseLong(c.argString(1));
        } catch (NumberFormatException e) {
            throw CommandError.NOT_INTEGER;
        }
        if (index < Integer.MIN_VALUE || index > Integer.MAX_VALUE) {
            throw CommandError.NOT_INTEGER;
        }
        if (index < 0 || index >= Keyspace.DATABASES) {
            c.addError("ERR DB index is out of range");
            return;
        }
        c.db = (int) index;
        c.addOk();
    }

    /** Whether {@code user}/{@code password} are the default user's credentials. */
    private boolean credentialsMatch(String user, String password) {
        if (!user.equals("default")) {
            return false;
        }
        return ctx.requirepass == null || ctx.requirepass.equals(password);
    }

    private void auth(Client c) {
        if (c.argc > 3) {
            c.addSyntaxError();
            return;
        }
        String user = c.argc == 3 ? c.argString(1) : "default";
        String password = c.argString(c.argc - 1);
        if (c.argc == 2 && ctx.requirepass == null) {
            c.addError("ERR AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your configuration is correct?");
            return;
        }
        if (credentialsMatch(user, password)) {
            c.authenticated = true;
            c.addOk();
        } else {
            c.addError(WRONGPASS);
        }
    }

    private void hello(Client c) {
        int version = c.resp;
        int j = 1;
        if (c.argc >= 2) {
            long v;
            try {
                v = Long.parseLong(c.argString(1));
            } catch (NumberFormatException e) {
                c.addError("ERR Protocol version is not an integer or out of range");
                return;
            }
            if (v < 2 || v > 3) {
                c.addError("NOPROTO unsupported protocol version");
                return;
            }
            version = (int) v;
            j = 2;
        }
        String name = null;
        boolean authGiven = false;
        for (; j < c.argc; j++) {
            String opt = c.argString(j).toUpperCase(Locale.ROOT);
            if (opt.equals("AUTH") && j + 2 < c.argc) {
                String user = c.argString(j + 1);
                String password = c.argString(j + 2);
                if (!credentialsMatch(user, password)) {
                    c.addError(WRONGPASS);
                    return;
                }
                authGiven = true;
                j += 2;
            } else if (opt.equals("SETNAME") && j + 1 < c.argc) {
                name = c.argString(j + 1);
                if (!validName(name)) {
                    c.addError("ERR Client names cannot contain spaces, newlines or special characters.");
                    return;
                }
                j += 1;
            } else {
                c.addError("ERR Syntax error in HELLO option '" + Dispatcher.truncate(c.argString(j)) + "'");
                return;
            }
        }
        if (authGiven) {
            c.authenticated = true;
        }
        if (!c.authenticated && ctx.authRequired()) {
            c.addError("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO "
                    + "<proto> AUTH <user> <pass> option can be used to authenticate the client and select the "
                    + "RESP protocol version at the same time");
            return;
        }
        if (name != null) {
            c.name = name.isEmpty() ? null : name;
        }
        c.resp = version;
        c.addMapHeader(7);
        c.addBulkString("server");
        c.addBulkString("redis");
        c.addBulkString("version");
        c.addBulkString(ServerContext.REDIS_VERSION);
        c.addBulkString("proto");
        c.addInteger(version);
        c.addBulkString("id");
        c.addInteger(c.id);
        c.addBulkString("mode");
        c.addBulkString("standalone");
        c.addBulkString("role");
        c.addBulkString("master");
        c.addBulkString("modules");
        c.addArrayHeader(0);
    }

    private void reset(Client c) {
        if (c.multi != null) {
            c.multi.free(ctx.blocks);
            c.multi = null;
        }
        ctx.ks.observers.unwatchAll(c);
        ctx.pubsub.dropClient(c);
        if (c.monitor) {
            c.monitor = false;
            ctx.monitors.remove(c);
        }
        c.db = 0;
        c.resp = 2;
        c.name = null;
        c.replyMode = 0;
        c.noEvict = false;
        c.authenticated = !ctx.authRequired();
        c.addStatus("RESET");
    }

    static boolean validName(String name) {
        for (int k = 0; k < name.length(); k++) {
            char ch = name.charAt(k);
            if (ch < '!' || ch > '~') {
                return false;
            }
        }
        return true;
    }

    private void setname(Client c) {
        String name = c.argString(2);
        if (!validName(name)) {
            c.addError("ERR Client names cannot contain spaces, newlines or special characters.");
            return;
        }
        c.name = name.isEmpty() ? null : name;
        c.addOk();
    }

    private String flags(Client c) {
        StringBuilder f = new StringBuilder();
        if (c.multi != null) {
            f.append('x');
        }
        if (c.blocked != null) {
            f.append('b');
        }
        if (c.subscribed()) {
            f.append('P');
        }
        if (c.dirtyCas) {
            f.append('d');
        }
        if (c.closeAfterReply) {
            f.append('c');
        }
        if (c.noEvict) {
            f.append('e');
        }
        if (c.monitor) {
            f.append('O');
        }
        return f.isEmpty() ? "N" : f.toString();
    }

    /** One line of CLIENT LIST, with redis-server's fields. The peer address is not known to this server. */
    String describe(Client c) {
        long now = System.currentTimeMillis();
        long qbuf = Math.max(0, c.queryLen - c.queryPos);
        long qbufFree = c.query.byteSize() - c.queryLen;
        long multiMem = 0;
        if (c.multi != null) {
            for (Transaction.Queued q : c.multi.queued) {
                multiMem += q.args.byteSize();
            }
        }
        long omem = c.reply.byteSize();
        String cmd = c.current != null ? c.current.fullName : c.lastCommand != null ? c.lastCommand.fullName : "NULL";
        return "id=" + c.id + " addr=?:0 laddr=" + ctx.bind + ":" + ctx.port + " fd=" + c.socket
                + " name=" + (c.name == null ? "" : c.name) + " age=" + (now - c.createdMillis) / 1000
                + " idle=" + (now - c.lastInteractionMillis) / 1000 + " flags=" + flags(c) + " db=" + c.db
                + " sub=" + (c.channels == null ? 0 : c.channels.size())
                + " psub=" + (c.patterns == null ? 0 : c.patterns.size()) + " ssub=0"
                + " multi=" + (c.multi == null ? -1 : c.multi.queued.size()) + " qbuf=" + qbuf
                + " qbuf-free=" + qbufFree + " argv-mem=0 multi-mem=" + multiMem + " rbs=" + c.reply.byteSize()
                + " rbp=" + c.pendingReplyBytes() + " obl=0 oll=0 omem=0 tot-mem="
                + (c.query.byteSize() + omem + multiMem) + " events=" + (c.interest == 5 ? "rw" : c.interest == 4
                ? "w" : "r") + " cmd=" + cmd + " user=default redir=-1 resp=" + c.resp + "\n";
    }

    private void list(Client c) {
        List<Client> chosen = new ArrayList<>();
        if (c.argc == 2) {
            chosen.addAll(ctx.clients.values());
        } else if (c.argIs(2, "TYPE".getBytes()) && c.argc == 4) {
            String type = c.argString(3).toLowerCase(Locale.ROOT);
            switch (type) {
                case "normal" -> ctx.clients.values().stream().filter(x -> !x.subscribed()).forEach(chosen::add);
                case "pubsub" -> ctx.clients.values().stream().filter(Client::subscribed).forEach(chosen::add);
                case "master", "replica", "slave" -> { }
                default -> {
                    c.addError("ERR Unknown client type '" + c.argString(3) + "'");
                    return;
                }
            }
        } else if (c.argIs(2, "ID".getBytes()) && c.argc >= 4) {
            for (int j = 3; j < c.argc; j++) {
                long id;
                try {
                    id = Long.parseLong(c.argString(j));
                } catch (NumberFormatException e) {
                    c.addError("ERR Invalid client ID");
                    return;
                }
                Client other = ctx.clients.get(id);
                if (other != null && !chosen.contains(other)) {
                    chosen.add(other);
                }
            }
        } else {
            c.addSyntaxError();
            return;
        }
        StringBuilder out = new StringBuilder();
        for (Client other : chosen) {
            out.append(describe(other));
        }
        c.addVerbatim(out.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    private void kill(Client c) {
        if (c.argc == 3) {
            // The old form, CLIENT KILL ip:port: this server does not know peer addresses, so none matches.
            c.addError("ERR No such client");
            return;
        }
        if (c.argc % 2 != 0) {
            c.addSyntaxError();
            return;
        }
        long id = -1;
        String type = null;
        String user = null;
        String laddr = null;
        boolean skipMe = true;
        boolean addrGiven = false;
        for (int j = 2; j < c.argc; j += 2) {
            String opt = c.argString(j).toLowerCase(Locale.ROOT);
            String value = c.argString(j + 1);
            switch (opt) {
                case "id" -> {
                    try {
                        id = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        c.addError("ERR client-id should be greater than 0");
                        return;
                    }
                    if (id <= 0) {
                        c.addError("ERR client-id should be greater than 0");
                        return;
                    }
                }
                case "type" -> {
                    type = value.toLowerCase(Locale.ROOT);
                    if (!List.of("normal", "pubsub", "master", "replica", "slave").contains(type)) {
                        c.addError("ERR Unknown client type '" + value + "'");
                        return;
                    }
                }
                case "user" -> user = value;
                case "addr" -> addrGiven = true;
                case "laddr" -> laddr = value;
                case "skipme" -> {
                    String v = value.toLowerCase(Locale.ROOT);
                    if (v.equals("yes")) {
                        skipMe = true;
                    } else if (v.equals("no")) {
                        skipMe = false;
                    } else {
                        c.addSyntaxError();
                        return;
                    }
                }
                default -> {
                    c.addSyntaxError();
                    return;
                }
            }
        }
        long killed = 0;
        for (Client other : new ArrayList<>(ctx.clients.values())) {
            if (addrGiven) {
                break;
            }
            if (id >= 0 && other.id != id) {
                continue;
            }
            if (type != null) {
                boolean pubsub = other.subscribed();
                if (type.equals("normal") && pubsub || type.equals("pubsub") && !pubsub
                        || type.equals("master") || type.equals("replica") || type.equals("slave")) {
                    continue;
                }
            }
            if (user != null && !user.equals("default")) {
                continue;
            }
            if (laddr != null && !laddr.equals(ctx.bind + ":" + ctx.port)) {
                continue;
            }
            if (other == c && skipMe) {
                continue;
            }
            killed++;
            if (other == c) {
                c.closeAfterReply = true;
            } else {
                ctx.closeAsync.accept(other);
            }
        }
        c.addInteger(killed);
    }

    private void reply(Client c) {
        String mode = c.argString(2).toLowerCase(Locale.ROOT);
        switch (mode) {
            case "on" -> {
                c.replyMode = 0;
                c.addOk();
            }
            case "off" -> c.replyMode = 1;
            case "skip" -> {
                if (c.replyMode == 0) {
                    c.replyMode = 2;
                }
            }
            default -> c.addSyntaxError();
        }
    }

    private void noEvict(Client c) {
        String mode = c.argString(2).toLowerCase(Locale.ROOT);
        if (mode.equals("on") || mode.equals("off")) {
            c.noEvict = mode.equals("on");
            c.addOk();
        } else {
            c.addSyntaxError();
        }
    }

    private void unblock(Client c) {
        if (c.argc > 4) {
            c.addSyntaxError();
            return;
        }
        long id;
        try {
            id = Long.parseLong(c.argString(2));
        } catch (NumberFormatException e) {
            throw CommandError.NOT_INTEGER;
        }
        boolean error = false;
        if (c.argc == 4) {
            String how = c.argString(3).toLowerCase(Locale.ROOT);
            if (how.equals("error")) {
                error = true;
            } else if (!how.equals("timeout")) {
                c.addError("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
                return;
            }
        }
        Client target = ctx.clients.get(id);
        if (target == null || target.blocked == null) {
            c.addInteger(0);
            return;
        }
        Blocked b = target.blocked;
        Transaction.Queued q = b.command;
        dispatcher.unblock(target);
        if (error) {
            target.addError("UNBLOCKED client unblocked via CLIENT UNBLOCK");
        } else {
            BlockingReplies.timeout(target, q.command);
        }
        ctx.pendingWrite.accept(target);
        c.addInteger(1);
    }
}
