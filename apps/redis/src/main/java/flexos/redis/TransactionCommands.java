package flexos.redis;

import java.util.ArrayList;

/**
 * MULTI, EXEC, DISCARD, WATCH and UNWATCH, as Redis's {@code multi.c}: commands between MULTI and EXEC are queued
 * (answered {@code +QUEUED}) and run at EXEC one after the other with nothing in between; a command refused while
 * queueing makes EXEC answer EXECABORT; a WATCHed key changed, deleted, expired or flushed before EXEC makes EXEC
 * answer a null array and run nothing.
 */
final class TransactionCommands {

    private final ServerContext ctx;
    private final Dispatcher dispatcher;

    TransactionCommands(ServerContext ctx, Dispatcher dispatcher) {
        this.ctx = ctx;
        this.dispatcher = dispatcher;
    }

    void register(CommandTable t) {
        t.add("multi 1 noscript,loading,stale,fast,allow_busy 0 0 0 transactions 1.2.0 | Starts a transaction: "
                + "the commands that follow are queued until EXEC.", this::multi);
        t.add("exec 1 noscript,loading,stale,skip_slowlog 0 0 0 transactions 1.2.0 | Runs every command queued "
                + "since MULTI, at once.", this::exec);
        t.add("discard 1 noscript,loading,stale,fast,allow_busy 0 0 0 transactions 2.0.0 | Forgets the commands "
                + "queued since MULTI.", this::discard);
        t.add("watch -2 noscript,loading,stale,fast,allow_busy 1 -1 1 transactions 2.2.0 | Makes the next EXEC "
                + "fail if any of these keys changes first.", this::watch);
        t.add("unwatch 1 noscript,loading,stale,fast,allow_busy 0 0 0 transactions 2.2.0 | Forgets every key "
                + "WATCHed by this connection.", this::unwatch);
    }

    private void multi(Client c) {
        if (c.multi != null) {
            c.addError("ERR MULTI calls can not be nested");
            return;
        }
        c.multi = new Transaction();
        c.addOk();
    }

    private void discard(Client c) {
        if (c.multi == null) {
            c.addError("ERR DISCARD without MULTI");
            return;
        }
        discardTransaction(c);
        c.addOk();
    }

    private void discardTransaction(Client c) {
        c.multi.free(ctx.blocks);
        c.multi = null;
        ctx.ks.observers.unwatchAll(c);
    }

    private void exec(Client c) {
        Transaction t = c.multi;
        if (t == null) {
            c.addError("ERR EXEC without MULTI");
            return;
        }
        if (t.error) {
            discardTransaction(c);
            c.addError("EXECABORT Transaction discarded because of previous errors.");
            return;
        }
        if (c.dirtyCas || watchedKeyExpired(c)) {
            discardTransaction(c);
            c.addNullArray();
            return;
        }
        c.multi = null;
        ctx.ks.observers.unwatchAll(c);
        c.addArrayHeader(t.queued.size());
        boolean outer = dispatcher.inExec;
        dispatcher.inExec = true;
        try {
            for (Transaction.Queued q : t.queued) {
                c.runWith(q, () -> dispatcher.call(c, q.command));
            }
        } finally {
            dispatcher.inExec = outer;
            t.free(ctx.blocks);
        }
    }

    /** Redis's {@code isWatchedKeyExpired}: a key that was live at WATCH has logically expired since. */
    private boolean watchedKeyExpired(Client c) {
        if (c.watched == null) {
            return false;
        }
        long now = System.currentTimeMillis();
        for (WatchedKey w : c.watched) {
            if (w.expiredAtWatch()) {
                continue;
            }
            Database db = ctx.ks.databases[w.db()];
            java.lang.foreign.MemorySegment k = w.key().segment();
            Dict.Entry e = db.peek(k, 0, k.byteSize(), ctx.blocks.hash(k, 0, k.byteSize()));
            if (e != null && Database.expired(e, now)) {
                return true;
            }
        }
        return false;
    }

    private void watch(Client c) {
        if (c.multi != null) {
            c.addError("ERR WATCH inside MULTI is not allowed");
            return;
        }
        if (c.watched == null) {
            c.watched = new ArrayList<>();
        }
        long now = System.currentTimeMillis();
        Database db = ctx.ks.db(c);
        outer:
        for (int j = 1; j < c.argc; j++) {
            ByteString key = ByteString.arg(c, j);
            for (WatchedKey w : c.watched) {
                if (w.db() == c.db && w.key().equals(key)) {
                    continue outer;
                }
            }
            Dict.Entry e = db.peek(c.query, c.argOff[j], c.argLen[j], ctx.ks.hashArg(c, j));
            c.watched.add(new WatchedKey(c.db, key, e != null && Database.expired(e, now)));
            ctx.ks.observers.watch(c, c.db, key);
        }
        c.addOk();
    }

    private void unwatch(Client c) {
        ctx.ks.observers.unwatchAll(c);
        c.addOk();
    }
}
