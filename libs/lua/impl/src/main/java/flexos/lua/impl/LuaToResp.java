package flexos.lua.impl;

import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A script's result as the RESP reply Redis 7.0 sends for it ({@code luaReplyToRedisReply}): a string is a bulk
 * string, a number an integer (truncated), {@code true} the integer 1 and {@code false} a null (in RESP3 scripts,
 * after {@code redis.setresp(3)}, booleans), a table with a string {@code err} an error, with a string {@code ok} a
 * status, then RESP3's {@code double}, {@code big_number}, {@code verbatim_string}, {@code map} and {@code set}
 * forms, and any other table an array of its elements 1, 2... up to the first nil; nil and anything else is a null.
 * Aggregates and nulls are written in the protocol of the client the reply goes to.
 */
final class LuaToResp {

    /** Nested tables deeper than this are refused, as Redis refuses when its Lua stack cannot grow. */
    private static final int MAX_DEPTH = 1000;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final int callerResp;
    private final int scriptResp;

    private LuaToResp(int callerResp, int scriptResp) {
        this.callerResp = callerResp;
        this.scriptResp = scriptResp;
    }

    static byte[] convert(LuaValue value, int callerResp, int scriptResp) {
        LuaToResp writer = new LuaToResp(callerResp, scriptResp);
        writer.write(value, 0);
        return writer.out.toByteArray();
    }

    /** An error reply {@code -message}, its line breaks made spaces as Redis's addReplyError does. */
    static byte[] error(String message) {
        return ("-" + message.replace('\r', ' ').replace('\n', ' ') + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private void write(LuaValue v, int depth) {
        if (depth > MAX_DEPTH) {
            line('-', "ERR reached lua stack limit");
            return;
        }
        switch (v.type()) {
            case LuaValue.TSTRING -> bulk(v.checkstring().m_bytes, v.checkstring().m_offset, v.checkstring().m_length);
            case LuaValue.TBOOLEAN -> {
                if (scriptResp == 2) {
                    if (v.toboolean()) {
                        line(':', "1");
                    } else {
                        nullReply();
                    }
                } else if (callerResp == 2) {
                    line(':', v.toboolean() ? "1" : "0");
                } else {
                    line('#', v.toboolean() ? "t" : "f");
                }
            }
            case LuaValue.TNUMBER -> line(':', Long.toString(toLong(v.todouble())));
            case LuaValue.TTABLE -> table((LuaTable) v, depth);
            default -> nullReply();
        }
    }

    private void table(LuaTable t, int depth) {
        LuaValue err = t.rawget("err");
        if (err.type() == LuaValue.TSTRING) {
            line('-', err.tojstring());
            return;
        }
        LuaValue ok = t.rawget("ok");
        if (ok.type() == LuaValue.TSTRING) {
            line('+', ok.tojstring());
            return;
        }
        LuaValue dbl = t.rawget("double");
        if (dbl.type() == LuaValue.TNUMBER) {
            String text = Numbers.format17g(dbl.todouble());
            if (callerResp >= 3) {
                line(',', text);
            } else {
                bulk(text.getBytes(StandardCharsets.ISO_8859_1));
            }
            return;
        }
        LuaValue big = t.rawget("big_number");
        if (big.type() == LuaValue.TSTRING) {
            String text = big.tojstring();
            if (callerResp >= 3) {
                line('(', text);
            } else {
                bulk(text.getBytes(StandardCharsets.ISO_8859_1));
            }
            return;
        }
        LuaValue verbatim = t.rawget("verbatim_string");
        if (verbatim.istable()) {
            LuaValue format = verbatim.rawget("format");
            LuaValue string = verbatim.rawget("string");
            if (format.type() == LuaValue.TSTRING && string.type() == LuaValue.TSTRING) {
                byte[] s = bytes(string.checkstring());
                if (callerResp >= 3) {
                    byte[] f = bytes(format.checkstring());
                    byte[] framed = new byte[3 + 1 + s.length];
                    System.arraycopy(f, 0, framed, 0, Math.min(3, f.length));
                    framed[3] = ':';
                    System.arraycopy(s, 0, framed, 4, s.length);
                    header('=', framed.length);
                    out.writeBytes(framed);
                    crlf();
                } else {
                    bulk(s);
                }
                return;
            }
        }
        LuaValue map = t.rawget("map");
        if (map.istable()) {
            java.util.List<LuaValue[]> pairs = new java.util.ArrayList<>();
            LuaValue k = LuaValue.NIL;
            while (true) {
                org.luaj.vm2.Varargs n = map.next(k);
                if ((k = n.arg1()).isnil()) {
                    break;
                }
                pairs.add(new LuaValue[] {k, n.arg(2)});
            }
            header(callerResp >= 3 ? '%' : '*', callerResp >= 3 ? pairs.size() : 2L * pairs.size());
            for (LuaValue[] p : pairs) {
                write(p[0], depth + 1);
                write(p[1], depth + 1);
            }
            return;
        }
        LuaValue set = t.rawget("set");
        if (set.istable()) {
            java.util.List<LuaValue> members = new java.util.ArrayList<>();
            LuaValue k = LuaValue.NIL;
            while (true) {
                org.luaj.vm2.Varargs n = set.next(k);
                if ((k = n.arg1()).isnil()) {
                    break;
                }
                members.add(k);
            }
            header(callerResp >= 3 ? '~' : '*', members.size());
            for (LuaValue m : members) {
                write(m, depth + 1);
            }
            return;
        }
        int n = 0;
        while (!t.rawget(n + 1).isnil()) {
            n++;
        }
        header('*', n);
        for (int i = 1; i <= n; i++) {
            write(t.rawget(i), depth + 1);
        }
    }

    /** C's {@code (long long)} of a double: truncation, saturating as x86 does not, but never undefined here. */
    static long toLong(double d) {
        return (long) d;
    }

    private static byte[] bytes(LuaString s) {
        byte[] b = new byte[s.m_length];
        System.arraycopy(s.m_bytes, s.m_offset, b, 0, s.m_length);
        return b;
    }

    private void nullReply() {
        if (callerResp >= 3) {
            out.writeBytes(new byte[] {'_', '\r', '\n'});
        } else {
            out.writeBytes(new byte[] {'$', '-', '1', '\r', '\n'});
        }
    }

    private void bulk(byte[] b) {
        bulk(b, 0, b.length);
    }

    private void bulk(byte[] b, int off, int len) {
        header('$', len);
        out.write(b, off, len);
        crlf();
    }

    private void header(char type, long n) {
        line(type, Long.toString(n));
    }

    private void line(char type, String text) {
        out.write(type);
        out.writeBytes(text.replace('\r', ' ').replace('\n', ' ').getBytes(StandardCharsets.ISO_8859_1));
        crlf();
    }

    private void crlf() {
        out.write('\r');
        out.write('\n');
    }
}
