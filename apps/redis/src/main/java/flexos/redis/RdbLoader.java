package flexos.redis;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads an RDB file or a DUMP payload ({@link RdbFormat}) into values of this server: every type Redis 7.0 loads
 * except streams and module values, in every encoding it loads (plain, intset, ziplist, zipmap, listpack,
 * quicklists of both versions, integer and LZF strings), from files of version 1 to 11.
 *
 * <p>Loading a file fills the databases as it goes. It stops at the first problem with an
 * {@link RdbFormatException} saying what (Redis refuses such a file at start-up too); a value being built when it
 * fails is freed, the keys loaded before it stay (the caller decides: at start-up the server does not start).
 * Keys whose time to live has passed are skipped, as a Redis master does, and so are empty collections, as Redis
 * 7.0 skips them. Duplicate keys and duplicate members are refused, as Redis refuses them.
 */
final class RdbLoader {

    /** What a whole file held. */
    record Summary(int version, long keys, long expiredSkipped, List<String> notes) {
    }

    private final Keyspace keyspace;
    private final Blocks blocks;

    RdbLoader(Keyspace keyspace) {
        this.keyspace = keyspace;
        this.blocks = keyspace.blocks;
    }

    /** Loads a whole file into the keyspace; checks its checksum unless the file stores 0 (checksums disabled). */
    Summary loadFile(RdbDecoder in, long nowMillis) {
        byte[] magic = new byte[9];
        in.readFully(magic, 0, 9);
        String header = new String(magic, StandardCharsets.ISO_8859_1);
        if (!header.startsWith("REDIS")) {
            throw new RdbFormatException("Wrong signature trying to load DB from file");
        }
        int version;
        try {
            version = Integer.parseInt(header.substring(5));
        } catch (NumberFormatException e) {
            throw new RdbFormatException("Wrong signature trying to load DB from file");
        }
        if (version < 1 || version > RdbFormat.NEWEST_READABLE_VERSION) {
            throw new RdbFormatException("Can't handle RDB format version " + version);
        }
        Database db = keyspace.databases[0];
        long expireAt = Database.NO_EXPIRY;
        long keys = 0;
        long skipped = 0;
        List<String> notes = new java.util.ArrayList<>();
        while (true) {
            int type = in.readByte();
            switch (type) {
                case RdbFormat.EXPIRETIME_MS -> {
                    expireAt = in.readLongLE();
                    continue;
                }
                case RdbFormat.EXPIRETIME -> {
                    expireAt = in.readIntLE() * 1000L;
                    continue;
                }
                case RdbFormat.FREQ -> {
                    in.readByte();
                    continue;
                }
                case RdbFormat.IDLE -> {
                    in.readLength();
                    continue;
                }
                case RdbFormat.EOF -> {
                    if (version >= 5) {
                        long expected = in.crc();
                        long stored = in.readChecksum();
                        if (stored != 0 && stored != expected) {
                            throw new RdbFormatException("Wrong RDB checksum expected: (" + Long.toHexString(stored)
                                    + ") got: (" + Long.toHexString(expected) + ")");
                        }
                    }
                    return new Summary(version, keys, skipped, notes);
                }
                case RdbFormat.SELECTDB -> {
                    long index = in.readLength();
                    if (index >= Keyspace.DATABASES) {
                        throw new RdbFormatException("FATAL: Data file was created with a Redis server configured"
                                + " to handle more than " + Keyspace.DATABASES + " databases");
                    }
                    db = keyspace.databases[(int) index];
                    continue;
                }
                case RdbFormat.RESIZEDB -> {
                    in.readLength();
                    in.readLength();
                    continue;
                }
                case RdbFormat.AUX -> {
                    in.readString();
                    in.readString();
                    continue;
                }
                case RdbFormat.MODULE_AUX -> throw new RdbFormatException(
                        "The RDB file contains AUX module data of a module this server does not have");
                case RdbFormat.FUNCTION2 -> {
                    byte[] code = in.readString();
                    String error = keyspace.functions.restore(code);
                    if (error != null) {
                        throw new RdbFormatException("The RDB file has a function library that cannot be created: "
                                + error);
                    }
                    continue;
                }
                case RdbFormat.FUNCTION_PRE_GA -> throw new RdbFormatException(
                        "The RDB file has a function library of Redis 7.0's release candidates (opcode 246), which "
                                + "this server does not read");
                default -> { }
            }
            byte[] key = in.readString();
            Object value;
            try {
                value = readValue(in, type);
            } catch (IllegalArgumentException corrupt) {
                // A packed encoding (listpack, intset, ziplist) whose own lengths do not hold: the file is corrupt.
                throw new RdbFormatException("the value of key '" + new String(key, StandardCharsets.ISO_8859_1)
                        + "' is corrupt: " + corrupt.getMessage());
            }
            if (value == null) {
                notes.add("empty key '" + new String(key, StandardCharsets.ISO_8859_1) + "' skipped");
            } else if (expireAt != Database.NO_EXPIRY && expireAt <= nowMillis) {
                db.freeValue(value);
                skipped++;
            } else {
                store(db, key, value, expireAt);
                keys++;
            }
            expireAt = Database.NO_EXPIRY;
        }
    }

