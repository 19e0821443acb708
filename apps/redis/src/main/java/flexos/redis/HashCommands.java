package flexos.redis;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/** The hash commands, with Redis's replies and errors. */
final class HashCommands {

    private final Keyspace ks;

    HashCommands(Keyspace ks) {
        this.ks = ks;
    }

    void register(CommandTable t) {
        t.add("hset -4 write,denyoom,fast 1 1 1 hash 2.0.0 | Sets fields of a hash; returns how many are new.",
                c -> hset(c, false));
        t.add("hmset -4 write,denyoom,fast 1 1 1 hash 2.0.0 | Sets fields of a hash (HSET's old form).",
                c -> hset(c, true));
        t.add("hsetnx 4 write,denyoom,fast 1 1 1 hash 2.0.0 | Sets a field of a hash only if it is not set.",
                this::hsetnx);
        t.add("hget 3 readonly,fast 1 1 1 hash 2.0.0 | The value of a field of a hash.", this::hget);
        t.add("hmget -3 readonly,fast 1 1 1 hash 2.0.0 | The values of several fields of a hash.", this::hmget);
        t.add("hdel -3 write,fast 1 1 1 hash 2.0.0 | Deletes fields of a hash.", this::hdel);
        t.add("hlen 2 readonly,fast 1 1 1 hash 2.0.0 | The number of fields of a hash.", c -> {
            HashValue h = hashAt(c);
            c.addInteger(h == null ? 0 : h.fields.size());
        });
        t.add("hstrlen 3 readonly,fast 1 1 1 hash 3.2.0 | The length of a field's value.", c -> {
            Dict.Entry f = field(c, 2);
            c.addInteger(f == null ? 0 : ((MemorySegment) f.value).byteSize());
        });
        t.add("hexists 3 readonly,fast 1 1 1 hash 2.0.0 | Whether a hash has a field.",
                c -> c.addInteger(field(c, 2) == null ? 0 : 1));
        t.add("hkeys 2 readonly 1 1 1 hash 2.0.0 | The fields of a hash.", c -> all(c, true, false));
        t.add("hvals 2 readonly 1 1 1 hash 2.0.0 | The values of a hash.", c -> all(c, false, true));
        t.add("hgetall 2 readonly 1 1 1 hash 2.0.0 | The fields and values of a hash.", c -> all(c, true, true));
        t.add("hincrby 4 write,denyoom,fast 1 1 1 hash 2.0.0 | Adds an integer to a field's integer value.",
                this::hincrby);
        t.add("hincrbyfloat 4 write,denyoom,fast 1 1 1 hash 2.6.0 | Adds a decimal number to a field's numeric "
                + "value.", this::hincrbyfloat);
        t.add("hrandfield -2 readonly 1 1 1 hash 6.2.0 | Random fields of a hash, optionally with their values.",
                this::hrandfield);
        t.add("hscan -3 readonly 1 1 1 hash 2.8.0 | Iterates over the fields of a hash with a cursor.",
                this::hscan);
    }

    private HashValue hashAt(Client c) {
        return ks.valueOf(c, HashValue.class);
    }

    private Dict.Entry field(Client c, int i) {
        HashValue h = hashAt(c);
        return h == null ? null : h.fields.find(c.query, c.argOff[i], c.argLen[i], ks.hashArg(c, i));
    }

    /** The hash of argument 1, created if absent; {@code created[0]} tells. */
    private HashValue hashForWrite(Client c, Dict.Entry[] entry) {
        Dict.Entry e = ks.lookup(c, 1);
        if (e == null) {
            return null;
        }
        if (!(e.value instanceof HashValue h)) {
            throw CommandError.WRONG_TYPE;
        }
        entry[0] = e;
        return h;
    }

    private void putField(HashValue hash, Client c, int fieldArg, MemorySegment value) {
        long h = ks.hashArg(c, fieldArg);
        Dict.Entry f = hash.fields.find(c.query, c.argOff[fieldArg], c.argLen[fieldArg], h);
        if (f != null) {
            ks.blocks.free((MemorySegment) f.value);
            f.value = value;
        } else {
            MemorySegment field;
            try {
                field = ks.copyArg(c, fieldArg);
            } catch (HeapExhausted oom) {
                ks.blocks.free(value);
                throw oom;
            }
            hash.fields.insert(field, h).value = value;
        }
        hash.fit(ks.limits, c.argLen[fieldArg], value.byteSize());
    }

