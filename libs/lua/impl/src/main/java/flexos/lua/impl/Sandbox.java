package flexos.lua.impl;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.jse.JseMathLib;

import java.io.ByteArrayInputStream;

/**
 * One Lua state in Redis's sandbox: LuaJ's globals with only the base, string, table and math libraries, {@code bit}
 * and a {@code redis} table, seen by scripts through a read-only view. Reading a global that does not exist is an
 * error ({@code Script attempted to access nonexistent global variable}), and so is writing any
 * ({@code Attempt to modify a readonly table}), as Redis 7.0's global protection does; the library tables are
 * read-only the same way.
 *
 * <p>What is left out is what reaches the host or the interpreter itself: {@code dofile}, {@code loadfile},
 * {@code load} (binary chunks), {@code print} (the console), {@code require}, {@code package}, {@code io},
 * {@code os}, {@code debug}, and {@code coroutine} (LuaJ runs each coroutine on a Java thread of its own).
 */
final class Sandbox {

    private static final String[] REMOVED = {"dofile", "loadfile", "load", "print", "require", "module",
            "package", "collectgarbage"};

    /**
     * The globals scripts run with. LuaJ counts instructions (for the budget) only in chunks whose environment is a
     * {@link Globals}, so this table is the environment itself: empty, with a metatable that reads {@link #source}
     * and refuses writes.
     */
    final Globals globals = new Globals();
    /** What the globals hold: the libraries, and KEYS and ARGV during an EVAL. */
    final LuaTable contents = new LuaTable();
    /** The table the globals read from: {@link #contents}, or another while a function library loads. */
    private LuaTable source = contents;

