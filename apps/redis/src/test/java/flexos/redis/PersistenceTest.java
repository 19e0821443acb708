package flexos.redis;

import flexos.vfs.api.FileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SAVE, BGSAVE, loading, DUMP/RESTORE and the persistence parameters, through the command interface of a detached
 * event loop over the real libraries (vfs mounted on a temporary host directory).
 */
class PersistenceTest {

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private final java.util.Map<CommandDriver, Persistence> persistences = new java.util.HashMap<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    /** A fresh server (its own heap and vfs) whose snapshots live in {@link #dir}; {@code extra} are more options. */
    private CommandDriver server(String... extra) {
        List<String> args = new ArrayList<>(List.of("--dir", dir.toString()));
        args.addAll(List.of(extra));
        Persistence[] persistence = new Persistence[1];
        CommandDriver driver = persistentServer(open, args, persistence);
        persistences.put(driver, persistence[0]);
        persistence[0].loadOnStart();
        return driver;
    }

    /**
     * A detached server over its own libraries with persistence enabled by {@code args}, closed with {@code open};
     * its persistence is put in {@code persistence[0]}. Nothing is loaded yet.
     */
    static CommandDriver persistentServer(List<AutoCloseable> open, List<String> args, Persistence[] persistence) {
        LibOsFixture fixture = new LibOsFixture(64L << 20);
        open.add(fixture);
        CommandDriver driver = new CommandDriver(fixture);
        open.add(driver);
        persistence[0] = driver.loop.enablePersistence(fixture.get(FileSystem.class), PersistenceOptions.parse(args));
        return driver;
    }

    private static String bulk(String s) {
        return "$" + s.length() + "\r\n" + s + "\r\n";
    }

    /** A dataset of every type, in small (packed) and large (plain) encodings, in two databases. */
    private static void populate(CommandDriver r) {
        r.call("SET", "int", "12345");
        r.call("SET", "big-int", "-9223372036854775808");
        r.call("SET", "empty", "");
        r.call("SET", "binary", "a\r\nb\0c\u00ff");
        r.call("SET", "long", "x".repeat(10_000));
        r.call("RPUSH", "small-list", "a", "1", "-70000", "");
        for (int i = 0; i < 3000; i++) {
            r.call("RPUSH", "big-list", "element-" + i);
        }
        r.call("SADD", "int-set", "3", "-1", "100000", "7");
        r.call("SADD", "string-set", "a", "b", "12");
        for (int i = 0; i < 600; i++) {
            r.call("SADD", "big-int-set", Integer.toString(i * 3));
        }
        r.call("HSET", "small-hash", "f", "v", "n", "12");
        r.call("HSET", "wide-hash", "f", "v".repeat(65));
        for (int i = 0; i < 200; i++) {
            r.call("HSET", "big-hash", "field" + i, "value" + i);
        }
        r.call("ZADD", "small-zset", "1.5", "a", "2", "b", "-3.25", "c", "inf", "top", "-inf", "bottom");
        for (int i = 0; i < 300; i++) {
            r.call("ZADD", "big-zset", Double.toString(i / 7.0), "m" + i);
        }
        r.call("SET", "expiring", "soon");
        r.call("PEXPIRE", "expiring", "100000");
        r.call("SELECT", "3");
        r.call("SET", "in-db-3", "three");
        r.call("SELECT", "0");
    }

    /** What a client sees of the dataset, for comparing two servers. */
    private static List<String> observe(CommandDriver r) {
        List<String> seen = new ArrayList<>();
        for (String key : List.of("int", "big-int", "empty", "binary", "long")) {
            seen.add(r.call("GET", key));
        }
        for (String key : List.of("small-list", "big-list")) {
            seen.add(r.call("LRANGE", key, "0", "-1"));
        }
        for (String key : List.of("int-set", "string-set", "big-int-set")) {
            seen.add(r.call("SCARD", key));
            seen.add(r.call("SISMEMBER", key, "3") + r.call("SISMEMBER", key, "12") + r.call("SISMEMBER", key, "1797"));
        }
        for (String key : List.of("small-hash", "wide-hash", "big-hash")) {
            seen.add(r.call("HLEN", key) + r.call("HGET", key, "f") + r.call("HGET", key, "field199"));
        }
        for (String key : List.of("small-zset", "big-zset")) {
            seen.add(r.call("ZRANGE", key, "0", "-1", "WITHSCORES"));
        }
        seen.add(r.call("TYPE", "expiring"));
        r.call("SELECT", "3");
        seen.add(r.call("GET", "in-db-3"));
        r.call("SELECT", "0");
        seen.add(r.call("DBSIZE"));
        return seen;
    }

