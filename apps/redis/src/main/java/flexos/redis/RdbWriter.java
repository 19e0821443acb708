package flexos.redis;

import flexos.libc.api.NumberRoutines;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes the keyspace, or one value, in the RDB format as Redis 7.0 writes it ({@link RdbFormat}). Each value gets
 * the type Redis 7.0 would give it with its default encoding thresholds: a list is a quicklist of listpack nodes of
 * at most 8 KiB; a set of at most 512 integers an intset, other sets a plain set; hashes and sorted sets of at most
 * 128 entries of at most 64 bytes a listpack, larger ones a plain hash and a ZSET_2 of binary scores.
 *
 * <p>It reads the values in place, so it must run on the event loop with no command in between (a point-in-time
 * snapshot); it allocates nothing in the compartment heap.
 */
final class RdbWriter {

    private final RdbEncoder out;
    private final NumberRoutines numbers;
    private final MemorySegment scratch;
    private final RdbListpack.Builder listpack = new RdbListpack.Builder();

    /** @param scratch at least 32 bytes for formatting a double */
    RdbWriter(RdbEncoder out, NumberRoutines numbers, MemorySegment scratch) {
        this.out = out;
        this.numbers = numbers;
        this.scratch = scratch;
    }

    /** The whole file: header, AUX fields, every non-empty database, EOF and the checksum. Flushes the encoder. */
    void writeSnapshot(Keyspace keyspace, long nowMillis, long usedMemory) {
        out.writeBytes(RdbFormat.MAGIC);
        out.writeBytes(String.format("%04d", RdbFormat.VERSION).getBytes(StandardCharsets.US_ASCII));
        aux("redis-ver", ServerCommands.REDIS_VERSION);
        aux("redis-bits", "64");
        aux("ctime", Long.toString(nowMillis / 1000));
        aux("used-mem", Long.toString(usedMemory));
        aux("aof-base", "0");
        // Function libraries come after the AUX fields and before the databases, as Redis 7.0 writes them.
        for (byte[] code : keyspace.functions.codes()) {
            out.writeByte(RdbFormat.FUNCTION2);
            out.writeString(code);
        }
        for (Database db : keyspace.databases) {
            if (db.size() == 0) {
                continue;
            }
            out.writeByte(RdbFormat.SELECTDB);
            out.writeLength(db.index);
            out.writeByte(RdbFormat.RESIZEDB);
            out.writeLength(db.size());
            out.writeLength(db.expires.size());
            db.keys.forEach(e -> {
                if (e.aux != Database.NO_EXPIRY) {
                    out.writeByte(RdbFormat.EXPIRETIME_MS);
                    out.writeLongLE(e.aux);
                }
                writeType(e.value);
                out.writeString(e.key);
                writeValue(e.value);
            });
        }
        out.writeByte(RdbFormat.EOF);
        out.writeLongLE(out.crc());
        out.flush();
    }