    Sandbox(InstructionBudget budget, LuaTable redis) {
        globals.load(new BaseLib());
        globals.load(new PackageLib());
        globals.load(new StringLib());
        globals.load(new TableLib());
        globals.load(new JseMathLib());
        LoadState.install(globals);
        LuaC.install(globals);
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = globals.next(k);
            if ((k = n.arg1()).isnil()) {
                break;
            }
            contents.rawset(k, n.arg(2));
        }
        for (LuaValue key : keys(contents)) {
            globals.rawset(key, LuaValue.NIL);
        }
        for (String name : REMOVED) {
            contents.rawset(name, LuaValue.NIL);
        }
        contents.rawset("unpack", ((LuaTable) contents.rawget("table")).rawget("unpack"));
        contents.rawset("pcall", new ProtectedCall(false));
        contents.rawset("xpcall", new ProtectedCall(true));
        contents.rawset("loadstring", new LoadString());
        contents.rawset("bit", readOnly(BitLib.create(), false));
        for (String lib : new String[] {"string", "table", "math"}) {
            contents.rawset(lib, readOnly((LuaTable) contents.rawget(lib), false));
        }
        contents.rawset("redis", readOnly(redis, true));
        contents.rawset("_G", globals);
        globals.setmetatable(protection(null, true, true));
        globals.debuglib = budget;
    }

    private static java.util.List<LuaValue> keys(LuaTable t) {
        java.util.List<LuaValue> out = new java.util.ArrayList<>();
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = t.next(k);
            if ((k = n.arg1()).isnil()) {
                return out;
            }
            out.add(k);
        }
    }

    /** Makes the globals read {@code table} instead of {@link #contents} (null: the contents again). */
    void redirect(LuaTable table) {
        source = table == null ? contents : table;
    }

    /** A table with the globals' contents but {@code redis} replaced, for a function library's loading. */
    LuaTable withRedis(LuaTable redis) {
        LuaTable copy = new LuaTable();
        for (LuaValue k : keys(contents)) {
            copy.rawset(k, contents.rawget(k));
        }
        copy.rawset("redis", readOnly(redis, true));
        return copy;
    }

    /** Compiles {@code code} as a chunk named {@code chunkName} whose globals are {@link #globals}. */
    LuaValue compile(byte[] code, String chunkName) {
        return globals.load(new ByteArrayInputStream(code), chunkName, "t", globals);
    }

    /** A read-only view of {@code table}; reading a missing name fails when {@code failOnMissing}. */
    private LuaTable readOnly(LuaTable table, boolean failOnMissing) {
        LuaTable proxy = new LuaTable();
        proxy.setmetatable(protection(table, failOnMissing, false));
        return proxy;
    }

    /**
     * The metatable of a read-only view of {@code table}, or (when {@code globalsView}) of whatever {@link #source}
     * is now; reading a missing name fails when {@code failOnMissing}, as Redis's error metatable makes it.
     */
    private LuaTable protection(LuaTable table, boolean failOnMissing, boolean globalsView) {
        LuaTable meta = new LuaTable();
        meta.rawset(LuaValue.INDEX, new TwoArgFunction() {
            @Override
            public LuaValue call(LuaValue self, LuaValue key) {
                LuaValue v = (globalsView ? source : table).rawget(key);
                if (v.isnil() && failOnMissing) {
                    throw new LuaError("Script attempted to access nonexistent global variable '"
                            + key.tojstring() + "'");
                }
                return v;
            }
        });
        meta.rawset(LuaValue.NEWINDEX, new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                throw new LuaError("Attempt to modify a readonly table");
            }
        });
        if (!globalsView) {
            // pairs and # over a library table see its contents.
            meta.rawset("__pairs", new VarArgFunction() {
                @Override
                public Varargs invoke(Varargs args) {
                    return varargsOf(contents.rawget("next"), table, NIL);
                }
            });
            meta.rawset(LuaValue.LEN, new VarArgFunction() {
                @Override
                public Varargs invoke(Varargs args) {
                    return table.len();
                }
            });
        }
        meta.rawset(LuaValue.METATABLE, LuaValue.FALSE);
        return meta;
    }

    /** {@code pcall} and {@code xpcall} that catch Lua errors but let {@link ScriptStopped} through. */
    private final class ProtectedCall extends VarArgFunction {
        private final boolean withHandler;

        ProtectedCall(boolean withHandler) {
            this.withHandler = withHandler;
        }

        @Override
        public Varargs invoke(Varargs args) {
            LuaValue f = args.checkvalue(1);
            LuaValue handler = withHandler ? args.arg(2) : NIL;
            Varargs rest = withHandler ? args.subargs(3) : args.subargs(2);
            try {
                return varargsOf(TRUE, f.invoke(rest));
            } catch (ScriptStopped e) {
                throw e;
            } catch (LuaError e) {
                LuaValue message = LuaErrors.value(e);
                if (!withHandler && message.istable() && message.rawget("err").isstring()) {
                    // Redis 7's pcall: a command's error table comes back as its text, as before Redis 7.
                    message = message.rawget("err");
                }
                if (withHandler) {
                    return varargsOf(FALSE, handler.call(message));
                }
                return varargsOf(FALSE, message);
            } catch (StackOverflowError e) {
                String text = "stack overflow";
                return varargsOf(FALSE, withHandler ? handler.call(valueOf(text)) : valueOf(text));
            } catch (RuntimeException e) {
                String text = String.valueOf(e.getMessage());
                return varargsOf(FALSE, withHandler ? handler.call(valueOf(text)) : valueOf(text));
            }
        }
    }

    /** Lua 5.1's {@code loadstring}: source text only, compiled into the same read-only globals. */
    private final class LoadString extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            org.luaj.vm2.LuaString text = args.checkstring(1);
            byte[] code = java.util.Arrays.copyOfRange(text.m_bytes, text.m_offset, text.m_offset + text.m_length);
            String name = args.isnoneornil(2) ? "=(load)" : args.checkjstring(2);
            try {
                return compile(code, name);
            } catch (LuaError e) {
                return varargsOf(NIL, valueOf(LuaErrors.message(e)));
            }
        }
    }
}
