package flexos.redis;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each command's replies and errors, byte for byte as redis-server 7.0.15 sends them. */
class CommandSemanticsTest {

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
    void pingEchoAndCaseInsensitiveNames() {
        assertEquals("+PONG\r\n", r.call("PING"));
        assertEquals("+PONG\r\n", r.call("pInG"));
        assertEquals("$5\r\nhello\r\n", r.call("ping", "hello"));
        assertEquals("-ERR wrong number of arguments for 'ping' command\r\n", r.call("ping", "a", "b"));
        assertEquals("$3\r\nabc\r\n", r.call("ECHO", "abc"));
        assertEquals("-ERR wrong number of arguments for 'echo' command\r\n", r.call("echo"));
    }

    @Test
    void unknownCommandQuotesItsFirstArguments() {
        assertEquals("-ERR unknown command 'foo', with args beginning with: 'a' 'b' \r\n", r.call("foo", "a", "b"));
        assertEquals("-ERR unknown command 'foo', with args beginning with: \r\n", r.call("foo"));
    }

    @Test
    void getAndSet() {
        assertEquals("$-1\r\n", r.call("GET", "k"));
        assertEquals("+OK\r\n", r.call("SET", "k", "v1"));
        assertEquals("$2\r\nv1\r\n", r.call("GET", "k"));
        assertEquals("+OK\r\n", r.call("SET", "k", "v2"));
        assertEquals("$2\r\nv2\r\n", r.call("GET", "k"));
        assertEquals("+OK\r\n", r.call("SET", "k", "a longer value"));
        assertEquals("$14\r\na longer value\r\n", r.call("GET", "k"));
        assertEquals("+OK\r\n", r.call("SET", "", ""));
        assertEquals("$0\r\n\r\n", r.call("GET", ""));
        assertEquals("-ERR wrong number of arguments for 'get' command\r\n", r.call("GET"));
        assertEquals("-ERR wrong number of arguments for 'set' command\r\n", r.call("SET", "k"));
    }

