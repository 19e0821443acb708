package flexos.redis;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the RESP and inline parser through a real socket: whatever bytes a client sends (protocol fragments, huge
 * lengths, NUL bytes, binary noise), what it gets back is well-formed RESP (or nothing, while a request is still
 * incomplete, or the connection is closed), another client is still served at once, and once the connections are
 * gone the compartment heap is back where it was. Bounded: a fixed number of tries, each read bounded in time.
 */
class HostileInputPropertyTest {

    private static LibOsFixture fixture;
    private static RunningServer server;
    private static long baseline;

    @BeforeContainer
    static void start() throws Exception {
        fixture = new LibOsFixture(128L << 20);
        server = new RunningServer(fixture.redis());
        try (RespConnection warm = new RespConnection(server.port)) {
            warm.call("PING");
        }
        Thread.sleep(100);
        baseline = fixture.allocator().stats().used();
    }

    @AfterContainer
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    private static final List<String> TOKENS = List.of("*", "$", "\r\n", "\n", "\r", "\0", "0", "1", "3", "-1",
            "-10", "2147483648", "9999999999", "536870913", "PING", "SET", "GET", "k", "v", "\"", "'", "\\x00",
            " ", "MULTI", "EXEC", "SUBSCRIBE", "HELLO", "3", "BLPOP", "0.05", "CLIENT", "KILL", "ID", "+", ":");

    @Provide
    Arbitrary<byte[]> hostileBytes() {
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
        Arbitrary<byte[]> protocolish = Arbitraries.of(TOKENS).list().ofMaxSize(60)
                .map(parts -> String.join("", parts).getBytes(StandardCharsets.ISO_8859_1));
        return Arbitraries.oneOf(noise, protocolish, protocolish);
    }

    @Property(tries = 60)
    void anyBytesGetWellFormedRepliesOrACloseAndOthersAreStillServed(@ForAll("hostileBytes") byte[] bytes)
            throws Exception {
        byte[] received;
        try (Socket hostile = new Socket("127.0.0.1", server.port)) {
            hostile.setSoTimeout(300);
            hostile.getOutputStream().write(bytes);
            hostile.getOutputStream().flush();
            received = readFor(hostile.getInputStream(), 300);
        }
        assertTrue(wellFormedReplies(received), "malformed reply bytes: "
                + new String(received, StandardCharsets.ISO_8859_1));
        try (RespConnection good = new RespConnection(server.port)) {
            assertEquals("+PONG\r\n", good.call("PING"), "another client is served");
        }
        assertTrue(server.isRunning(), "the server is still running");
        long deadline = System.currentTimeMillis() + 5_000;
        while (fixture.allocator().stats().used() != baseline && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        long used = fixture.allocator().stats().used();
        // FLUSHALL-free garbage may have stored a key (SET k v): the heap must be within its bound, and nothing of
        // the closed connections may stay.
        try (RespConnection cleaner = new RespConnection(server.port)) {
            cleaner.call("FLUSHALL");
        }
        deadline = System.currentTimeMillis() + 5_000;
        while (fixture.allocator().stats().used() != baseline && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(used <= fixture.allocator().stats().capacity());
        assertEquals(baseline, fixture.allocator().stats().used(), "the hostile connection's memory is given back");
    }

    private static byte[] readFor(InputStream in, long millis) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long deadline = System.currentTimeMillis() + millis;
        byte[] buffer = new byte[8192];
        while (System.currentTimeMillis() < deadline) {
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                break;
            } catch (IOException e) {
                break; // reset by the server after a protocol error: a close
            }
            if (n < 0) {
                break;
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** Whether {@code b} is a sequence of complete RESP2/RESP3 replies (a truncated last one is tolerated). */
    static boolean wellFormedReplies(byte[] b) {
        int[] pos = {0};
        while (pos[0] < b.length) {
            int r = reply(b, pos);
            if (r < 0) {
                return false;
            }
            if (r == 0) {
                return true;
            }
        }
        return true;
    }

    /** 1: a reply was read; 0: the bytes end inside one; -1: not RESP. */
    private static int reply(byte[] b, int[] pos) {
        int start = pos[0];
        int eol = -1;
        for (int i = start; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                eol = i;
                break;
            }
        }
        if (eol < 0) {
            return 0;
        }
        char type = (char) b[start];
        String line = new String(b, start + 1, eol - start - 1, StandardCharsets.ISO_8859_1);
        pos[0] = eol + 2;
        switch (type) {
            case '+', '-', ':', ',', '_', '#', '(' -> {
                return 1;
            }
            case '$', '=', '!' -> {
                long n = Long.parseLong(line);
                if (n < 0) {
                    return 1;
                }
                if (pos[0] + n + 2 > b.length) {
                    return 0;
                }
                pos[0] += (int) n + 2;
                return 1;
            }
            case '*', '%', '~', '>' -> {
                long n = Long.parseLong(line);
                long items = type == '%' ? 2 * n : n;
                for (long i = 0; i < items; i++) {
                    if (pos[0] >= b.length) {
                        return 0;
                    }
                    int r = reply(b, pos);
                    if (r <= 0) {
                        return r;
                    }
                }
                return 1;
            }
            default -> {
                return -1;
            }
        }
    }
}