    @Test
    void aSavedDatasetLoadsBackWholeInANewServer() throws Exception {
        CommandDriver first = server("--save", "");
        populate(first);
        assertEquals("+OK\r\n", first.call("SAVE"));
        assertTrue(Files.exists(dir.resolve("dump.rdb")));
        try (var names = Files.list(dir)) {
            assertEquals(List.of("dump.rdb"), names.map(p -> p.getFileName().toString()).toList(), "no temp file is left");
        }
        List<String> before = observe(first);

        CommandDriver second = server("--save", "");
        assertEquals(before, observe(second));
        long pttl = Long.parseLong(second.call("PTTL", "expiring").substring(1).trim());
        assertTrue(pttl > 90_000 && pttl <= 100_000, "the expiry time survives: " + pttl);
    }

    @Test
    void keysWhoseTimeHasPassedAreNotLoaded() throws Exception {
        CommandDriver first = server("--save", "");
        first.call("SET", "short", "lived");
        first.call("PEXPIRE", "short", "50");
        first.call("SET", "stays", "1");
        assertEquals("+OK\r\n", first.call("SAVE"));
        Thread.sleep(80);
        CommandDriver second = server("--save", "");
        assertEquals(":1\r\n", second.call("DBSIZE"));
        assertEquals("$-1\r\n", second.call("GET", "short"));
    }

    /** The bytes of the snapshot a server holding {@link #populate}'s keys saves. */
    private byte[] populatedSnapshot() throws Exception {
        CommandDriver first = server("--save", "");
        populate(first);
        assertEquals("+OK\r\n", first.call("SAVE"));
        return Files.readAllBytes(dir.resolve("dump.rdb"));
    }

    @Test
    void aCorruptSnapshotStopsTheStartWithRedisReason() throws Exception {
        byte[] file = populatedSnapshot();
        file[file.length / 2] ^= 0x55;
        Files.write(dir.resolve("dump.rdb"), file);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> server("--save", ""));
        assertTrue(e.getMessage().contains("Fatal error loading the DB"), e.getMessage());

