package flexos.redis;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * SORT and SORT_RO, as Redis's {@code sort.c}: the elements of a list, set or sorted set, ordered numerically or
 * (ALPHA) by bytes, optionally by weights read through a {@code BY} pattern (a string key or a hash field,
 * {@code *} standing for the element), with LIMIT, GET patterns ({@code #} is the element) and STORE into a list.
 */
final class SortCommand {

    private final Keyspace ks;

    SortCommand(Keyspace ks) {
        this.ks = ks;
    }

    void register(CommandTable t) {
        t.add("sort -2 write,denyoom 1 1 1 generic 1.0.0 | Sorts the elements of a list, set or sorted set, "
                + "optionally storing the result.", c -> sort(c, false));
        t.add("sort_ro -2 readonly 1 1 1 generic 7.0.0 | Sorts the elements of a list, set or sorted set.",
                c -> sort(c, true));
    }

    private record Item(byte[] element, double score, byte[] weight) {
    }

    /** The value a pattern names for {@code element}: a string key, or a field of a hash ({@code key->field}). */
    private byte[] lookup(Client c, byte[] pattern, byte[] element) {
        if (pattern.length == 1 && pattern[0] == '#') {
            return element;
        }
        int star = indexOf(pattern, (byte) '*', 0);
        if (star < 0) {
            return null;
        }
        int arrow = -1;
        for (int i = star + 1; i + 1 < pattern.length; i++) {
            if (pattern[i] == '-' && pattern[i + 1] == '>') {
                arrow = i;
                break;
            }
        }
        int keyEnd = arrow < 0 ? pattern.length : arrow;
        byte[] key = new byte[keyEnd - 1 + element.length];
        System.arraycopy(pattern, 0, key, 0, star);
        System.arraycopy(element, 0, key, star, element.length);
        System.arraycopy(pattern, star + 1, key, star + element.length, keyEnd - star - 1);
        Dict.Entry e = ks.lookup(c.db, MemorySegment.ofArray(key));
        if (e == null) {
            return null;
        }
        if (arrow < 0) {
            return e.value instanceof MemorySegment s ? Values.bytes(s) : null;
        }
        if (!(e.value instanceof HashValue h) || arrow + 2 >= pattern.length) {
            return null;
        }
        byte[] field = Arrays.copyOfRange(pattern, arrow + 2, pattern.length);
        MemorySegment f = MemorySegment.ofArray(field);
        Dict.Entry fe = h.fields.find(f, 0, field.length, ks.blocks.hash(f, 0, field.length));
        return fe == null ? null : Values.bytes((MemorySegment) fe.value);
    }

    private static int indexOf(byte[] b, byte v, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    private void sort(Client c, boolean readOnly) {
        boolean desc = false;
        boolean alpha = false;
        long offset = 0;
        long count = -1;
        byte[] by = null;
        boolean dontSort = false;
        List<byte[]> gets = new ArrayList<>();
        int storeArg = -1;
        for (int j = 2; j < c.argc; j++) {
            String opt = c.argString(j).toLowerCase(Locale.ROOT);
            int left = c.argc - j - 1;
            switch (opt) {
                case "asc" -> desc = false;
                case "desc" -> desc = true;
                case "alpha" -> alpha = true;
                case "limit" -> {
                    if (left < 2) {
                        throw CommandError.SYNTAX;
                    }
                    offset = ks.argLong(c, j + 1);
                    count = ks.argLong(c, j + 2);
                    j += 2;
                }
                case "store" -> {
                    if (left < 1 || readOnly) {
                        throw CommandError.SYNTAX;
                    }
                    storeArg = ++j;
                }
                case "by" -> {
                    if (left < 1) {
                        throw CommandError.SYNTAX;
                    }
                    by = c.argString(++j).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                    if (indexOf(by, (byte) '*', 0) < 0) {
                        dontSort = true;
                    }
                }
                case "get" -> {
                    if (left < 1) {
                        throw CommandError.SYNTAX;
                    }
                    gets.add(c.argString(++j).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                }
                default -> throw CommandError.SYNTAX;
            }
        }
        Dict.Entry e = ks.lookup(c, 1);
        List<byte[]> elements = new ArrayList<>();
        boolean sortedSet = false;
        if (e != null) {
            switch (e.value) {
                case ListValue l -> {
                    for (int i = 0; i < l.size(); i++) {
                        elements.add(Values.bytes(l.get(i)));
                    }
                }
                case SetValue s -> s.members.forEach(m -> elements.add(Values.bytes(m.key)));
                case SortedSetValue z -> {
                    sortedSet = true;
                    for (SkipList.Node n = z.order.first(); n != null; n = SkipList.after(n)) {
                        elements.add(Values.bytes(n.member));
                    }
                }
                default -> throw CommandError.WRONG_TYPE;
            }
        }
        if (dontSort && sortedSet && desc) {
            java.util.Collections.reverse(elements);
        }
        List<Item> items = new ArrayList<>();
        for (byte[] el : elements) {
            byte[] weight = by == null ? el : dontSort ? null : lookup(c, by, el);
            double score = 0;
            if (!dontSort && !alpha && weight != null) {
                String text = new String(weight, java.nio.charset.StandardCharsets.ISO_8859_1);
                try {
                    score = Double.parseDouble(text);
                } catch (NumberFormatException ex) {
                    throw new CommandError("ERR One or more scores can't be converted into double");
                }
                if (Double.isNaN(score) || text.isBlank() || Character.isWhitespace(text.charAt(0))) {
                    throw new CommandError("ERR One or more scores can't be converted into double");
                }
            }
            items.add(new Item(el, score, weight));
        }
        if (!dontSort) {
            boolean byAlpha = alpha;
            boolean descending = desc;
            items.sort((a, b) -> {
                int cmp;
                if (byAlpha) {
                    if (a.weight() == null || b.weight() == null) {
                        cmp = a.weight() == b.weight() ? 0 : a.weight() == null ? -1 : 1;
                    } else {
                        cmp = Arrays.compareUnsigned(a.weight(), b.weight());
                    }
                } else {
                    cmp = Double.compare(a.score(), b.score());
                    if (a.score() == b.score()) {
                        cmp = Arrays.compareUnsigned(a.element(), b.element());
                    }
                }
                return descending ? -cmp : cmp;
            });
        }
        int start = (int) Math.max(0, Math.min(offset, items.size()));
        int end = count < 0 ? items.size() : (int) Math.min(items.size(), start + count);
        if (offset < 0) {
            start = 0;
        }
        List<Item> chosen = items.subList(start, Math.max(start, end));
        List<byte[]> out = new ArrayList<>();
        for (Item it : chosen) {
            if (gets.isEmpty()) {
                out.add(it.element());
            } else {
                for (byte[] g : gets) {
                    out.add(lookup(c, g, it.element()));
                }
            }
        }
        if (storeArg < 0) {
            c.addArrayHeader(out.size());
            for (byte[] v : out) {
                if (v == null) {
                    c.addNull();
                } else {
                    c.addBulkBytes(v);
                }
            }
            return;
        }
        Database db = ks.db(c);
        Dict.Entry dst = ks.lookup(c, storeArg);
        if (dst != null) {
            db.delete(dst);
        }
        if (!out.isEmpty()) {
            ListValue list = ListValue.create(ks);
            try {
                for (byte[] v : out) {
                    byte[] bytes = v == null ? new byte[0] : v;
                    list.pushTail(ks.blocks.copyOf(MemorySegment.ofArray(bytes), 0, bytes.length));
                }
            } catch (HeapExhausted oom) {
                list.freeAll(ks.blocks);
                throw oom;
            }
            ks.add(c, storeArg, ks.hashArg(c, storeArg), list);
        }
        ks.modified(c, storeArg);
        c.addInteger(out.size());
    }
}
