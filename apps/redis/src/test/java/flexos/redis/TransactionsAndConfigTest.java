package flexos.redis;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MULTI/EXEC/WATCH, CONFIG honesty, AUTH, HELLO/RESP3 and the inline NUL byte, byte for byte as redis-server. */
class TransactionsAndConfigTest {

    private LibOsFixture fixture;
    private CommandDriver r;

    @BeforeEach
    void start() {
        fixture = new LibOsFixture(64L << 20);
        r = new CommandDriver(fixture);
    }

    @AfterEach
    void stop() {
        r.close();
        fixture.close();
    }

    @Test
    void multiQueuesAndExecRunsEverythingAtOnce() {
        assertEquals("+OK\r\n", r.call("MULTI"));
        assertEquals("+QUEUED\r\n", r.call("INCR", "t"));
        assertEquals("+QUEUED\r\n", r.call("INCR", "t"));
        assertEquals("$-1\r\n", r.call("GET", "t").replace("+QUEUED\r\n", "$-1\r\n"));
        assertEquals("*3\r\n:1\r\n:2\r\n$1\r\n2\r\n", r.call("EXEC"));
        assertEquals("-ERR EXEC without MULTI\r\n", r.call("EXEC"));
        assertEquals("-ERR DISCARD without MULTI\r\n", r.call("DISCARD"));
    }

    @Test
    void aQueueingErrorAbortsTheWholeTransaction() {
        r.call("MULTI");
        assertEquals("+QUEUED\r\n", r.call("SET", "a", "1"));
        assertEquals("-ERR wrong number of arguments for 'incr' command\r\n", r.call("INCR"));
        assertEquals("-EXECABORT Transaction discarded because of previous errors.\r\n", r.call("EXEC"));
        assertEquals("$-1\r\n", r.call("GET", "a"));
        r.call("MULTI");
        assertEquals("-ERR MULTI calls can not be nested\r\n", r.call("MULTI"));
        assertEquals("+OK\r\n", r.call("DISCARD"));
    }

    @Test
    void runtimeErrorsInsideExecDoNotStopTheOthers() {
        r.call("SET", "s", "text");
        r.call("MULTI");
        r.call("INCR", "s");
        r.call("SET", "x", "1");
        assertEquals("*2\r\n-ERR value is not an integer or out of range\r\n+OK\r\n", r.call("EXEC"));
    }

    @Test
    void watchFailsExecWhenTheKeyChangesExpiresOrIsFlushed() throws InterruptedException {
        r.call("SET", "w", "1");
        assertEquals("+OK\r\n", r.call("WATCH", "w"));
        r.call("SET", "w", "2");
        r.call("MULTI");
        r.call("SET", "w", "3");
        assertEquals("*-1\r\n", r.call("EXEC"));
        assertEquals("$1\r\n2\r\n", r.call("GET", "w"));

        r.call("WATCH", "w");
        r.call("MULTI");
        r.call("PING");
        assertEquals("*1\r\n+PONG\r\n", r.call("EXEC"), "an untouched watched key lets EXEC run");

        r.call("SET", "e", "v", "PX", "20");
        r.call("WATCH", "e");
        Thread.sleep(40);
        r.call("MULTI");
        r.call("PING");
        assertEquals("*-1\r\n", r.call("EXEC"), "an expired watched key fails EXEC");

        r.call("WATCH", "w");
        r.call("FLUSHALL");
        r.call("MULTI");
        r.call("PING");
        assertEquals("*-1\r\n", r.call("EXEC"), "FLUSHALL touches watched keys");

        r.call("MULTI");
        assertEquals("-ERR WATCH inside MULTI is not allowed\r\n", r.call("WATCH", "w"));
        r.call("DISCARD");
        assertEquals("+OK\r\n", r.call("UNWATCH"));
    }

