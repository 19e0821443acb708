package flexos.redis;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The RESP parser, through the same path the event loop takes after each read. */
class RequestParserTest {

    private LibOsFixture fixture;
    private CommandDriver r;

    @BeforeEach
    void start() {
        fixture = new LibOsFixture(32L << 20);
        r = new CommandDriver(fixture);
    }

    @AfterEach
    void stop() {
        r.close();
        fixture.close();
    }

    private static final String PIPELINE = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nva\r\nl\r\n"
            + "PING\r\n"
            + "*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n"
            + "*0\r\n"
            + "\r\n"
            + "echo 'a b' \"c\\x41\\n\"\n"
            + "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n";
    private static final String REPLIES = "+OK\r\n+PONG\r\n$5\r\nva\r\nl\r\n"
            + "-ERR wrong number of arguments for 'echo' command\r\n$0\r\n\r\n";

    @Test
    void aPipelineInOneRead() {
        assertEquals(REPLIES, r.feed(PIPELINE));
    }

    @Test
    void aPipelineSplitAtEveryByte() {
        for (int split = 1; split < PIPELINE.length(); split++) {
            r.call("FLUSHALL");
            String replies = r.feed(PIPELINE.substring(0, split)) + r.feed(PIPELINE.substring(split));
            assertEquals(REPLIES, replies, "split at " + split);
        }
    }

    @Test
    void aPipelineOneByteAtATime() {
        StringBuilder replies = new StringBuilder();
        for (char ch : PIPELINE.toCharArray()) {
            replies.append(r.feed(String.valueOf(ch)));
        }
        assertEquals(REPLIES, replies.toString());
    }

    @Test
    void inlineQuotingFollowsRedis() {
        assertEquals("$5\r\nhello\r\n", r.feed("ECHO hello\r\n"));
        assertEquals("$3\r\na b\r\n", r.feed("ECHO \"a b\"\r\n"));
        assertEquals("$3\r\nA\tB\r\n", r.feed("ECHO \"\\x41\\tB\"\n"));
        assertEquals("$4\r\nit's\r\n", r.feed("ECHO 'it\\'s'\r\n"));
        assertEquals("+OK\r\n", r.feed("  set   k   v  \r\n"));
        assertEquals("$1\r\nv\r\n", r.feed("get k\r\n"));
        assertEquals("", r.feed("\r\n\r\n"));
    }

    @Test
    void unbalancedQuotesCloseTheConnection() {
        assertEquals("-ERR Protocol error: unbalanced quotes in request\r\n", r.feed("ECHO \"abc\r\nPING\r\n"));
        assertTrue(r.client.closeAfterReply);
    }

    @Test
    void quoteFollowedByALetterIsUnbalanced() {
        assertEquals("-ERR Protocol error: unbalanced quotes in request\r\n", r.feed("ECHO \"a\"b\r\n"));
    }

    @Test
    void invalidMultibulkLength() {
        assertEquals("-ERR Protocol error: invalid multibulk length\r\n", r.feed("*x\r\n"));
        assertTrue(r.client.closeAfterReply);
    }

    @Test
    void expectedDollar() {
        assertEquals("-ERR Protocol error: expected '$', got 'G'\r\n", r.feed("*1\r\nGET\r\n"));
    }

    @Test
    void invalidBulkLength() {
        assertEquals("-ERR Protocol error: invalid bulk length\r\n", r.feed("*1\r\n$-1\r\n"));
    }

    @Test
    void bulkLongerThanProtoMaxBulkLen() {
        assertEquals("-ERR Protocol error: invalid bulk length\r\n", r.feed("*1\r\n$536870913\r\n"));
    }

    @Test
    void repliesBeforeAProtocolErrorAreKept() {
        assertEquals("+PONG\r\n-ERR Protocol error: invalid bulk length\r\n", r.feed("PING\r\n*1\r\n$abc\r\n"));
    }

    @Test
    void tooBigInlineRequest() {
        String reply = r.feed("x".repeat(RequestParser.INLINE_MAX + 10));
        assertEquals("-ERR Protocol error: too big inline request\r\n", reply);
    }

    @Test
    void bulkArgumentsMayHoldAnyByte() {
        String value = "a\r\nb\0c\u00ff";
        assertEquals("+OK\r\n", r.call("SET", "bin", value));
        assertEquals("$" + value.length() + "\r\n" + value + "\r\n", r.call("GET", "bin"));
    }

    @Test
    void strictDecimalsLikeString2ll() {
        var s = java.lang.foreign.MemorySegment.ofArray("0 -0 007 -12 9223372036854775807 9223372036854775808 +1 -"
                .getBytes());
        List<long[]> cases = List.of(new long[] {0, 1, 0}, new long[] {2, 4, Long.MIN_VALUE},
                new long[] {5, 8, Long.MIN_VALUE}, new long[] {9, 12, -12},
                new long[] {13, 32, Long.MAX_VALUE}, new long[] {33, 52, Long.MIN_VALUE},
                new long[] {53, 55, Long.MIN_VALUE}, new long[] {56, 57, Long.MIN_VALUE});
        for (long[] c : cases) {
            assertEquals(c[2], RequestParser.parseLong(s, (int) c[0], (int) c[1]), "case " + c[0]);
        }
    }

    @Property(tries = 30)
    void anyCommandSplitAnywhereGivesTheSameReplies(
            @ForAll @Size(min = 1, max = 6) List<@StringLength(max = 40) String> values,
            @ForAll @IntRange(min = 1, max = 50) int chunk) {
        try (LibOsFixture f = new LibOsFixture(16L << 20); CommandDriver whole = new CommandDriver(f);
             CommandDriver pieces = new CommandDriver(f)) {
            StringBuilder request = new StringBuilder();
            for (int i = 0; i < values.size(); i++) {
                request.append(RespConnection.request("SET", "k" + i, values.get(i)))
                        .append(RespConnection.request("GET", "k" + i));
            }
            String all = request.toString();
            String expected = whole.feed(all);
            StringBuilder got = new StringBuilder();
            for (int at = 0; at < all.length(); at += chunk) {
                got.append(pieces.feed(all.substring(at, Math.min(all.length(), at + chunk))));
            }
            assertEquals(expected, got.toString());
            assertFalse(expected.contains("-ERR"));
        }
    }
}