    private void aux(String key, String value) {
        out.writeByte(RdbFormat.AUX);
        out.writeString(key.getBytes(StandardCharsets.US_ASCII));
        out.writeString(value.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * A DUMP payload: the value's type and encoding, the RDB version as 2 little-endian bytes, and the CRC-64 of all
     * that, little-endian. Flushes the encoder.
     */
    void writeDump(Object value) {
        writeType(value);
        writeValue(value);
        out.writeByte(RdbFormat.VERSION & 0xff);
        out.writeByte(RdbFormat.VERSION >>> 8);
        out.writeLongLE(out.crc());
        out.flush();
    }

    /** The type byte Redis 7.0 would write for {@code value}. */
    void writeType(Object value) {
        out.writeType(switch (value) {
            case MemorySegment s -> RdbFormat.TYPE_STRING;
            case ListValue l -> RdbFormat.TYPE_LIST_QUICKLIST_2;
            case SetValue s -> intsetMembers(s) != null ? RdbFormat.TYPE_SET_INTSET : RdbFormat.TYPE_SET;
            case HashValue h -> packedHash(h) ? RdbFormat.TYPE_HASH_LISTPACK : RdbFormat.TYPE_HASH;
            case SortedSetValue z -> packedZset(z) ? RdbFormat.TYPE_ZSET_LISTPACK : RdbFormat.TYPE_ZSET_2;
            default -> throw new IllegalStateException("no RDB type for a " + value.getClass().getName());
        });
    }

    private void writeValue(Object value) {
        switch (value) {
            case MemorySegment s -> out.writeString(s);
            case ListValue l -> writeList(l);
            case SetValue s -> writeSet(s);
            case HashValue h -> writeHash(h);
            case SortedSetValue z -> writeZset(z);
            default -> throw new IllegalStateException("no RDB encoding for a " + value.getClass().getName());
        }
    }

    private void writeList(ListValue list) {
        // A quicklist: the count of nodes, then per node its container and its listpack as a string.
        List<byte[]> nodes = new ArrayList<>();
        listpack.reset();
        for (int i = 0; i < list.size(); i++) {
            MemorySegment element = list.get(i);
            if (listpack.count() > 0 && listpack.bytes() + element.byteSize() + 11 > RdbFormat.LIST_NODE_BYTES) {
                nodes.add(Arrays.copyOf(listpack.finish(), listpack.bytes()));
                listpack.reset();
            }
            listpack.add(element);
        }
        if (listpack.count() > 0) {
            nodes.add(Arrays.copyOf(listpack.finish(), listpack.bytes()));
        }
        out.writeLength(nodes.size());
        for (byte[] node : nodes) {
            out.writeLength(RdbFormat.QUICKLIST_NODE_PACKED);
            out.writeBlob(node, node.length);
        }
    }

    /** The members as sorted integers if the set is small and all its members are canonical integers, else null. */
    private static long[] intsetMembers(SetValue set) {
        int size = set.members.size();
        if (size > RdbFormat.SET_MAX_INTSET_ENTRIES) {
            return null;
        }
        long[] values = new long[size];
        int[] n = {0};
        boolean[] allIntegers = {true};
        set.members.forEach(e -> {
            long v = e.key.byteSize() > 20 ? RdbEncoder.NOT_AN_INTEGER
                    : RdbEncoder.canonicalLong(e.key, 0, (int) e.key.byteSize());
            if (v == RdbEncoder.NOT_AN_INTEGER) {
                allIntegers[0] = false;
            } else if (n[0] < values.length) {
                values[n[0]++] = v;
            }
        });
        if (!allIntegers[0]) {
            return null;
        }
        Arrays.sort(values);
        return values;
    }

    private void writeSet(SetValue set) {
        long[] integers = intsetMembers(set);
        if (integers != null) {
            byte[] blob = RdbIntset.encode(integers);
            out.writeBlob(blob, blob.length);
            return;
        }
        out.writeLength(set.members.size());
        set.members.forEach(e -> out.writeString(e.key));
    }

    private static boolean packedHash(HashValue hash) {
        if (hash.fields.size() > RdbFormat.HASH_MAX_LISTPACK_ENTRIES) {
            return false;
        }
        boolean[] small = {true};
        hash.fields.forEach(e -> small[0] &= e.key.byteSize() <= RdbFormat.HASH_MAX_LISTPACK_VALUE
                && ((MemorySegment) e.value).byteSize() <= RdbFormat.HASH_MAX_LISTPACK_VALUE);
        return small[0];
    }

    private void writeHash(HashValue hash) {
        if (packedHash(hash)) {
            listpack.reset();
            hash.fields.forEach(e -> {
                listpack.add(e.key);
                listpack.add((MemorySegment) e.value);
            });
            out.writeBlob(listpack.finish(), listpack.bytes());
            return;
        }
        out.writeLength(hash.fields.size());
        hash.fields.forEach(e -> {
            out.writeString(e.key);
            out.writeString((MemorySegment) e.value);
        });
    }

    private static boolean packedZset(SortedSetValue zset) {
        if (zset.size() > RdbFormat.ZSET_MAX_LISTPACK_ENTRIES) {
            return false;
        }
        for (SkipList.Node n = zset.order.first(); n != null; n = SkipList.after(n)) {
            if (n.member.byteSize() > RdbFormat.ZSET_MAX_LISTPACK_VALUE) {
                return false;
            }
        }
        return true;
    }

    private void writeZset(SortedSetValue zset) {
        if (packedZset(zset)) {
            // In score order, each member followed by its score as Redis prints it (an integer score as an integer).
            listpack.reset();
            for (SkipList.Node n = zset.order.first(); n != null; n = SkipList.after(n)) {
                listpack.add(n.member);
                int length = numbers.dtoa(n.score, scratch, 0);
                listpack.add(scratch, 0, length);
            }
            out.writeBlob(listpack.finish(), listpack.bytes());
            return;
        }
        out.writeLength(zset.size());
        for (SkipList.Node n = zset.order.first(); n != null; n = SkipList.after(n)) {
            out.writeString(n.member);
            out.writeDoubleLE(n.score);
        }
    }
}
