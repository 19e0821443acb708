package flexos.redis;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Feeds raw request bytes to a client of a detached {@link EventLoop}, exactly as the loop does after a
 * {@code recv}, and returns the reply bytes the loop would send.
 */
final class CommandDriver implements AutoCloseable {

    final EventLoop loop;
    final Client client;

    private final boolean ownsLoop;

    CommandDriver(LibOsFixture fixture) {
        this.loop = fixture.detachedLoop();
        this.client = loop.newClient(-1);
        this.ownsLoop = true;
    }

    /** A second client of the same loop, sharing its keyspace. */
    CommandDriver(LibOsFixture fixture, EventLoop loop) {
        this.loop = loop;
        this.client = loop.newClient(-1);
        this.ownsLoop = false;
    }

    /** Appends {@code bytes} to the query buffer as one read, runs what is complete, and returns the new replies. */
    String feed(byte[] bytes) {
        if (client.queryPos > 0) {
            client.compactQuery();
        }
        long needed = client.queryLen + bytes.length;
        if (needed > client.query.byteSize()) {
            MemorySegment grown = loop.keyspace().blocks.resize(client.query, Math.max(needed, 2 * client.query.byteSize()));
            client.query = grown;
        }
        MemorySegment.copy(bytes, 0, client.query, ValueLayout.JAVA_BYTE, client.queryLen, bytes.length);
        client.queryLen += bytes.length;
        loop.processInput(client);
        return takeReplies();
    }

    String feed(String text) {
        return feed(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Sends one multibulk request and returns its reply. */
    String call(String... args) {
        StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
        for (String arg : args) {
            request.append('$').append(arg.getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n")
                    .append(arg).append("\r\n");
        }
        return feed(request.toString());
    }

    String takeReplies() {
        int n = client.replyLen - client.replySent;
        byte[] out = new byte[n];
        MemorySegment.copy(client.reply, ValueLayout.JAVA_BYTE, client.replySent, out, 0, n);
        client.replyLen = 0;
        client.replySent = 0;
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        loop.releaseState(client);
        client.release();
        if (ownsLoop) {
            loop.close();
        }
    }
}