    @Test
    void configSetOfAnUnknownParameterIsAnErrorAndGetTellsTheTruth() {
        assertEquals("-ERR Unknown option or number of arguments for CONFIG SET - 'no-such-param'\r\n",
                r.call("CONFIG", "SET", "no-such-param", "1"));
        assertTrue(r.call("CONFIG", "SET", "appendonly", "yes").startsWith(
                "-ERR CONFIG SET failed (possibly related to argument 'appendonly') - "));
        assertEquals("*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n", r.call("CONFIG", "GET", "appendonly"));
        assertTrue(r.call("CONFIG", "SET", "save", "900 1").startsWith("-ERR CONFIG SET failed"));
        assertEquals("+OK\r\n", r.call("CONFIG", "SET", "save", ""));
        assertEquals("-ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable "
                + "config\r\n", r.call("CONFIG", "SET", "databases", "4"));
        assertEquals("+OK\r\n", r.call("CONFIG", "SET", "maxclients", "50"));
        assertEquals("*2\r\n$10\r\nmaxclients\r\n$2\r\n50\r\n", r.call("CONFIG", "GET", "maxclients"));
        assertEquals("-ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument couldn't be "
                + "parsed into an integer\r\n", r.call("CONFIG", "SET", "maxclients", "many"));
        assertEquals("-ERR The server is running without a config file\r\n", r.call("CONFIG", "REWRITE"));
        assertEquals("-ERR wrong number of arguments for 'config|get' command\r\n", r.call("CONFIG", "GET"));
    }

