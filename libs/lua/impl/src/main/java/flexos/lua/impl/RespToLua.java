package flexos.lua.impl;

import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

import java.nio.charset.StandardCharsets;

/**
 * A command's RESP reply as the Lua value Redis 7.0 gives a script ({@code redisProtocolToLuaType}): integers are
 * numbers, bulk strings strings, a RESP2 null bulk or null array {@code false}, arrays tables, a status
 * {@code {ok=...}}, an error {@code {err=...}}; in RESP3 a null is {@code nil}, a boolean a boolean, a map
 * {@code {map={...}}}, a set {@code {set={member=true...}}}, a double {@code {double=n}}, a big number
 * {@code {big_number="..."}} and a verbatim string {@code {verbatim_string={format=..., string=...}}}; attributes
 * are skipped.
 */
final class RespToLua {

    private final byte[] bytes;
    private int pos;

    private RespToLua(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * The first reply of {@code reply}.
     *
     * @throws IllegalArgumentException if it is not one well-formed reply
     */
    static LuaValue convert(byte[] reply) {
        RespToLua parser = new RespToLua(reply);
        return parser.value();
    }

    /** The elements of a RESP array of bulk strings (keys, arguments) as a Lua array of strings. */
    static LuaTable stringArray(byte[] array) {
        RespToLua parser = new RespToLua(array);
        LuaValue v = parser.value();
        if (!v.istable()) {
            throw new IllegalArgumentException("not a RESP array");
        }
        return (LuaTable) v;
    }

    private LuaValue value() {
        if (pos >= bytes.length) {
            throw new IllegalArgumentException("truncated RESP reply");
        }
        byte type = bytes[pos++];
        switch (type) {
            case '+': {
                LuaTable t = new LuaTable();
                t.rawset("ok", LuaString.valueOf(line()));
                return t;
            }
            case '-': {
                LuaTable t = new LuaTable();
                t.rawset("err", LuaString.valueOf(line()));
                return t;
            }
            case ':':
                return LuaValue.valueOf((double) Long.parseLong(text(line())));
            case '$': {
                long n = Long.parseLong(text(line()));
                if (n < 0) {
                    return LuaValue.FALSE;
                }
                byte[] s = take((int) n);
                pos += 2;
                return LuaString.valueOf(s);
            }
            case '*': {
                long n = Long.parseLong(text(line()));
                if (n < 0) {
                    return LuaValue.FALSE;
                }
                LuaTable t = new LuaTable((int) Math.min(n, 1024), 0);
                for (int i = 1; i <= n; i++) {
                    LuaValue element = value();
                    if (!element.isnil()) {
                        t.rawset(i, element);
                    }
                }
                return t;
            }
            case '_':
                line();
                return LuaValue.NIL;
            case '#':
                return LuaValue.valueOf(line()[0] == 't');
            case ',': {
                LuaTable t = new LuaTable();
                t.rawset("double", LuaValue.valueOf(parseDouble(text(line()))));
                return t;
            }
            case '(': {
                LuaTable t = new LuaTable();
                t.rawset("big_number", LuaString.valueOf(line()));
                return t;
            }
            case '=': {
                long n = Long.parseLong(text(line()));
                byte[] s = take((int) n);
                pos += 2;
                LuaTable inner = new LuaTable();
                inner.rawset("format", LuaString.valueOf(java.util.Arrays.copyOfRange(s, 0, Math.min(3, s.length))));
                inner.rawset("string", LuaString.valueOf(java.util.Arrays.copyOfRange(s, Math.min(4, s.length), s.length)));
                LuaTable t = new LuaTable();
                t.rawset("verbatim_string", inner);
                return t;
            }
            case '%': {
                long n = Long.parseLong(text(line()));
                LuaTable map = new LuaTable();
                for (long i = 0; i < n; i++) {
                    LuaValue k = value();
                    LuaValue v = value();
                    if (!k.isnil()) {
                        map.rawset(k, v.isnil() ? LuaValue.FALSE : v);
                    }
                }
                LuaTable t = new LuaTable();
                t.rawset("map", map);
                return t;
            }
            case '~': {
                long n = Long.parseLong(text(line()));
                LuaTable set = new LuaTable();
                for (long i = 0; i < n; i++) {
                    LuaValue k = value();
                    if (!k.isnil()) {
                        set.rawset(k, LuaValue.TRUE);
                    }
                }
                LuaTable t = new LuaTable();
                t.rawset("set", set);
                return t;
            }
            case '|': {
                long n = Long.parseLong(text(line()));
                for (long i = 0; i < 2 * n; i++) {
                    value();
                }
                return value();
            }
            default:
                throw new IllegalArgumentException("unknown RESP type '" + (char) type + "'");
        }
    }

    private static double parseDouble(String s) {
        return switch (s) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }

    private byte[] line() {
        int start = pos;
        while (pos + 1 < bytes.length && !(bytes[pos] == '\r' && bytes[pos + 1] == '\n')) {
            pos++;
        }
        if (pos + 1 >= bytes.length) {
            throw new IllegalArgumentException("truncated RESP line");
        }
        byte[] out = java.util.Arrays.copyOfRange(bytes, start, pos);
        pos += 2;
        return out;
    }

    private byte[] take(int n) {
        if (pos + n + 2 > bytes.length) {
            throw new IllegalArgumentException("truncated RESP bulk");
        }
        byte[] out = java.util.Arrays.copyOfRange(bytes, pos, pos + n);
        pos += n;
        return out;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