    private void store(Database db, byte[] key, Object value, long expireAt) {
        MemorySegment name = MemorySegment.ofArray(key);
        long hash = db.hash(name, 0, key.length);
        if (db.lookup(name, 0, key.length, hash) != null) {
            db.freeValue(value);
            throw new RdbFormatException("Duplicate key '" + new String(key, StandardCharsets.ISO_8859_1)
                    + "' found in RDB file");
        }
        Dict.Entry entry;
        try {
            entry = db.add(name, 0, key.length, hash, value);
        } catch (HeapExhausted e) {
            db.freeValue(value);
            throw e;
        }
        if (expireAt != Database.NO_EXPIRY) {
            db.setExpiry(entry, expireAt);
        }
    }

    /** A DUMP payload's value; the caller has checked its version and checksum and stripped them. */
    Object loadDump(RdbDecoder in) {
        Object value = readValue(in, in.readByte());
        if (value == null || !in.atEnd()) {
            keyspace.databases[0].freeValue(value);
            throw new RdbFormatException("Bad data format");
        }
        return value;
    }

    /**
     * One value of RDB type {@code type}, or null for an empty collection; a partly built value is freed if reading
     * it fails.
     */
    Object readValue(RdbDecoder in, int type) {
        ValueBuilder value = new ValueBuilder();
        try {
            switch (type) {
                case RdbFormat.TYPE_STRING -> value.string(in.readString());
                case RdbFormat.TYPE_LIST -> {
                    int n = in.readCount();
                    for (int i = 0; i < n; i++) {
                        value.listElement(in.readString());
                    }
                }
                case RdbFormat.TYPE_LIST_ZIPLIST -> RdbZiplist.decode(in.readString()).forEach(value::listElement);
                case RdbFormat.TYPE_LIST_QUICKLIST, RdbFormat.TYPE_LIST_QUICKLIST_2 -> {
                    int nodes = in.readCount();
                    for (int i = 0; i < nodes; i++) {
                        int container = RdbFormat.QUICKLIST_NODE_PACKED;
                        if (type == RdbFormat.TYPE_LIST_QUICKLIST_2) {
                            container = (int) in.readLength();
                        }
                        byte[] node = in.readString();
                        if (container == RdbFormat.QUICKLIST_NODE_PLAIN) {
                            value.listElement(node);
                        } else if (container != RdbFormat.QUICKLIST_NODE_PACKED) {
                            throw new RdbFormatException("Quicklist integrity check failed: container " + container);
                        } else {
                            List<byte[]> elements = type == RdbFormat.TYPE_LIST_QUICKLIST
                                    ? RdbZiplist.decode(node) : RdbListpack.decode(node);
                            elements.forEach(value::listElement);
                        }
                    }
                }
                case RdbFormat.TYPE_SET -> {
                    int n = in.readCount();
                    for (int i = 0; i < n; i++) {
                        value.setMember(in.readString());
                    }
                }
                case RdbFormat.TYPE_SET_INTSET -> RdbIntset.decode(in.readString()).forEach(value::setMember);
                case RdbFormat.TYPE_SET_LISTPACK -> RdbListpack.decode(in.readString()).forEach(value::setMember);
                case RdbFormat.TYPE_HASH -> {
                    int n = in.readCount();
                    for (int i = 0; i < n; i++) {
                        value.hashField(in.readString(), in.readString());
                    }
                }
                case RdbFormat.TYPE_HASH_ZIPMAP -> pairs(RdbZiplist.decodeZipmap(in.readString()), value, false);
                case RdbFormat.TYPE_HASH_ZIPLIST -> pairs(RdbZiplist.decode(in.readString()), value, false);
                case RdbFormat.TYPE_HASH_LISTPACK -> pairs(RdbListpack.decode(in.readString()), value, false);
                case RdbFormat.TYPE_ZSET, RdbFormat.TYPE_ZSET_2 -> {
                    int n = in.readCount();
                    for (int i = 0; i < n; i++) {
                        byte[] member = in.readString();
                        double score = type == RdbFormat.TYPE_ZSET_2 ? in.readDoubleLE() : in.readOldDouble();
                        value.zsetMember(member, score);
                    }
                }
                case RdbFormat.TYPE_ZSET_ZIPLIST -> pairs(RdbZiplist.decode(in.readString()), value, true);
                case RdbFormat.TYPE_ZSET_LISTPACK -> pairs(RdbListpack.decode(in.readString()), value, true);
                case RdbFormat.TYPE_STREAM_LISTPACKS, RdbFormat.TYPE_STREAM_LISTPACKS_2, RdbFormat.TYPE_STREAM_LISTPACKS_3 ->
                        throw new RdbFormatException("The RDB file holds a stream: this server has no streams");
                case RdbFormat.TYPE_MODULE, RdbFormat.TYPE_MODULE_2 ->
                        throw new RdbFormatException("The RDB file holds a module value: this server has no modules");
                default -> throw new RdbFormatException("Unknown RDB encoding type " + type);
            }
            return value.finish();
        } catch (RuntimeException | Error e) {
            value.discard();
            throw e;
        }
    }

