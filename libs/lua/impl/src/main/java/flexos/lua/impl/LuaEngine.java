package flexos.lua.impl;

import flexos.lua.api.Loaded;
import flexos.lua.api.ScriptEngine;
import flexos.lua.api.ScriptHost;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link ScriptEngine} over LuaJ: two sandboxed Lua states as in Redis 7.0, one for {@code EVAL} scripts and one
 * for function libraries, sharing one {@link InstructionBudget}. Scripts are compiled as chunks named
 * {@code @user_script}, libraries as {@code @user_function}; errors name the source and line Lua reports, as
 * Redis's error handler does.
 */
final class LuaEngine implements ScriptEngine {

    /** A compiled EVAL script, or a loaded function library. */
    private sealed interface Entry permits Script, Library {
    }

    private record Script(LuaValue chunk) implements Entry {
    }

    private record Function(String name, String description, int flags, LuaFunction callback) {
    }

    private record Library(List<Function> functions) implements Entry {
    }

    /** What one run is doing: its host, its protocol ({@code redis.setresp}), and whether it was stopped. */
    private static final class Run {
        final ScriptHost host;
        int resp = 2;
        boolean stopped;

        Run(ScriptHost host) {
            this.host = host;
        }
    }

    private final InstructionBudget budget = new InstructionBudget(CHECK_INTERVAL);
    private final Sandbox scripts;
    private final Sandbox functions;
    private final LuaTable loadingRedis;
    private final List<Entry> entries = new ArrayList<>();
    private Run run;
    /** The functions registered so far by the library being loaded, or null outside FUNCTION LOAD. */
    private List<Function> registering;

    LuaEngine() {
        scripts = new Sandbox(budget, RedisApi.forScripts(this));
        functions = new Sandbox(budget, RedisApi.forFunctions(this));
        loadingRedis = RedisApi.forLoading(this);
    }

    // ---- what redis.* reaches ----

    /** The current run; {@code what} names the function for the error outside a run. */
    Run run(String what) {
        if (run == null) {
            throw new LuaError(what + " can only be called inside a script invocation");
        }
        return run;
    }

    byte[] call(byte[] request) {
        Run r = run("redis.call/pcall");
        return r.host.call(request, r.resp);
    }

    void setResp(int resp) {
        run("redis.setresp").resp = resp;
    }

    void log(int level, byte[] message) {
        if (run != null) {
            run.host.log(level, message);
        }
    }

    /** {@code redis.register_function}: valid only while a library loads. */
    void register(String name, String description, int flags, LuaFunction callback) {
        if (registering == null) {
            throw RedisApi.error("redis.register_function can only be called on FUNCTION LOAD command");
        }
        if (!validName(name)) {
            throw RedisApi.error("Function names can only contain letters, numbers, or underscores(_) and must be"
                    + " at least one character long");
        }
        for (Function f : registering) {
            if (f.name.equals(name)) {
                throw RedisApi.error("Function already exists in the library");
            }
        }
        registering.add(new Function(name, description, flags, callback));
    }

    static boolean validName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    // ---- ScriptEngine ----

    @Override
    public Loaded compileScript(byte[] body) {
        try {
            LuaValue chunk = scripts.compile(body, "@user_script");
            return new Loaded(store(new Script(chunk)), null);
        } catch (LuaError e) {
            return new Loaded(-1, LuaErrors.message(e));
        } catch (RuntimeException | StackOverflowError e) {
            return new Loaded(-1, "user_script: " + e);
        }
    }

    @Override
    public Loaded loadLibrary(byte[] code, long timeoutMillis) {
        LuaValue chunk;
        try {
            chunk = functions.compile(code, "@user_function");
        } catch (LuaError e) {
            return new Loaded(-1, "Error compiling function: " + LuaErrors.message(e));
        } catch (RuntimeException | StackOverflowError e) {
            return new Loaded(-1, "Error compiling function: " + e);
        }
        List<Function> registered = new ArrayList<>();
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        boolean[] timedOut = new boolean[1];
        registering = registered;
        functions.redirect(functions.withRedis(loadingRedis));
        budget.arm(() -> {
            if (timedOut[0] || (timeoutMillis > 0 && System.nanoTime() - deadline > 0)) {
                timedOut[0] = true;
                throw new ScriptStopped("FUNCTION LOAD timeout");
            }
        });
        try {
            chunk.call();
        } catch (ScriptStopped e) {
            return new Loaded(-1, "Error registering functions: " + e.getMessage());
        } catch (LuaError e) {
            return new Loaded(-1, "Error registering functions: " + errorText(e));
        } catch (RuntimeException | StackOverflowError e) {
            return new Loaded(-1, "Error registering functions: " + e);
        } finally {
            budget.arm(null);
            functions.redirect(null);
            registering = null;
        }
        if (registered.isEmpty()) {
            return new Loaded(-1, "No functions registered");
        }
        return new Loaded(store(new Library(List.copyOf(registered))), null);
    }