        Files.write(dir.resolve("dump.rdb"), java.util.Arrays.copyOf(file, 100));
        assertTrue(assertThrows(IllegalStateException.class, () -> server("--save", "")).getMessage().contains("Short read"));
        Files.writeString(dir.resolve("dump.rdb"), "REDIS0012");
        assertTrue(assertThrows(IllegalStateException.class, () -> server("--save", "")).getMessage()
                .contains("Can't handle RDB format version 12"));
    }

    @Test
    void everyCorruptByteOfASnapshotIsAFatalLoadErrorOrLoadsNothingElse() throws Exception {
        byte[] file = populatedSnapshot();
        // Bounded: at most 48 starts, spread over the whole file (header, aux fields, every kind of value, checksum).
        int step = Math.max(1, file.length / 48);
        for (int at = 9; at < file.length; at += step) {
            byte[] corrupt = file.clone();
            corrupt[at] ^= 0x55;
            Files.write(dir.resolve("dump.rdb"), corrupt);
            try {
                server("--save", "");
            } catch (IllegalStateException e) {
                assertTrue(e.getMessage().contains("Fatal error loading the DB"), "byte " + at + ": " + e.getMessage());
            }
        }
    }

    @Test
    void bgsaveWritesTheSnapshotOfItsStartWhileCommandsGoOn() throws Exception {
        CommandDriver r = server("--save", "");
        populate(r);
        assertEquals("+Background saving started\r\n", r.call("BGSAVE"));
        // Writes after BGSAVE started are not in its snapshot: it is point in time.
        r.call("SET", "after-bgsave", "1");
        String again = r.call("BGSAVE");
        assertTrue(again.equals("-ERR Background save already in progress\r\n")
                || again.equals("+Background saving started\r\n"), again);
        Persistence persistence = persistenceOf(r);
        persistence.awaitBackground();
        assertTrue(r.call("INFO", "persistence").contains("rdb_last_bgsave_status:ok"));
        assertTrue(r.call("INFO", "persistence").contains("rdb_bgsave_in_progress:0"));
        CommandDriver loaded = server("--save", "");
        if (again.startsWith("+")) {
            assertEquals("$1\r\n1\r\n", loaded.call("GET", "after-bgsave"), "the second BGSAVE saw the write");
        } else {
            assertEquals("$-1\r\n", loaded.call("GET", "after-bgsave"));
        }
        assertEquals(observe(loaded).subList(0, 10), observe(r).subList(0, 10));
    }

    private Persistence persistenceOf(CommandDriver r) {
        return persistences.get(r);
    }

    @Test
    void theSaveScheduleSnapshotsAfterEnoughChanges() throws Exception {
        CommandDriver r = server("--save", "1 3");
        Persistence persistence = persistenceOf(r);
        String lastSave = r.call("LASTSAVE");
        r.call("SET", "a", "1");
        r.call("SET", "b", "2");
        r.call("GET", "a");
        assertEquals(2, persistence.dirty(), "reads do not count as changes");
        r.call("DEL", "a");
        // Redis's rule: more than the point's seconds since the last save, in whole seconds.
        Thread.sleep(2100);
        persistence.cron();
        assertTrue(persistence.backgroundRunning(), "3 changes and more than 1 s: a BGSAVE starts");
        persistence.awaitBackground();
        assertEquals(0, persistence.dirty());
        assertFalse(lastSave.equals(r.call("LASTSAVE")) && Files.notExists(dir.resolve("dump.rdb")));
        assertTrue(Files.exists(dir.resolve("dump.rdb")));
    }

    @Test
    void dumpAndRestoreRoundTripEveryTypeWithRedisErrors() {
        CommandDriver r = server("--save", "");
        populate(r);
        // Sets and hashes dump in their table's order, which a restore need not keep; the others have one order.
        List<String> ordered = List.of("int", "long", "small-list", "big-list", "int-set", "small-zset", "big-zset");
        for (String key : List.of("int", "long", "small-list", "big-list", "int-set", "string-set", "small-hash",
                "big-hash", "small-zset", "big-zset")) {
            byte[] payload = dumpBytes(r, key);
            assertEquals("-BUSYKEY Target key name already exists.\r\n", restore(r, key, "0", payload));
            String before = r.call("TYPE", key);
            assertEquals("+OK\r\n", restore(r, key + "-copy", "0", payload));
            assertEquals(before, r.call("TYPE", key + "-copy"));
            if (ordered.contains(key)) {
                assertEquals(HexFormat.of().formatHex(payload), HexFormat.of().formatHex(dumpBytes(r, key + "-copy")),
                        "a restored value dumps to the same payload");
            } else {
                assertEquals(r.call(key.contains("hash") ? "HLEN" : "SCARD", key),
                        r.call(key.contains("hash") ? "HLEN" : "SCARD", key + "-copy"));
            }
        }
        assertEquals("$-1\r\n", r.call("DUMP", "missing"));
        byte[] payload = dumpBytes(r, "int");
        payload[0] ^= 1;
        assertEquals("-ERR DUMP payload version or checksum are wrong\r\n", restore(r, "x", "0", payload));
        assertEquals("-ERR Invalid TTL value, must be >= 0\r\n", restore(r, "x", "-1", dumpBytes(r, "int")));
        assertEquals("+OK\r\n", restore(r, "int", "5000", dumpBytes(r, "long"), "REPLACE"));
        assertEquals(bulk("x".repeat(10_000)), r.call("GET", "int"));
        long pttl = Long.parseLong(r.call("PTTL", "int").substring(1).trim());
        assertTrue(pttl > 4000 && pttl <= 5000, "pttl " + pttl);
        assertEquals("+OK\r\n", restore(r, "past", "1000", dumpBytes(r, "long"), "ABSTTL"));
        assertEquals(":0\r\n", r.call("EXISTS", "past"), "an absolute time already past creates nothing");
        assertEquals("-ERR syntax error\r\n", restore(r, "y", "0", dumpBytes(r, "long"), "BOGUS"));
    }

    @Test
    void payloadsOfRealRedisRestore() {
        CommandDriver r = server("--save", "");
        // DUMP replies of redis-server 7.0.15 (see RdbCodecTest): LZF string, quicklist, intset, listpack hash and
        // sorted set, integer string.
        assertEquals("+OK\r\n", restore(r, "lzf", "0", HexFormat.of().parseHex(
                "00c30b40b40361626361e0a5020162630a002b5b6bac6c26c36d")));
        assertEquals(bulk("abcabcabc".repeat(20)), r.call("GET", "lzf"));
        restore(r, "list", "0", HexFormat.of().parseHex(
                "1201021c1c000000070081610281620201010201c12c02dffb02f270110104ff0a00de0ee66e09ff6fca"));
        assertEquals("*7\r\n" + bulk("a") + bulk("b") + bulk("1") + bulk("2") + bulk("300") + bulk("-5") + bulk("70000"),
                r.call("LRANGE", "list", "0", "-1"));
        restore(r, "ints", "0", HexFormat.of().parseHex("0b100200000004000000f9ff0100020003000a003bfa4a3923b1fa84"));
        assertEquals(":4\r\n", r.call("SCARD", "ints"));
        assertEquals(":1\r\n", r.call("SISMEMBER", "ints", "-7"));
        restore(r, "h", "0", HexFormat.of().parseHex("1012120000000400816602817602816e020c01ff0a0001369481d35b8974"));
        assertEquals(bulk("12"), r.call("HGET", "h", "n"));
        restore(r, "z", "0", HexFormat.of().parseHex(
                "111e1e0000000600816302852d332e32350681610283312e35048162020201ff0a00415c821c08220236"));
        assertEquals("*6\r\n" + bulk("c") + bulk("-3.25") + bulk("a") + bulk("1.5") + bulk("b") + bulk("2"),
                r.call("ZRANGE", "z", "0", "-1", "WITHSCORES"));
        assertEquals("+OK\r\n", restore(r, "i", "0", HexFormat.of().parseHex("00c139300a009d94ea2793fc08b9")));
        assertEquals(bulk("12345"), r.call("GET", "i"));
        // Our DUMP of the same values is what redis-server gave: byte for byte where we encode alike.
        assertEquals("00c139300a009d94ea2793fc08b9", HexFormat.of().formatHex(dumpBytes(r, "i")));
        assertEquals("1201021c1c000000070081610281620201010201c12c02dffb02f270110104ff0a00de0ee66e09ff6fca",
                HexFormat.of().formatHex(dumpBytes(r, "list")));
        assertEquals("0b100200000004000000f9ff0100020003000a003bfa4a3923b1fa84",
                HexFormat.of().formatHex(dumpBytes(r, "ints")));
    }

    @Test
    void persistenceParametersAreRealAndProtectedOnesRefusedByDefault() throws Exception {
        CommandDriver r = server();
        assertEquals("*2\r\n" + bulk("save") + bulk("3600 1 300 100 60 10000"), r.call("CONFIG", "GET", "save"),
                "with --dir and no --save, Redis's default save points");
        assertEquals("+OK\r\n", r.call("CONFIG", "SET", "save", "900 1"));
        assertEquals("*2\r\n" + bulk("save") + bulk("900 1"), r.call("CONFIG", "GET", "save"));
        assertEquals("-ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters\r\n",
                r.call("CONFIG", "SET", "save", "900"));
        assertTrue(r.call("CONFIG", "SET", "appendonly", "yes").startsWith("-ERR CONFIG SET failed (possibly related"
                + " to argument 'appendonly')"), "appendonly yes is an error, never a silent OK");
        assertEquals("+OK\r\n", r.call("CONFIG", "SET", "appendonly", "no"));
        assertEquals("*2\r\n" + bulk("dir") + bulk(dir.toRealPath().toString()), r.call("CONFIG", "GET", "dir"));
        assertEquals("-ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config\r\n",
                r.call("CONFIG", "SET", "dir", "/tmp"));
        assertEquals("-ERR CONFIG SET failed (possibly related to argument 'dbfilename') - can't set protected"
                + " config\r\n", r.call("CONFIG", "SET", "dbfilename", "other.rdb"));
    }

    @Test
    void withProtectedConfigsDirStaysInsideTheRootAndDbfilenameIsANameOnly() throws Exception {
        Files.createDirectory(dir.resolve("sub"));
        CommandDriver r = server("--enable-protected-configs", "yes", "--save", "");
        String root = dir.toRealPath().toString();
        assertEquals("+OK\r\n", r.call("CONFIG", "SET", "dir", root + "/sub"));
        assertEquals("+OK\r\n", r.call("CONFIG", "SET", "dbfilename", "other.rdb"));
        r.call("SET", "k", "v");
        assertEquals("+OK\r\n", r.call("SAVE"));
        assertTrue(Files.exists(dir.resolve("sub/other.rdb")));
        assertTrue(r.call("CONFIG", "SET", "dir", "/etc").contains("outside this server's file system root"));
        assertTrue(r.call("CONFIG", "SET", "dir", "../..").contains("leaves the file system's root"));
        assertEquals("-ERR CONFIG SET failed (possibly related to argument 'dbfilename') - dbfilename can't be a path,"
                + " just a filename\r\n", r.call("CONFIG", "SET", "dbfilename", "../escape.rdb"));
        assertEquals("*2\r\n" + bulk("dir") + bulk(root + "/sub"), r.call("CONFIG", "GET", "dir"));
    }

    @Test
    void shutdownSavesUnlessToldNotToAndRefusesWhenTheSaveFails() throws Exception {
        CommandDriver r = server("--save", "");
        r.call("SET", "k", "v");
        assertEquals("-ERR syntax error\r\n", r.call("SHUTDOWN", "SAVE", "NOSAVE"));
        assertEquals("-ERR No shutdown in progress.\r\n", r.call("SHUTDOWN", "ABORT"));
        r.call("SHUTDOWN", "SAVE");
        assertTrue(Files.exists(dir.resolve("dump.rdb")), "SHUTDOWN SAVE saves even without save points");
        Files.delete(dir.resolve("dump.rdb"));
        CommandDriver other = server("--save", "60 1");
        other.call("SET", "k", "v");
        other.call("SHUTDOWN", "NOSAVE");
        assertFalse(Files.exists(dir.resolve("dump.rdb")));
    }

    @Test
    void withoutDirNothingReachesTheHost() throws Exception {
        LibOsFixture fixture = new LibOsFixture(16L << 20);
        open.add(fixture);
        CommandDriver r = new CommandDriver(fixture);
        open.add(r);
        FileSystem files = fixture.get(FileSystem.class);
        r.loop.enablePersistence(files, PersistenceOptions.parse(List.of()));
        assertEquals("memory:", files.mounted());
        assertEquals("*2\r\n" + bulk("save") + bulk(""), r.call("CONFIG", "GET", "save"));
        r.call("SET", "k", "v");
        assertEquals("+OK\r\n", r.call("SAVE"));
        assertTrue(files.size("/dump.rdb") > 0, "the snapshot is in the memory file system");
        assertNull(PersistenceOptions.parse(List.of("--port", "1")).dir());
        assertEquals(List.of("--port", "1"), PersistenceOptions.parse(List.of("--port", "1", "--save", "")).rest());
        assertThrows(IllegalArgumentException.class, () -> PersistenceOptions.parse(List.of("--appendonly", "yes")));
        assertThrows(IllegalArgumentException.class, () -> PersistenceOptions.parse(List.of("--save", "1")));
    }

    private static byte[] dumpBytes(CommandDriver r, String key) {
        String reply = r.call("DUMP", key);
        int header = reply.indexOf("\r\n");
        int length = Integer.parseInt(reply.substring(1, header));
        return reply.substring(header + 2, header + 2 + length).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static String restore(CommandDriver r, String key, String ttl, byte[] payload, String... options) {
        List<String> args = new ArrayList<>(List.of("RESTORE", key, ttl,
                new String(payload, java.nio.charset.StandardCharsets.ISO_8859_1)));
        args.addAll(List.of(options));
        return r.call(args.toArray(String[]::new));
    }
}