    @Test
    void setOptions() {
        assertEquals("$-1\r\n", r.call("SET", "k", "v", "XX"));
        assertEquals("+OK\r\n", r.call("SET", "k", "v", "NX"));
        assertEquals("$-1\r\n", r.call("SET", "k", "w", "NX"));
        assertEquals("$1\r\nv\r\n", r.call("SET", "k", "w", "GET"));
        assertEquals("$1\r\nw\r\n", r.call("SET", "k", "x", "nx", "get"));
        assertEquals("$1\r\nw\r\n", r.call("GET", "k"));
        assertEquals("-ERR syntax error\r\n", r.call("SET", "k", "v", "XX", "NX"));
        assertEquals("-ERR syntax error\r\n", r.call("SET", "k", "v", "EX"));
        assertEquals("-ERR syntax error\r\n", r.call("SET", "k", "v", "EX", "10", "PX", "100"));
        assertEquals("-ERR syntax error\r\n", r.call("SET", "k", "v", "KEEPTTL", "EX", "10"));
        assertEquals("-ERR invalid expire time in 'set' command\r\n", r.call("SET", "k", "v", "EX", "0"));
        assertEquals("-ERR invalid expire time in 'set' command\r\n", r.call("SET", "k", "v", "PX", "-5"));
        assertEquals("-ERR value is not an integer or out of range\r\n", r.call("SET", "k", "v", "EX", "abc"));
        assertEquals("+OK\r\n", r.call("SET", "k", "v", "EX", "100"));
        assertEquals(":100\r\n", r.call("TTL", "k"));
        assertEquals("+OK\r\n", r.call("SET", "k", "v2", "KEEPTTL"));
        assertEquals(":100\r\n", r.call("TTL", "k"));
        assertEquals("+OK\r\n", r.call("SET", "k", "v3"));
        assertEquals(":-1\r\n", r.call("TTL", "k"));
        assertEquals("+OK\r\n", r.call("SET", "k", "v", "px", "100000"));
        long pttl = Long.parseLong(r.call("PTTL", "k").substring(1).trim());
        assertTrue(pttl > 99_000 && pttl <= 100_000, "pttl " + pttl);
        r.call("LPUSH", "list", "a");
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
                r.call("SET", "list", "v", "GET"));
        assertEquals("*1\r\n$1\r\na\r\n", r.call("LRANGE", "list", "0", "-1"));
    }

    @Test
    void incrementsKeepIntegerSemantics() {
        assertEquals(":1\r\n", r.call("INCR", "n"));
        assertEquals(":2\r\n", r.call("INCR", "n"));
        assertEquals(":12\r\n", r.call("INCRBY", "n", "10"));
        assertEquals(":11\r\n", r.call("DECR", "n"));
        assertEquals(":-9\r\n", r.call("DECRBY", "n", "20"));
        assertEquals("$2\r\n-9\r\n", r.call("GET", "n"));
        r.call("SET", "n", "9223372036854775807");
        assertEquals("-ERR increment or decrement would overflow\r\n", r.call("INCR", "n"));
        r.call("SET", "s", "abc");
        assertEquals("-ERR value is not an integer or out of range\r\n", r.call("INCR", "s"));
        r.call("SET", "s", "007");
        assertEquals("-ERR value is not an integer or out of range\r\n", r.call("INCR", "s"));
        assertEquals("-ERR value is not an integer or out of range\r\n", r.call("INCRBY", "n", "x"));
        r.call("SADD", "set", "m");
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("INCR", "set"));
        r.call("SET", "t", "5", "EX", "100");
        r.call("INCR", "t");
        assertEquals(":100\r\n", r.call("TTL", "t"));
    }

    @Test
    void msetAndMget() {
        assertEquals("+OK\r\n", r.call("MSET", "a", "1", "b", "2"));
        assertEquals("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n", r.call("MGET", "a", "b", "c"));
        assertEquals("-ERR wrong number of arguments for 'mset' command\r\n", r.call("MSET", "a"));
        assertEquals("-ERR wrong number of arguments for 'mset' command\r\n", r.call("MSET", "a", "b", "c"));
    }

    @Test
    void keyspaceCommands() {
        r.call("MSET", "a", "1", "b", "2", "c", "3");
        assertEquals(":2\r\n", r.call("EXISTS", "a", "a"));
        assertEquals(":2\r\n", r.call("DEL", "a", "b", "zz"));
        assertEquals(":0\r\n", r.call("EXISTS", "a"));
        assertEquals(":1\r\n", r.call("DBSIZE"));
        r.call("MSET", "hello", "1", "hallo", "2", "hxllo", "3", "world", "4");
        String keys = r.call("KEYS", "h?llo");
        assertTrue(keys.startsWith("*3\r\n"), keys);
        assertTrue(keys.contains("hello") && keys.contains("hallo") && keys.contains("hxllo"), keys);
        assertEquals("*1\r\n$5\r\nhello\r\n", r.call("KEYS", "h[^ax]llo"));
        assertEquals("+string\r\n", r.call("TYPE", "c"));
        assertEquals("+none\r\n", r.call("TYPE", "nothing"));
        r.call("RPUSH", "l", "x");
        r.call("SADD", "s", "x");
        r.call("HSET", "h", "f", "v");
        r.call("ZADD", "z", "1", "x");
        assertEquals("+list\r\n", r.call("TYPE", "l"));
        assertEquals("+set\r\n", r.call("TYPE", "s"));
        assertEquals("+hash\r\n", r.call("TYPE", "h"));
        assertEquals("+zset\r\n", r.call("TYPE", "z"));
        assertEquals("+OK\r\n", r.call("FLUSHDB"));
        assertEquals(":0\r\n", r.call("DBSIZE"));
        assertEquals("-ERR syntax error\r\n", r.call("FLUSHALL", "now"));
    }

    @Test
    void selectSeparatesDatabases() {
        r.call("SET", "k", "db0");
        assertEquals("+OK\r\n", r.call("SELECT", "15"));
        assertEquals("$-1\r\n", r.call("GET", "k"));
        r.call("SET", "k", "db15");
        assertEquals("+OK\r\n", r.call("SELECT", "0"));
        assertEquals("$3\r\ndb0\r\n", r.call("GET", "k"));
        assertEquals("-ERR DB index is out of range\r\n", r.call("SELECT", "16"));
        assertEquals("-ERR DB index is out of range\r\n", r.call("SELECT", "-1"));
        assertEquals("-ERR value is not an integer or out of range\r\n", r.call("SELECT", "x"));
        assertEquals("+OK\r\n", r.call("FLUSHALL"));
        r.call("SELECT", "15");
        assertEquals("$-1\r\n", r.call("GET", "k"));
    }

    @Test
    void expiryAndTtl() throws InterruptedException {
        assertEquals(":-2\r\n", r.call("TTL", "k"));
        r.call("SET", "k", "v");
        assertEquals(":-1\r\n", r.call("TTL", "k"));
        assertEquals(":-1\r\n", r.call("PTTL", "k"));
        assertEquals(":0\r\n", r.call("EXPIRE", "k", "100", "XX"));
        assertEquals(":1\r\n", r.call("EXPIRE", "k", "100", "NX"));
        assertEquals(":0\r\n", r.call("EXPIRE", "k", "200", "NX"));
        assertEquals(":0\r\n", r.call("EXPIRE", "k", "50", "GT"));
        assertEquals(":1\r\n", r.call("EXPIRE", "k", "200", "GT"));
        assertEquals(":200\r\n", r.call("TTL", "k"));
        assertEquals(":1\r\n", r.call("EXPIRE", "k", "150", "LT"));
        assertEquals(":150\r\n", r.call("TTL", "k"));
        assertEquals(":1\r\n", r.call("PERSIST", "k"));
        assertEquals(":0\r\n", r.call("PERSIST", "k"));
        assertEquals(":0\r\n", r.call("EXPIRE", "k", "10", "GT"));
        assertEquals(":1\r\n", r.call("EXPIRE", "k", "10", "LT"));
        assertEquals(":0\r\n", r.call("EXPIRE", "missing", "10"));
        assertEquals("-ERR NX and XX, GT or LT options at the same time are not compatible\r\n",
                r.call("EXPIRE", "k", "10", "NX", "XX"));
        assertEquals("-ERR GT and LT options at the same time are not compatible\r\n",
                r.call("EXPIRE", "k", "10", "GT", "LT"));
        assertEquals("-ERR Unsupported option foo\r\n", r.call("EXPIRE", "k", "10", "foo"));
        assertEquals("-ERR invalid expire time in 'expire' command\r\n",
                r.call("EXPIRE", "k", "9223372036854775807"));
        assertEquals("-ERR value is not an integer or out of range\r\n", r.call("PEXPIRE", "k", "soon"));
        assertEquals(":1\r\n", r.call("PEXPIRE", "k", "30"));
        Thread.sleep(60);
        assertEquals("$-1\r\n", r.call("GET", "k"));
        assertEquals(":-2\r\n", r.call("TTL", "k"));
        r.call("SET", "gone", "v");
        assertEquals(":1\r\n", r.call("EXPIRE", "gone", "0"));
        assertEquals(":0\r\n", r.call("EXISTS", "gone"));
    }

    @Test
    void lists() {
        assertEquals(":3\r\n", r.call("RPUSH", "l", "a", "b", "c"));
        assertEquals(":5\r\n", r.call("LPUSH", "l", "y", "z"));
        assertEquals("*5\r\n$1\r\nz\r\n$1\r\ny\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", r.call("LRANGE", "l", "0", "-1"));
        assertEquals("*2\r\n$1\r\nb\r\n$1\r\nc\r\n", r.call("LRANGE", "l", "-2", "100"));
        assertEquals("*0\r\n", r.call("LRANGE", "l", "3", "1"));
        assertEquals("*0\r\n", r.call("LRANGE", "nolist", "0", "-1"));
        assertEquals("-ERR value is not an integer or out of range\r\n", r.call("LRANGE", "l", "a", "b"));
        assertEquals("$1\r\nz\r\n", r.call("LPOP", "l"));
        assertEquals("$1\r\nc\r\n", r.call("RPOP", "l"));
        assertEquals("*2\r\n$1\r\ny\r\n$1\r\na\r\n", r.call("LPOP", "l", "2"));
        assertEquals("*0\r\n", r.call("LPOP", "l", "0"));
        assertEquals("-ERR value is out of range, must be positive\r\n", r.call("LPOP", "l", "-1"));
        assertEquals("*1\r\n$1\r\nb\r\n", r.call("RPOP", "l", "5"));
        assertEquals(":0\r\n", r.call("EXISTS", "l"));
        assertEquals("$-1\r\n", r.call("LPOP", "l"));
        assertEquals("*-1\r\n", r.call("LPOP", "l", "2"));
        r.call("SET", "s", "v");
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("LPUSH", "s", "a"));
    }

    @Test
    void sets() {
        assertEquals(":2\r\n", r.call("SADD", "s", "a", "b", "a"));
        assertEquals(":1\r\n", r.call("SADD", "s", "c"));
        assertEquals(":3\r\n", r.call("SCARD", "s"));
        assertEquals(":1\r\n", r.call("SISMEMBER", "s", "a"));
        String popped = r.call("SPOP", "s");
        assertTrue(popped.matches("\\$1\r\n[abc]\r\n"), popped);
        String two = r.call("SPOP", "s", "5");
        assertTrue(two.startsWith("*2\r\n"), two);
        assertEquals(":0\r\n", r.call("EXISTS", "s"));
        assertEquals("$-1\r\n", r.call("SPOP", "s"));
        assertEquals("*0\r\n", r.call("SPOP", "s", "3"));
        assertEquals("-ERR value is out of range, must be positive\r\n", r.call("SPOP", "s", "-1"));
    }

    @Test
    void hashes() {
        assertEquals(":2\r\n", r.call("HSET", "h", "f1", "v1", "f2", "v2"));
        assertEquals(":1\r\n", r.call("HSET", "h", "f1", "new", "f3", "v3"));
        assertEquals("$3\r\nnew\r\n", r.call("HGET", "h", "f1"));
        assertEquals("$-1\r\n", r.call("HGET", "h", "nope"));
        assertEquals(":3\r\n", r.call("HLEN", "h"));
        assertEquals("-ERR wrong number of arguments for 'hset' command\r\n", r.call("HSET", "h", "f"));
        assertEquals("-ERR wrong number of arguments for 'hset' command\r\n", r.call("HSET", "h", "a", "b", "c"));
        assertEquals(":3\r\n", r.call("HDEL", "h", "f1", "f2", "f3"));
        assertEquals(":0\r\n", r.call("EXISTS", "h"));
    }

    @Test
    void sortedSets() {
        assertEquals(":3\r\n", r.call("ZADD", "z", "1.5", "a", "2", "b", "-3", "c"));
        assertEquals(":0\r\n", r.call("ZADD", "z", "5", "a"));
        assertEquals(":1\r\n", r.call("ZADD", "z", "CH", "6", "a"));
        assertEquals("*4\r\n$1\r\nc\r\n$2\r\n-3\r\n$1\r\nb\r\n$1\r\n2\r\n", r.call("ZRANGE", "z", "0", "1", "WITHSCORES"));
        assertEquals("$3\r\n8.5\r\n", r.call("ZADD", "z", "INCR", "2.5", "a"));
        assertEquals("$-1\r\n", r.call("ZADD", "z", "NX", "INCR", "1", "a"));
        assertEquals(":0\r\n", r.call("ZADD", "z", "XX", "1", "new"));
        assertEquals(":0\r\n", r.call("ZADD", "z", "GT", "1", "a"));
        assertEquals("$3\r\n8.5\r\n", r.call("ZSCORE", "z", "a"));
        assertEquals("-ERR value is not a valid float\r\n", r.call("ZADD", "z", "x", "a"));
        assertEquals("-ERR syntax error\r\n", r.call("ZADD", "z", "1", "a", "2"));
        assertEquals("-ERR XX and NX options at the same time are not compatible\r\n",
                r.call("ZADD", "z", "NX", "XX", "1", "a"));
        assertEquals("-ERR GT, LT, and/or NX options at the same time are not compatible\r\n",
                r.call("ZADD", "z", "GT", "LT", "1", "a"));
        assertEquals("-ERR INCR option supports a single increment-element pair\r\n",
                r.call("ZADD", "z", "INCR", "1", "a", "2", "b"));
        assertEquals("*2\r\n$1\r\nc\r\n$2\r\n-3\r\n", r.call("ZPOPMIN", "z"));
        assertEquals("*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$3\r\n8.5\r\n", r.call("ZPOPMIN", "z", "10"));
        assertEquals(":0\r\n", r.call("EXISTS", "z"));
        assertEquals("*0\r\n", r.call("ZPOPMIN", "z"));
        assertEquals("-ERR value is out of range, must be positive\r\n", r.call("ZPOPMIN", "z", "-1"));
        assertEquals(":1\r\n", r.call("ZADD", "inf", "+inf", "m"));
        assertEquals("$3\r\ninf\r\n", r.call("ZSCORE", "inf", "m"));
    }

    @Test
    void connectionCommandsClientsSendAtConnect() {
        assertEquals("*2\r\n$4\r\nsave\r\n$0\r\n\r\n", r.call("CONFIG", "GET", "save"));
        assertEquals("*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n", r.call("CONFIG", "GET", "appendonly"));
        assertEquals("*0\r\n", r.call("CONFIG", "GET", "nosuchparam"));
        assertEquals("-ERR wrong number of arguments for 'config' command\r\n", r.call("CONFIG"));
        assertEquals("-ERR unknown subcommand 'foo'. Try CONFIG HELP.\r\n", r.call("CONFIG", "foo"));
        String docs = r.call("COMMAND", "DOCS", "get");
        assertTrue(docs.startsWith("*2\r\n$3\r\nget\r\n*6\r\n$7\r\nsummary\r\n"), docs);
        assertTrue(docs.contains("$5\r\ngroup\r\n$6\r\nstring\r\n"), docs);
        assertEquals("-ERR unknown subcommand 'foo'. Try COMMAND HELP.\r\n", r.call("COMMAND", "foo"));
        assertEquals("$-1\r\n", r.call("CLIENT", "GETNAME"));
        assertEquals("+OK\r\n", r.call("CLIENT", "SETNAME", "bench"));
        assertEquals("$5\r\nbench\r\n", r.call("CLIENT", "GETNAME"));
        assertEquals("-ERR Client names cannot contain spaces, newlines or special characters.\r\n",
                r.call("CLIENT", "SETNAME", "a b"));
        assertEquals("-ERR unknown subcommand 'foo'. Try CLIENT HELP.\r\n", r.call("CLIENT", "foo"));
    }

    @Test
    void infoReportsServerMemoryStatsAndKeyspace() {
        r.call("SET", "a", "1");
        r.call("SET", "b", "2", "EX", "100");
        String info = r.call("INFO");
        assertTrue(info.contains("# Server\r\nredis_version:7.0.15\r\n"), info);
        assertTrue(info.contains("flexos_image:"), info);
        assertTrue(info.contains("# Clients\r\n"), info);
        long used = fixture.allocator().stats().used();
        assertTrue(info.contains("# Memory\r\nused_memory:"), info);
        assertTrue(info.contains("total_commands_processed:3\r\n"), info);
        assertTrue(info.contains("total_connections_received:"), info);
        assertTrue(info.contains("# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=0\r\n"), info);
        assertTrue(used > 0);
        String keyspace = r.call("INFO", "keyspace");
        assertTrue(keyspace.contains("db0:keys=2") && !keyspace.contains("# Server"), keyspace);
    }

    @Test
    void quitRepliesOkThenClosesTheConnection() {
        assertEquals("+OK\r\n", r.feed("*1\r\n$4\r\nQUIT\r\n*1\r\n$4\r\nPING\r\n"));
        assertTrue(r.client.closeAfterReply);
    }

    @Test
    void theCountAfterTheKeysOfLmpopAndZmpopIsPositiveAndGivenOnce() {
        // Replies recorded from redis-server 7.0.15 (RESP2).
        assertEquals(":4\r\n", r.call("RPUSH", "l", "a", "b", "c", "d"));
        assertEquals("*2\r\n$1\r\nl\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n", r.call("LMPOP", "1", "l", "LEFT", "COUNT", "2"));
        assertEquals("-ERR count should be greater than 0\r\n", r.call("LMPOP", "1", "l", "LEFT", "count", "0"));
        assertEquals("-ERR count should be greater than 0\r\n", r.call("LMPOP", "1", "l", "LEFT", "COUNT", "x"));
        assertEquals("-ERR syntax error\r\n", r.call("LMPOP", "1", "l", "LEFT", "COUNT", "1", "COUNT", "1"));
        assertEquals("-ERR syntax error\r\n", r.call("LMPOP", "1", "l", "LEFT", "COUNT"));
        assertEquals("-ERR syntax error\r\n", r.call("LMPOP", "1", "l", "LEFT", "FOO", "1"));
        assertEquals(":3\r\n", r.call("ZADD", "z", "1", "a", "2", "b", "3", "c"));
        assertEquals("*2\r\n$1\r\nz\r\n*2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n",
                r.call("ZMPOP", "1", "z", "MIN", "COUNT", "2"));
        assertEquals("-ERR count should be greater than 0\r\n", r.call("ZMPOP", "1", "z", "MAX", "COUNT", "-1"));
        assertEquals("-ERR syntax error\r\n", r.call("ZMPOP", "1", "z", "MAX", "COUNT", "1", "COUNT", "2"));
    }

    @Test
    void theLimitAfterTheKeysOfSintercardAndZintercardIsNotNegativeAndTheLastOneCounts() {
        // Replies recorded from redis-server 7.0.15 (RESP2).
        r.call("SADD", "s1", "a", "b", "c");
        r.call("SADD", "s2", "b", "c", "d");
        assertEquals(":2\r\n", r.call("SINTERCARD", "2", "s1", "s2"));
        assertEquals(":1\r\n", r.call("SINTERCARD", "2", "s1", "s2", "LIMIT", "1"));
        assertEquals("-ERR LIMIT can't be negative\r\n", r.call("SINTERCARD", "2", "s1", "s2", "LIMIT", "-1"));
        assertEquals(":2\r\n", r.call("SINTERCARD", "2", "s1", "s2", "LIMIT", "1", "LIMIT", "0"));
        assertEquals("-ERR LIMIT can't be negative\r\n", r.call("SINTERCARD", "2", "s1", "s2", "limit", "x"));
        assertEquals("-ERR syntax error\r\n", r.call("SINTERCARD", "2", "s1", "s2", "LIMIT"));
        r.call("ZADD", "z1", "1", "a", "2", "b");
        r.call("ZADD", "z2", "1", "b", "2", "c");
        assertEquals(":1\r\n", r.call("ZINTERCARD", "2", "z1", "z2", "LIMIT", "0"));
        assertEquals("-ERR LIMIT can't be negative\r\n", r.call("ZINTERCARD", "2", "z1", "z2", "LIMIT", "-5"));
        assertEquals("-ERR syntax error\r\n", r.call("ZINTERCARD", "2", "z1", "z2", "BAR", "1"));
    }
}
