package flexos.redis;

import java.lang.foreign.MemorySegment;

/** Deep copies of values, for COPY: every element gets a block of its own, so the two keys never share memory. */
final class ValueCopy {

    private ValueCopy() {
    }

    /** A copy of {@code value}; throws {@link HeapExhausted} (having freed what it copied) if it does not fit. */
    static Object duplicate(Object value, Keyspace ks) {
        Blocks blocks = ks.blocks;
        switch (value) {
            case MemorySegment s -> {
                return blocks.copyOf(s, 0, s.byteSize());
            }
            case ListValue l -> {
                ListValue copy = ListValue.create(ks);
                try {
                    for (int i = 0; i < l.size(); i++) {
                        MemorySegment e = l.get(i);
                        copy.pushTail(blocks.copyOf(e, 0, e.byteSize()));
                    }
                } catch (HeapExhausted oom) {
                    copy.freeAll(blocks);
                    throw oom;
                }
                return copy;
            }
            case SetValue set -> {
                MemorySegment first = set.members.size() == 0 ? null : set.members.randomEntry(ks.random).key;
                SetValue copy = first == null ? new SetValue(blocks) : SetValue.create(ks, first, 0, first.byteSize());
                try {
                    set.members.forEach(e -> copy.add(blocks.copyOf(e.key, 0, e.key.byteSize()), e.hash, ks.limits));
                } catch (HeapExhausted oom) {
                    copy.freeAll(blocks);
                    throw oom;
                }
                return copy;
            }
            case HashValue h -> {
                HashValue copy = HashValue.create(ks, 0, 0);
                try {
                    h.fields.forEach(e -> {
                        MemorySegment v = (MemorySegment) e.value;
                        MemorySegment field = blocks.copyOf(e.key, 0, e.key.byteSize());
                        MemorySegment val;
                        try {
                            val = blocks.copyOf(v, 0, v.byteSize());
                        } catch (HeapExhausted oom) {
                            blocks.free(field);
                            throw oom;
                        }
                        copy.fields.insert(field, e.hash).value = val;
                        copy.fit(ks.limits, field.byteSize(), val.byteSize());
                    });
                } catch (HeapExhausted oom) {
                    copy.freeAll(blocks);
                    throw oom;
                }
                return copy;
            }
            case SortedSetValue z -> {
                SortedSetValue copy = SortedSetValue.create(ks, 0);
                try {
                    z.members.forEach(e -> {
                        copy.add(blocks.copyOf(e.key, 0, e.key.byteSize()), e.hash, SortedSetValue.score(e));
                        copy.fit(ks.limits, e.key.byteSize());
                    });
                } catch (HeapExhausted oom) {
                    copy.freeAll(blocks);
                    throw oom;
                }
                return copy;
            }
            default -> throw new IllegalStateException("unknown value type " + value.getClass());
        }
    }
}