    private void hset(Client c, boolean legacy) {
        if ((c.argc & 1) != 0) {
            c.addError("ERR wrong number of arguments for '" + (legacy ? "hmset" : "hset") + "' command");
            return;
        }
        Dict.Entry[] entry = new Dict.Entry[1];
        HashValue hash = hashForWrite(c, entry);
        boolean created = hash == null;
        if (created) {
            hash = HashValue.create(ks, c.argLen[2], c.argLen[3]);
        }
        long added = 0;
        try {
            for (int j = 2; j < c.argc; j += 2) {
                boolean exists = hash.fields.find(c.query, c.argOff[j], c.argLen[j], ks.hashArg(c, j)) != null;
                putField(hash, c, j, ks.copyArg(c, j + 1));
                if (!exists) {
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
            ks.add(c, 1, ks.hashArg(c, 1), hash);
        }
        ks.modified(c, 1);
        if (legacy) {
            c.addOk();
        } else {
            c.addInteger(added);
        }
    }

    private void hsetnx(Client c) {
        Dict.Entry[] entry = new Dict.Entry[1];
        HashValue hash = hashForWrite(c, entry);
        if (hash != null && hash.fields.find(c.query, c.argOff[2], c.argLen[2], ks.hashArg(c, 2)) != null) {
            c.addInteger(0);
            return;
        }
        boolean created = hash == null;
        if (created) {
            hash = HashValue.create(ks, c.argLen[2], c.argLen[3]);
        }
        putField(hash, c, 2, ks.copyArg(c, 3));
        if (created) {
            ks.add(c, 1, ks.hashArg(c, 1), hash);
        }
        ks.modified(c, 1);
        c.addInteger(1);
    }

    private void hget(Client c) {
        Dict.Entry f = field(c, 2);
        if (f == null) {
            c.addNull();
        } else {
            c.addBulk((MemorySegment) f.value);
        }
    }

    private void hmget(Client c) {
        HashValue hash = hashAt(c);
        c.addArrayHeader(c.argc - 2);
        for (int j = 2; j < c.argc; j++) {
            Dict.Entry f = hash == null ? null : hash.fields.find(c.query, c.argOff[j], c.argLen[j], ks.hashArg(c, j));
            if (f == null) {
                c.addNull();
            } else {
                c.addBulk((MemorySegment) f.value);
            }
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
        if (removed > 0) {
            if (hash.fields.size() == 0) {
                ks.db(c).delete(e);
            }
            ks.modified(c, 1);
        }
        c.addInteger(removed);
    }

    private void all(Client c, boolean keys, boolean values) {
        HashValue hash = hashAt(c);
        if (hash == null) {
            if (keys && values) {
                c.addMapHeader(0);
            } else {
                c.addArrayHeader(0);
            }
            return;
        }
        List<Dict.Entry> fields = new ArrayList<>(hash.fields.size());
        hash.fields.forEach(fields::add);
        if (keys && values) {
            c.addMapHeader(fields.size());
        } else {
            c.addArrayHeader(fields.size());
        }
        for (Dict.Entry f : fields) {
            if (keys) {
                c.addBulk(f.key);
            }
            if (values) {
                c.addBulk((MemorySegment) f.value);
            }
        }
    }

    private MemorySegment fieldText(Dict.Entry f) {
        return f == null ? null : (MemorySegment) f.value;
    }

    private void hincrby(Client c) {
        long by = ks.argLong(c, 3);
        Dict.Entry[] entry = new Dict.Entry[1];
        HashValue hash = hashForWrite(c, entry);
        long current = 0;
        Dict.Entry f = hash == null ? null : hash.fields.find(c.query, c.argOff[2], c.argLen[2], ks.hashArg(c, 2));
        if (f != null) {
            MemorySegment v = fieldText(f);
            try {
                current = ks.numbers.strtoll(v, 0, v.byteSize());
            } catch (NumberFormatException e) {
                throw new CommandError("ERR hash value is not an integer");
            }
        }
        if ((by < 0 && current < Long.MIN_VALUE - by) || (by > 0 && current > Long.MAX_VALUE - by)) {
            throw new CommandError("ERR increment or decrement would overflow");
        }
        long value = current + by;
        byte[] text = Long.toString(value).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        storeText(c, hash, text);
        c.addInteger(value);
    }

    private void storeText(Client c, HashValue hash, byte[] text) {
        boolean created = hash == null;
        if (created) {
            hash = HashValue.create(ks, c.argLen[2], text.length);
        }
        putField(hash, c, 2, ks.blocks.copyOf(MemorySegment.ofArray(text), 0, text.length));
        if (created) {
            ks.add(c, 1, ks.hashArg(c, 1), hash);
        }
        ks.modified(c, 1);
    }

    private void hincrbyfloat(Client c) {
        java.math.BigDecimal by = Values.decimal(c.argString(3));
        if (by == null) {
            throw Values.infinite(c.argString(3)) ? new CommandError("ERR value is NaN or Infinity")
                    : CommandError.NOT_FLOAT;
        }
        Dict.Entry[] entry = new Dict.Entry[1];
        HashValue hash = hashForWrite(c, entry);
        java.math.BigDecimal current = java.math.BigDecimal.ZERO;
        Dict.Entry f = hash == null ? null : hash.fields.find(c.query, c.argOff[2], c.argLen[2], ks.hashArg(c, 2));
        if (f != null) {
            current = Values.decimal(Values.text(fieldText(f)));
            if (current == null) {
                throw new CommandError("ERR hash value is not a float");
            }
        }
        String text = Values.addDecimals(current, by);
        if (text == null) {
            throw new CommandError("ERR increment would produce NaN or Infinity");
        }
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        storeText(c, hash, bytes);
        c.addBulkBytes(bytes);
    }

    private void hrandfield(Client c) {
        if (c.argc > 4) {
            throw CommandError.SYNTAX;
        }
        boolean withValues = false;
        if (c.argc == 4) {
            if (!c.argString(3).equalsIgnoreCase("withvalues")) {
                throw CommandError.SYNTAX;
            }
            withValues = true;
        }
        boolean hasCount = c.argc >= 3;
        long count = hasCount ? ks.argLong(c, 2) : 1;
        HashValue hash = hashAt(c);
        if (hash == null) {
            if (hasCount) {
                c.addArrayHeader(0);
            } else {
                c.addNull();
            }
            return;
        }
        if (!hasCount) {
            c.addBulk(hash.fields.randomEntry(ks.random).key);
            return;
        }
        List<Dict.Entry> picked = RandomPicks.pick(hash.fields, count, withValues, ks.random);
        if (withValues && c.resp >= 3) {
            c.addArrayHeader(picked.size());
            for (Dict.Entry f : picked) {
                c.addArrayHeader(2);
                c.addBulk(f.key);
                c.addBulk((MemorySegment) f.value);
            }
            return;
        }
        c.addArrayHeader(withValues ? 2L * picked.size() : picked.size());
        for (Dict.Entry f : picked) {
            c.addBulk(f.key);
            if (withValues) {
                c.addBulk((MemorySegment) f.value);
            }
        }
    }

    private void hscan(Client c) {
        KeyCommands.ScanOptions o = KeyCommands.scanOptions(c, 2, false);
        HashValue hash = hashAt(c);
        List<Dict.Entry> found = new ArrayList<>();
        long next = hash == null ? 0 : KeyCommands.scanDict(hash.fields, o, found);
        List<Dict.Entry> kept = new ArrayList<>();
        for (Dict.Entry f : found) {
            if (ScanFilter.matches(ks, o.pattern(), f.key)) {
                kept.add(f);
            }
        }
        c.addArrayHeader(2);
        c.addBulkString(Long.toUnsignedString(next));
        c.addArrayHeader(2L * kept.size());
        for (Dict.Entry f : kept) {
            c.addBulk(f.key);
            c.addBulk((MemorySegment) f.value);
        }
    }
}