    private static void pairs(List<byte[]> entries, ValueBuilder value, boolean scores) {
        if (entries.size() % 2 != 0) {
            throw new RdbFormatException("Packed " + (scores ? "sorted set" : "hash") + " with an odd number of entries");
        }
        for (int i = 0; i < entries.size(); i += 2) {
            if (scores) {
                value.zsetMember(entries.get(i), RdbDecoder.parseDouble(entries.get(i + 1)));
            } else {
                value.hashField(entries.get(i), entries.get(i + 1));
            }
        }
    }

    /** The value being read: made on its first element, in the compartment heap, freed whole if reading fails. */
    private final class ValueBuilder {
        private Object value;

        void string(byte[] bytes) {
            value = blocks.copyOf(MemorySegment.ofArray(bytes), 0, bytes.length);
        }

        void listElement(byte[] element) {
            if (value == null) {
                value = new ListValue();
            }
            MemorySegment block = blocks.copyOf(MemorySegment.ofArray(element), 0, element.length);
            ((ListValue) value).pushTail(block);
        }

        void setMember(byte[] member) {
            if (value == null) {
                value = new SetValue(blocks);
            }
            Dict members = ((SetValue) value).members;
            MemorySegment bytes = MemorySegment.ofArray(member);
            long hash = newKeyHash(members, bytes, "Duplicate set members detected");
            members.insert(blocks.copyOf(bytes, 0, member.length), hash);
        }

        void hashField(byte[] field, byte[] fieldValue) {
            if (value == null) {
                value = new HashValue(blocks);
            }
            Dict fields = ((HashValue) value).fields;
            MemorySegment bytes = MemorySegment.ofArray(field);
            long hash = newKeyHash(fields, bytes, "Duplicate hash fields detected");
            MemorySegment stored = blocks.copyOf(MemorySegment.ofArray(fieldValue), 0, fieldValue.length);
            Dict.Entry entry;
            try {
                entry = fields.insert(blocks.copyOf(bytes, 0, field.length), hash);
            } catch (HeapExhausted e) {
                blocks.free(stored);
                throw e;
            }
            entry.value = stored;
        }

        void zsetMember(byte[] member, double score) {
            if (Double.isNaN(score)) {
                throw new RdbFormatException("Zset with NAN score detected");
            }
            if (value == null) {
                value = new SortedSetValue(blocks, keyspace.random);
            }
            SortedSetValue zset = (SortedSetValue) value;
            MemorySegment bytes = MemorySegment.ofArray(member);
            long hash = newKeyHash(zset.members, bytes, "Duplicate zset fields detected");
            zset.add(blocks.copyOf(bytes, 0, member.length), hash, score);
        }

        /** The value, or null for an empty collection (Redis 7.0 skips such keys when loading a file). */
        /** The hash of {@code key}, which must not be in {@code dict} yet: a payload repeating one is refused. */
        private long newKeyHash(Dict dict, MemorySegment key, String duplicate) {
            long hash = dict.hash(key, 0, key.byteSize());
            if (dict.find(key, 0, key.byteSize(), hash) != null) {
                throw new RdbFormatException(duplicate);
            }
            return hash;
        }

        Object finish() {
            return value;
        }

        void discard() {
            if (value != null) {
                keyspace.databases[0].freeValue(value);
                value = null;
            }
        }
    }
}
