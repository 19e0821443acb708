package flexos.lua.impl;

import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Lua BitOp's {@code bit} library as Redis ships it: 32-bit operations whose results are signed numbers
 * ({@code bit.tobit(0xffffffff) == -1}), {@code tohex} with an optional digit count (negative for upper case).
 */
final class BitLib {

    private BitLib() {
    }

    static LuaTable create() {
        LuaTable bit = new LuaTable();
        bit.rawset("tobit", op(a -> toBit(a.arg1())));
        bit.rawset("bnot", op(a -> ~toBit(a.arg1())));
        bit.rawset("band", op(a -> fold(a, (x, y) -> x & y)));
        bit.rawset("bor", op(a -> fold(a, (x, y) -> x | y)));
        bit.rawset("bxor", op(a -> fold(a, (x, y) -> x ^ y)));
        bit.rawset("lshift", op(a -> toBit(a.arg1()) << (toBit(a.arg(2)) & 31)));
        bit.rawset("rshift", op(a -> toBit(a.arg1()) >>> (toBit(a.arg(2)) & 31)));
        bit.rawset("arshift", op(a -> toBit(a.arg1()) >> (toBit(a.arg(2)) & 31)));
        bit.rawset("rol", op(a -> Integer.rotateLeft(toBit(a.arg1()), toBit(a.arg(2)) & 31)));
        bit.rawset("ror", op(a -> Integer.rotateRight(toBit(a.arg1()), toBit(a.arg(2)) & 31)));
        bit.rawset("bswap", op(a -> Integer.reverseBytes(toBit(a.arg1()))));
        bit.rawset("tohex", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                int x = toBit(a.arg1());
                int n = a.isnoneornil(2) ? 8 : toBit(a.arg(2));
                boolean upper = n < 0;
                n = Math.min(8, Math.abs(n));
                String hex = String.format("%08x", x);
                hex = hex.substring(8 - n);
                return LuaValue.valueOf(upper ? hex.toUpperCase(java.util.Locale.ROOT) : hex);
            }
        });
        return bit;
    }

    private interface IntOp {
        int apply(Varargs args);
    }

    private interface Combine {
        int apply(int a, int b);
    }

    private static VarArgFunction op(IntOp op) {
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return LuaValue.valueOf(op.apply(args));
            }
        };
    }

    private static int fold(Varargs args, Combine c) {
        int r = toBit(args.arg1());
        for (int i = 2; i <= args.narg(); i++) {
            r = c.apply(r, toBit(args.arg(i)));
        }
        return r;
    }

    /** BitOp's normalisation: the number modulo 2^32, as a signed 32-bit integer. */
    static int toBit(LuaValue v) {
        double d = v.checkdouble();
        // Rounded to the nearest integer, then its low 32 bits, as BitOp's double-to-int trick does.
        return (int) (long) Math.rint(d % 4294967296.0);
    }
}
