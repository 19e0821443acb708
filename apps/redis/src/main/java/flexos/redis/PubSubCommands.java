package flexos.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH and PUBSUB, as Redis's {@code pubsub.c}. A RESP2 client
 * with a subscription may only run the (un)subscribe commands, PING, QUIT and RESET (the dispatcher enforces it);
 * a RESP3 client gets messages as pushes and may run anything.
 */
final class PubSubCommands {

    private final ServerContext ctx;

    PubSubCommands(ServerContext ctx) {
        this.ctx = ctx;
    }

    void register(CommandTable t) {
        t.add("subscribe -2 pubsub,noscript,loading,stale,pubsub_ok 0 0 0 pubsub 2.0.0 | Listens for messages "
                + "published to these channels.", this::subscribe);
        t.add("unsubscribe -1 pubsub,noscript,loading,stale,pubsub_ok 0 0 0 pubsub 2.0.0 | Stops listening to "
                + "these channels, or to all of them.", this::unsubscribe);
        t.add("psubscribe -2 pubsub,noscript,loading,stale,pubsub_ok 0 0 0 pubsub 2.0.0 | Listens for messages "
                + "published to channels matching these glob patterns.", this::psubscribe);
        t.add("punsubscribe -1 pubsub,noscript,loading,stale,pubsub_ok 0 0 0 pubsub 2.0.0 | Stops listening to "
                + "these patterns, or to all of them.", this::punsubscribe);
        t.add("publish 3 pubsub,loading,stale,fast 0 0 0 pubsub 2.0.0 | Sends a message to a channel's "
                + "subscribers; returns how many received it.", this::publish);
        t.add("pubsub -2 - 0 0 0 pubsub 2.8.0 | A container for pub/sub introspection commands.", null);
        t.addSub("pubsub", "channels -2 pubsub,loading,stale 0 0 0 pubsub 2.8.0 | Lists the channels that have "
                + "subscribers, optionally matching a pattern.", this::channels);
        t.addSub("pubsub", "numsub -2 pubsub,loading,stale 0 0 0 pubsub 2.8.0 | Counts the subscribers of "
                + "channels.", this::numsub);
        t.addSub("pubsub", "numpat 2 pubsub,loading,stale 0 0 0 pubsub 2.8.0 | Counts the patterns clients "
                + "are subscribed to.", c -> c.addInteger(ctx.pubsub.patterns.size()));
        t.addSub("pubsub", "help 2 loading,stale 0 0 0 pubsub 6.2.0 | Shows the PUBSUB subcommands.", c ->
                Help.reply(c, "PUBSUB", List.of("CHANNELS [<pattern>]", "    Return the currently active channels "
                        + "matching a <pattern> (default: '*').", "NUMPAT", "    Return number of subscriptions to "
                        + "patterns.", "NUMSUB [<channel> ...]", "    Return the number of subscribers for the "
                        + "specified channels, excluding pattern subscriptions(default: no channels).")));
    }

    private void confirm(Client c, String kind, byte[] name) {
        c.addPushHeader(3);
        c.addBulkString(kind);
        if (name == null) {
            c.addNull();
        } else {
            c.addBulkBytes(name);
        }
        c.addInteger(PubSub.subscriptions(c));
    }

    private void subscribe(Client c) {
        for (int j = 1; j < c.argc; j++) {
            ByteString ch = ByteString.arg(c, j);
            ctx.pubsub.subscribe(c, ch);
            confirm(c, "subscribe", ch.bytes);
        }
    }

    private void psubscribe(Client c) {
        for (int j = 1; j < c.argc; j++) {
            ByteString p = ByteString.arg(c, j);
            ctx.pubsub.psubscribe(c, p);
            confirm(c, "psubscribe", p.bytes);
        }
    }

    private void unsubscribe(Client c) {
        if (c.argc == 1) {
            List<ByteString> all = c.channels == null ? List.of() : new ArrayList<>(c.channels);
            if (all.isEmpty()) {
                confirm(c, "unsubscribe", null);
            }
            for (ByteString ch : all) {
                ctx.pubsub.unsubscribe(c, ch);
                confirm(c, "unsubscribe", ch.bytes);
            }
            return;
        }
        for (int j = 1; j < c.argc; j++) {
            ByteString ch = ByteString.arg(c, j);
            ctx.pubsub.unsubscribe(c, ch);
            confirm(c, "unsubscribe", ch.bytes);
        }
    }

    private void punsubscribe(Client c) {
        if (c.argc == 1) {
            List<ByteString> all = c.patterns == null ? List.of() : new ArrayList<>(c.patterns);
            if (all.isEmpty()) {
                confirm(c, "punsubscribe", null);
            }
            for (ByteString p : all) {
                ctx.pubsub.punsubscribe(c, p);
                confirm(c, "punsubscribe", p.bytes);
            }
            return;
        }
        for (int j = 1; j < c.argc; j++) {
            ByteString p = ByteString.arg(c, j);
            ctx.pubsub.punsubscribe(c, p);
            confirm(c, "punsubscribe", p.bytes);
        }
    }

    private void publish(Client c) {
        c.addInteger(ctx.pubsub.publish(ByteString.arg(c, 1), ByteString.arg(c, 2)));
    }

    private void channels(Client c) {
        if (c.argc > 3) {
            throw new CommandError("ERR wrong number of arguments for 'pubsub|channels' command");
        }
        List<ByteString> list = ctx.pubsub.activeChannels(c.argc == 3 ? ByteString.arg(c, 2) : null);
        c.addArrayHeader(list.size());
        for (ByteString ch : list) {
            c.addBulkBytes(ch.bytes);
        }
    }

    private void numsub(Client c) {
        c.addMapHeader(c.argc - 2);
        for (int j = 2; j < c.argc; j++) {
            ByteString ch = ByteString.arg(c, j);
            Set<Client> subs = ctx.pubsub.channels.get(ch);
            c.addBulkBytes(ch.bytes);
            c.addInteger(subs == null ? 0 : subs.size());
        }
    }
}
