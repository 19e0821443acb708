package flexos.redis;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/** HSET (several pairs), HGET, HDEL, HLEN and HGETALL. */
final class HashCommands {

    private final Keyspace ks;

    HashCommands(Keyspace ks) {
        this.ks = ks;
    }

    void register(CommandTable table) {
        table.add("hset", -4, this::hset);
        table.add("hget", 3, this::hget);
        table.add("hdel", -3, this::hdel);
        table.add("hlen", 2, c -> {
            HashValue hash = ks.valueOf(c, HashValue.class);
            c.addInteger(hash == null ? 0 : hash.fields.size());
        });
        table.add("hgetall", 2, this::hgetall);
    }

    private void hset(Client c) {
        if ((c.argc & 1) != 0) {
            c.addError("ERR wrong number of arguments for 'hset' command");
            return;
        }
        long keyHash = ks.hashArg(c, 1);
        Database db = ks.db(c);
        Dict.Entry e = db.lookup(c.query, c.argOff[1], c.argLen[1], keyHash);
        HashValue hash;
        boolean created = false;
        if (e == null) {
            hash = new HashValue(ks.blocks);
            created = true;
        } else if (e.value instanceof HashValue existing) {
            hash = existing;
        } else {
            c.addWrongType();
            return;
        }
        long added = 0;
        try {
            for (int j = 2; j < c.argc; j += 2) {
                long h = ks.hashArg(c, j);
                Dict.Entry f = hash.fields.find(c.query, c.argOff[j], c.argLen[j], h);
                MemorySegment value = ks.copyArg(c, j + 1);
                if (f != null) {
                    ks.blocks.free((MemorySegment) f.value);
                    f.value = value;
                } else {
                    MemorySegment field;
                    try {
                        field = ks.copyArg(c, j);
                    } catch (HeapExhausted oom) {
                        ks.blocks.free(value);
                        throw oom;
                    }
                    hash.fields.insert(field, h).value = value;
                    added++;
                }
            }
        } catch (HeapExhausted oom) {
            if (created) {
                hash.freeAll(ks.blocks);
            }
            throw oom;
        }
        if (created) {
            ks.add(c, 1, keyHash, hash);
        }
        c.addInteger(added);
    }

    private void hget(Client c) {
        HashValue hash = ks.valueOf(c, HashValue.class);
        Dict.Entry f = hash == null ? null : hash.fields.find(c.query, c.argOff[2], c.argLen[2], ks.hashArg(c, 2));
        if (f == null) {
            c.addNull();
        } else {
            c.addBulk((MemorySegment) f.value);
        }
    }

    private void hdel(Client c) {
        Dict.Entry e = ks.lookup(c, 1);
        if (e == null) {
            c.addInteger(0);
            return;
        }
        if (!(e.value instanceof HashValue hash)) {
            c.addWrongType();
            return;
        }
        long removed = 0;
        for (int j = 2; j < c.argc; j++) {
            Dict.Entry f = hash.fields.remove(c.query, c.argOff[j], c.argLen[j], ks.hashArg(c, j));
            if (f != null) {
                ks.blocks.free(f.key);
                ks.blocks.free((MemorySegment) f.value);
                removed++;
            }
        }
        if (hash.fields.size() == 0) {
            ks.db(c).delete(e);
        }
        c.addInteger(removed);
    }

    private void hgetall(Client c) {
        HashValue hash = ks.valueOf(c, HashValue.class);
        if (hash == null) {
            c.addArrayHeader(0);
            return;
        }
        List<Dict.Entry> fields = new ArrayList<>(hash.fields.size());
        hash.fields.forEach(fields::add);
        c.addArrayHeader(2L * fields.size());
        for (Dict.Entry f : fields) {
            c.addBulk(f.key);
            c.addBulk((MemorySegment) f.value);
        }
    }
}
