package flexos.redis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Channels and patterns and their subscribers, as Redis's {@code pubsub.c}. A message is written into each
 * subscriber's reply buffer as a push (RESP3) or an array (RESP2) and the subscriber is queued for sending.
 */
final class PubSub {

    private final ServerContext ctx;
    final Map<ByteString, Set<Client>> channels = new HashMap<>();
    final Map<ByteString, Set<Client>> patterns = new LinkedHashMap<>();

    PubSub(ServerContext ctx) {
        this.ctx = ctx;
    }

    static int subscriptions(Client c) {
        return (c.channels == null ? 0 : c.channels.size()) + (c.patterns == null ? 0 : c.patterns.size());
    }

    /** Subscribes {@code c} to {@code channel}; returns whether it was not subscribed yet. */
    boolean subscribe(Client c, ByteString channel) {
        if (c.channels == null) {
            c.channels = new LinkedHashSet<>();
        }
        if (!c.channels.add(channel)) {
            return false;
        }
        channels.computeIfAbsent(channel, k -> new LinkedHashSet<>()).add(c);
        return true;
    }

    boolean unsubscribe(Client c, ByteString channel) {
        if (c.channels == null || !c.channels.remove(channel)) {
            return false;
        }
        Set<Client> subs = channels.get(channel);
        if (subs != null) {
            subs.remove(c);
            if (subs.isEmpty()) {
                channels.remove(channel);
            }
        }
        return true;
    }

    boolean psubscribe(Client c, ByteString pattern) {
        if (c.patterns == null) {
            c.patterns = new LinkedHashSet<>();
        }
        if (!c.patterns.add(pattern)) {
            return false;
        }
        patterns.computeIfAbsent(pattern, k -> new LinkedHashSet<>()).add(c);
        return true;
    }

    boolean punsubscribe(Client c, ByteString pattern) {
        if (c.patterns == null || !c.patterns.remove(pattern)) {
            return false;
        }
        Set<Client> subs = patterns.get(pattern);
        if (subs != null) {
            subs.remove(c);
            if (subs.isEmpty()) {
                patterns.remove(pattern);
            }
        }
        return true;
    }

    /** Removes every subscription of a client that goes away. */
    void dropClient(Client c) {
        if (c.channels != null) {
            for (ByteString ch : new ArrayList<>(c.channels)) {
                unsubscribe(c, ch);
            }
        }
        if (c.patterns != null) {
            for (ByteString p : new ArrayList<>(c.patterns)) {
                punsubscribe(c, p);
            }
        }
    }

    /** Delivers {@code message} on {@code channel}; returns how many clients received it. */
    long publish(ByteString channel, ByteString message) {
        long receivers = 0;
        Set<Client> subs = channels.get(channel);
        if (subs != null) {
            for (Client s : subs) {
                s.addPushHeader(3);
                s.addBulkString("message");
                s.addBulkBytes(channel.bytes);
                s.addBulkBytes(message.bytes);
                ctx.pendingWrite.accept(s);
                receivers++;
            }
        }
        for (Map.Entry<ByteString, Set<Client>> e : patterns.entrySet()) {
            ByteString pattern = e.getKey();
            if (!ctx.patterns.fnmatch(pattern.segment(), 0, pattern.bytes.length, channel.segment(), 0,
                    channel.bytes.length)) {
                continue;
            }
            for (Client s : e.getValue()) {
                s.addPushHeader(4);
                s.addBulkString("pmessage");
                s.addBulkBytes(pattern.bytes);
                s.addBulkBytes(channel.bytes);
                s.addBulkBytes(message.bytes);
                ctx.pendingWrite.accept(s);
                receivers++;
            }
        }
        return receivers;
    }

    List<ByteString> activeChannels(ByteString pattern) {
        List<ByteString> out = new ArrayList<>();
        for (ByteString ch : channels.keySet()) {
            if (pattern == null || ctx.patterns.fnmatch(pattern.segment(), 0, pattern.bytes.length, ch.segment(), 0,
                    ch.bytes.length)) {
                out.add(ch);
            }
        }
        return out;
    }
}