    /** An error's text as Redis's handler makes it: a table's {@code err}, or {@code ERR} and the message. */
    private static String errorText(LuaError e) {
        LuaValue m = e.getMessageObject();
        if (m != null && m.istable() && m.rawget("err").isstring()) {
            return m.rawget("err").tojstring();
        }
        return "ERR " + LuaErrors.message(e);
    }

    @Override
    public int functionCount(int library) {
        return library(library).functions.size();
    }

    @Override
    public String functionName(int library, int index) {
        return function(library, index).name;
    }

    @Override
    public String functionDescription(int library, int index) {
        return function(library, index).description;
    }

    @Override
    public int functionFlags(int library, int index) {
        return function(library, index).flags;
    }

    @Override
    public byte[] run(int handle, int function, byte[] keys, byte[] args, int callerResp, String name, ScriptHost host) {
        Entry entry = entry(handle);
        LuaTable keyTable = RespToLua.stringArray(keys);
        LuaTable argTable = RespToLua.stringArray(args);
        Run previous = run;
        Run current = new Run(host);
        run = current;
        budget.arm(() -> {
            if (current.stopped || !host.proceed()) {
                current.stopped = true;
                throw new ScriptStopped("ERR Script killed by user with SCRIPT KILL...");
            }
        });
        String source;
        try {
            LuaValue result;
            if (entry instanceof Script script) {
                if (function != -1) {
                    throw new IllegalArgumentException("handle " + handle + " is a script, not a library");
                }
                source = "@user_script";
                scripts.contents.rawset("KEYS", keyTable);
                scripts.contents.rawset("ARGV", argTable);
                result = script.chunk.call();
            } else {
                source = "@user_function";
                Function f = function(handle, function);
                result = f.callback.call(keyTable, argTable);
            }
            return LuaToResp.convert(result, callerResp, current.resp);
        } catch (ScriptStopped e) {
            return LuaToResp.error(e.getMessage() + " script: " + name + ", on "
                    + (entry instanceof Script ? "@user_script" : "@user_function") + ":1.");
        } catch (LuaError e) {
            return LuaToResp.error(describe(e, name));
        } catch (StackOverflowError e) {
            return LuaToResp.error("ERR Error running script " + name + ", stack overflow");
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            return LuaToResp.error("ERR Error running script " + name + ", " + e);
        } finally {
            budget.arm(null);
            run = previous;
            if (entry instanceof Script) {
                scripts.contents.rawset("KEYS", LuaValue.NIL);
                scripts.contents.rawset("ARGV", LuaValue.NIL);
            }
        }
    }

    /**
     * The error reply of a failed run, as Redis 7.0 words it: the error's text (a table's {@code err}, or
     * {@code ERR} and the message), then where it happened ({@code script: NAME, on @user_script:LINE.}) when Lua
     * knows the line.
     */
    private static String describe(LuaError e, String name) {
        LuaValue object = e.getMessageObject();
        String text = object != null && object.istable() && object.rawget("err").isstring()
                ? object.rawget("err").tojstring() : "ERR " + LuaErrors.message(e);
        String where = LuaErrors.where(e);
        return where == null ? text : text + " script: " + name + ", on @" + where + ".";
    }

    @Override
    public void free(int handle) {
        entry(handle);
        entries.set(handle, null);
    }

    // ---- handles ----

    private int store(Entry entry) {
        int free = entries.indexOf(null);
        if (free >= 0) {
            entries.set(free, entry);
            return free;
        }
        entries.add(entry);
        return entries.size() - 1;
    }

    private Entry entry(int handle) {
        Entry e = handle >= 0 && handle < entries.size() ? entries.get(handle) : null;
        if (e == null) {
            throw new IllegalArgumentException("no script or library has handle " + handle);
        }
        return e;
    }

    private Library library(int handle) {
        if (!(entry(handle) instanceof Library library)) {
            throw new IllegalArgumentException("handle " + handle + " is not a function library");
        }
        return library;
    }

    private Function function(int handle, int index) {
        List<Function> fs = library(handle).functions;
        if (index < 0 || index >= fs.size()) {
            throw new IllegalArgumentException("library " + handle + " has no function " + index);
        }
        return fs.get(index);
    }

    static byte[] bytes(LuaString s) {
        byte[] b = new byte[s.m_length];
        System.arraycopy(s.m_bytes, s.m_offset, b, 0, s.m_length);
        return b;
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