    @Test
    void requirepassMakesAuthNecessary() {
        assertTrue(r.call("AUTH", "x").startsWith("-ERR AUTH <password> called without any password"));
        assertEquals("+OK\r\n", r.call("CONFIG", "SET", "requirepass", "secret"));
        try (CommandDriver other = new CommandDriver(fixture, r.loop)) {
            assertEquals("-NOAUTH Authentication required.\r\n", other.call("GET", "k"));
            assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n",
                    other.call("AUTH", "nope"));
            assertEquals("+OK\r\n", other.call("AUTH", "secret"));
            assertEquals("$-1\r\n", other.call("GET", "k"));
        }
    }

    @Test
    void helloSwitchesToResp3() {
        String hello = r.call("HELLO", "3");
        assertTrue(hello.startsWith("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n"), hello);
        assertTrue(hello.contains("$5\r\nproto\r\n:3\r\n"), hello);
        assertEquals("_\r\n", r.call("GET", "missing"));
        r.call("HSET", "h", "f", "v");
        assertEquals("%1\r\n$1\r\nf\r\n$1\r\nv\r\n", r.call("HGETALL", "h"));
        r.call("ZADD", "z", "1.5", "m");
        assertEquals(",1.5\r\n", r.call("ZSCORE", "z", "m"));
        assertEquals("-NOPROTO unsupported protocol version\r\n", r.call("HELLO", "4"));
    }

    @Test
    void anInlineRequestWithANulByteEndsAtIt() {
        r.call("SET", "a", "va");
        assertEquals("$2\r\nva\r\n", r.feed(new byte[] {'G', 'E', 'T', ' ', 'a', 0, 'b', '\r', '\n'}));
        assertEquals("+PONG\r\n", r.feed("PING\r\n"));
        byte[] garbage = {0, 0, (byte) 0xff, 0, '\n', 'P', 'I', 'N', 'G', '\n'};
        assertEquals("+PONG\r\n", r.feed(garbage), "a NUL-only line is an empty request, the next one runs");
    }

    @Test
    void stringCommandsOfRedis7() {
        assertEquals(":1\r\n", r.call("SETNX", "k", "v"));
        assertEquals(":0\r\n", r.call("SETNX", "k", "w"));
        assertEquals("$1\r\nv\r\n", r.call("GETSET", "k", "x"));
        assertEquals("$1\r\nx\r\n", r.call("GETDEL", "k"));
        assertEquals("+OK\r\n", r.call("SET", "s", "Hello World"));
        assertEquals("$5\r\nWorld\r\n", r.call("GETRANGE", "s", "-5", "-1"));
        assertEquals(":11\r\n", r.call("SETRANGE", "s", "6", "Redis"));
        assertEquals("$11\r\nHello Redis\r\n", r.call("GET", "s"));
        assertEquals("$4\r\n10.5\r\n", r.call("INCRBYFLOAT", "f", "10.5"));
        assertEquals("$4\r\n10.6\r\n", r.call("INCRBYFLOAT", "f", "0.1"));
        r.call("MSET", "a", "ohmytext", "b", "mynewtext");
        assertEquals("$6\r\nmytext\r\n", r.call("LCS", "a", "b"));
        assertEquals(":6\r\n", r.call("LCS", "a", "b", "LEN"));
        assertEquals(":0\r\n", r.call("SETBIT", "bits", "7", "1"));
        assertEquals(":1\r\n", r.call("GETBIT", "bits", "7"));
        assertEquals(":1\r\n", r.call("BITCOUNT", "bits"));
        assertEquals(":7\r\n", r.call("BITPOS", "bits", "1"));
    }

    @Test
    void listsSortedSetsAndKeys() {
        r.call("RPUSH", "l", "a", "b", "c", "b");
        assertEquals(":5\r\n", r.call("LINSERT", "l", "BEFORE", "c", "x"));
        assertEquals(":2\r\n", r.call("LREM", "l", "0", "b"));
        assertEquals("*3\r\n$1\r\na\r\n$1\r\nx\r\n$1\r\nc\r\n", r.call("LRANGE", "l", "0", "-1"));
        assertEquals("$1\r\nc\r\n", r.call("LMOVE", "l", "m", "RIGHT", "LEFT"));
        assertEquals(":1\r\n", r.call("LPOS", "l", "x"));
        r.call("ZADD", "z", "1", "a", "2", "b", "3", "c");
        assertEquals("*2\r\n$1\r\nb\r\n$1\r\nc\r\n", r.call("ZRANGE", "z", "(1", "+inf", "BYSCORE"));
        assertEquals("*1\r\n$1\r\nb\r\n", r.call("ZRANGE", "z", "+inf", "(1", "BYSCORE", "REV", "LIMIT", "1", "1"));
        assertEquals(":2\r\n", r.call("ZRANK", "z", "c"));
        assertEquals(":2\r\n", r.call("ZCOUNT", "z", "2", "3"));
        assertEquals("+OK\r\n", r.call("RENAME", "z", "z2"));
        assertEquals(":1\r\n", r.call("COPY", "z2", "z3"));
        assertEquals("*2\r\n$1\r\nc\r\n$1\r\n3\r\n", r.call("ZPOPMAX", "z3"));
        assertEquals("*2\r\n$1\r\n0\r\n", r.call("SCAN", "0", "MATCH", "nomatch*").substring(0, 11));
    }

    @Test
    void sortAndMonitor() {
        r.call("RPUSH", "n", "3", "1", "2");
        assertEquals("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", r.call("SORT", "n"));
        assertEquals(":3\r\n", r.call("SORT", "n", "DESC", "STORE", "dst"));
        assertEquals("*1\r\n$1\r\n3\r\n", r.call("LRANGE", "dst", "0", "0"));
        r.call("MSET", "w_1", "30", "w_2", "10", "w_3", "20");
        assertEquals("*3\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n1\r\n", r.call("SORT", "n", "BY", "w_*"));
        try (CommandDriver monitor = new CommandDriver(fixture, r.loop)) {
            assertEquals("+OK\r\n", monitor.call("MONITOR"));
            r.call("SET", "k", "v");
            String fed = monitor.takeReplies();
            assertTrue(fed.matches("\\+\\d+\\.\\d{6} \\[0 \\?:0\\] \"SET\" \"k\" \"v\"\r\n"), fed);
            assertEquals("+RESET\r\n", monitor.call("RESET"));
            r.call("SET", "k", "w");
            assertEquals("", monitor.takeReplies());
        }
    }
}
