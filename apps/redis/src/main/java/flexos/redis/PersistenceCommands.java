package flexos.redis;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * The persistence commands: SAVE, BGSAVE [SCHEDULE], LASTSAVE (through {@link Persistence}), and DUMP and RESTORE,
 * whose payload is a value in RDB encoding followed by the RDB version and a CRC-64 ({@link RdbWriter#writeDump}),
 * with Redis 7.0's replies and error texts.
 */
final class PersistenceCommands {

    private static final byte[] SCHEDULE = "SCHEDULE".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REPLACE = "REPLACE".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ABSTTL = "ABSTTL".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] IDLETIME = "IDLETIME".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FREQ = "FREQ".getBytes(StandardCharsets.US_ASCII);

    private final Keyspace ks;
    private final Persistence persistence;

    PersistenceCommands(Keyspace ks, Persistence persistence) {
        this.ks = ks;
        this.persistence = persistence;
    }

    void register(CommandTable table) {
        table.add("save 1 admin,noscript,no_async_loading,no_multi 0 0 0 server 1.0.0 | Writes an RDB snapshot "
                + "of every database, waiting until it is on disk.", this::save);
        table.add("bgsave -1 admin,noscript,no_async_loading 0 0 0 server 1.0.0 | Writes an RDB snapshot in the "
                + "background.", this::bgsave);
        table.add("lastsave 1 loading,stale,fast 0 0 0 server 1.0.0 | The Unix time of the last successful "
                + "snapshot.", c -> c.addInteger(persistence.lastSaveSeconds()));
        table.add("dump 2 readonly 1 1 1 generic 2.6.0 | A key's value in RDB's serialization format.",
                this::dump);
        table.add("restore -4 write,denyoom 1 1 1 generic 2.6.0 | Creates a key from a DUMP payload.",
                this::restore);
    }

    private void save(Client c) {
        String error = persistence.save();
        if (error == null) {
            c.addOk();
        } else {
            c.addError(error);
        }
    }

    private void bgsave(Client c) {
        if (c.argc > 2 || c.argc == 2 && !c.argIs(1, SCHEDULE)) {
            c.addSyntaxError();
            return;
        }
        if (persistence.backgroundRunning()) {
            if (c.argc == 2) {
                persistence.scheduleBackground();
                c.addStatus("Background saving scheduled");
            } else {
                c.addError("ERR Background save already in progress");
            }
            return;
        }
        String error = persistence.backgroundSave();
        if (error == null) {
            c.addStatus("Background saving started");
        } else {
            c.addError(error);
        }
    }

    private void dump(Client c) {
        Dict.Entry e = ks.lookup(c, 1);
        if (e == null) {
            c.addNull();
            return;
        }
        RdbChunks payload = new RdbChunks(ks.blocks);
        try {
            new RdbWriter(new RdbEncoder(payload), ks.numbers, ks.scratch).writeDump(e.value);
            byte[] bytes = payload.toArray();
            c.addBulk(MemorySegment.ofArray(bytes), 0, bytes.length);
        } finally {
            payload.free();
        }
    }

    private void restore(Client c) {
        boolean replace = false;
        boolean absoluteTtl = false;
        boolean idle = false;
        boolean freq = false;
        for (int j = 4; j < c.argc; j++) {
            boolean hasValue = j + 1 < c.argc;
            if (c.argIs(j, REPLACE)) {
                replace = true;
            } else if (c.argIs(j, ABSTTL)) {
                absoluteTtl = true;
            } else if (c.argIs(j, IDLETIME) && hasValue && !freq) {
                if (ks.argLong(c, ++j) < 0) {
                    c.addError("ERR Invalid IDLETIME value, must be >= 0");
                    return;
                }
                idle = true;
            } else if (c.argIs(j, FREQ) && hasValue && !idle) {
                long f = ks.argLong(c, ++j);
                if (f < 0 || f > 255) {
                    c.addError("ERR Invalid FREQ value, must be >= 0 and <= 255");
                    return;
                }
                freq = true;
            } else {
                c.addSyntaxError();
                return;
            }
        }
        Database db = ks.db(c);
        Dict.Entry existing = ks.lookup(c, 1);
        if (!replace && existing != null) {
            c.addError("BUSYKEY Target key name already exists.");
            return;
        }
        long ttl = ks.argLong(c, 2);
        if (ttl < 0) {
            c.addError("ERR Invalid TTL value, must be >= 0");
            return;
        }
        int length = c.argLen[3];
        byte[] payload = new byte[length];
        MemorySegment.copy(c.query, ValueLayout.JAVA_BYTE, c.argOff[3], payload, 0, length);
        if (!validDump(payload)) {
            c.addError("ERR DUMP payload version or checksum are wrong");
            return;
        }
        Object value;
        try {
            value = new RdbLoader(ks).loadDump(RdbDecoder.of(payload, 0, length - 10));
        } catch (RdbFormatException e) {
            c.addError("ERR Bad data format");
            return;
        }
        if (existing != null) {
            db.delete(existing);
        }
        if (ttl != 0 && !absoluteTtl) {
            ttl += System.currentTimeMillis();
        }
        if (ttl != 0 && ttl <= System.currentTimeMillis()) {
            db.freeValue(value);
            c.addOk();
            return;
        }
        Dict.Entry entry = ks.add(c, 1, ks.hashArg(c, 1), value);
        if (ttl != 0) {
            db.setExpiry(entry, ttl);
        }
        c.addOk();
    }

    /**
     * Redis's {@code verifyDumpPayload}: at least 10 bytes, a version (the 2 bytes before the last 8) no newer
     * than ours, and a CRC-64 (the last 8 bytes) of everything before it.
     */
    static boolean validDump(byte[] payload) {
        if (payload.length < 10) {
            return false;
        }
        int footer = payload.length - 10;
        int version = (payload[footer] & 0xff) | (payload[footer + 1] & 0xff) << 8;
        if (version > RdbFormat.VERSION) {
            return false;
        }
        long stored = RdbListpack.littleEndian(payload, payload.length - 8, 8);
        return Crc64.update(0, payload, 0, payload.length - 8) == stored;
    }
}
