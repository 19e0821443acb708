package flexos.lua.impl;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The {@code redis} table scripts see, with Redis 7.0's functions and error texts: {@code call}, {@code pcall},
 * {@code error_reply}, {@code status_reply}, {@code sha1hex}, {@code log}, {@code setresp}, {@code set_repl},
 * {@code replicate_commands}, {@code breakpoint}, {@code debug} and the constants; while a function library loads,
 * only {@code register_function}, {@code log} and the constants.
 */
final class RedisApi {

    static final String VERSION = "7.0.15";
    static final int VERSION_NUM = 0x07000f;

    private RedisApi() {
    }

    static LuaTable forScripts(LuaEngine engine) {
        LuaTable redis = runtime(engine);
        redis.rawset("replicate_commands", fn(a -> LuaValue.TRUE));
        return redis;
    }

    static LuaTable forFunctions(LuaEngine engine) {
        return runtime(engine);
    }

    static LuaTable forLoading(LuaEngine engine) {
        LuaTable redis = new LuaTable();
        redis.rawset("register_function", fn(a -> {
            register(engine, a);
            return LuaValue.NONE;
        }));
        common(engine, redis);
        return redis;
    }

    private static LuaTable runtime(LuaEngine engine) {
        LuaTable redis = new LuaTable();
        redis.rawset("call", fn(a -> command(engine, a, true)));
        redis.rawset("pcall", fn(a -> command(engine, a, false)));
        redis.rawset("error_reply", fn(a -> {
            if (a.narg() != 1 || !a.arg1().isstring() || a.arg1().isnumber()) {
                throw error("wrong number or type of arguments");
            }
            String msg = a.arg1().tojstring();
            return errorTable(msg.startsWith("-") ? msg : "-" + msg);
        }));
        redis.rawset("status_reply", fn(a -> {
            if (a.narg() != 1 || !a.arg1().isstring() || a.arg1().isnumber()) {
                throw error("wrong number or type of arguments");
            }
            LuaTable t = new LuaTable();
            t.rawset("ok", a.arg1());
            return t;
        }));
        redis.rawset("sha1hex", fn(a -> {
            if (a.narg() != 1) {
                throw error("wrong number of arguments");
            }
            LuaValue v = a.arg1();
            byte[] data = v.isstring() ? LuaEngine.bytes(v.checkstring()) : new byte[0];
            return LuaValue.valueOf(sha1hex(data));
        }));
        redis.rawset("setresp", fn(a -> {
            engine.run("redis.setresp");
            if (a.narg() != 1) {
                throw error("redis.setresp() requires one argument.");
            }
            int resp = a.arg1().isnumber() ? a.arg1().toint() : 0;
            if (resp != 2 && resp != 3) {
                throw error("RESP version must be 2 or 3.");
            }
            engine.setResp(resp);
            return LuaValue.NONE;
        }));
        redis.rawset("set_repl", fn(a -> {
            engine.run("redis.set_repl");
            if (a.narg() != 1) {
                throw error("redis.set_repl() requires two arguments.");
            }
            int flags = a.arg1().isnumber() ? a.arg1().toint() : -1;
            if ((flags & ~3) != 0) {
                throw error("Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
            }
            // There is no replication and no AOF of script effects here: what a script wrote is the dataset's.
            return LuaValue.NONE;
        }));
        redis.rawset("breakpoint", fn(a -> LuaValue.FALSE));
        redis.rawset("debug", fn(a -> LuaValue.NONE));
        redis.rawset("REPL_NONE", LuaValue.valueOf(0));
        redis.rawset("REPL_AOF", LuaValue.valueOf(1));
        redis.rawset("REPL_SLAVE", LuaValue.valueOf(2));
        redis.rawset("REPL_REPLICA", LuaValue.valueOf(2));
        redis.rawset("REPL_ALL", LuaValue.valueOf(3));
        common(engine, redis);
        return redis;
    }

    private static void common(LuaEngine engine, LuaTable redis) {
        redis.rawset("log", fn(a -> {
            if (a.narg() < 2) {
                throw error("redis.log() requires two arguments or more.");
            }
            if (!a.arg1().isnumber()) {
                throw error("First argument must be a number (log level).");
            }
            int level = a.arg1().toint();
            if (level < 0 || level > 3) {
                throw error("Invalid debug level.");
            }
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            for (int i = 2; i <= a.narg(); i++) {
                if (i > 2) {
                    message.write(' ');
                }
                LuaValue v = a.arg(i);
                if (v.isstring()) {
                    message.writeBytes(LuaEngine.bytes(v.checkstring()));
                }
            }
            engine.log(level, message.toByteArray());
            return LuaValue.NONE;
        }));
        redis.rawset("LOG_DEBUG", LuaValue.valueOf(0));
        redis.rawset("LOG_VERBOSE", LuaValue.valueOf(1));
        redis.rawset("LOG_NOTICE", LuaValue.valueOf(2));
        redis.rawset("LOG_WARNING", LuaValue.valueOf(3));
        redis.rawset("REDIS_VERSION", LuaValue.valueOf(VERSION));
        redis.rawset("REDIS_VERSION_NUM", LuaValue.valueOf(VERSION_NUM));
    }

    /** {@code redis.call} (raising a command's error) and {@code redis.pcall} (returning it as a table). */
    private static LuaValue command(LuaEngine engine, Varargs a, boolean raise) {
        engine.run("redis.call/pcall");
        if (a.narg() == 0) {
            return fail(error("Please specify at least one argument for this redis lib call"), raise);
        }
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("*" + a.narg() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (int i = 1; i <= a.narg(); i++) {
            LuaValue v = a.arg(i);
            byte[] bytes;
            if (v.type() == LuaValue.TNUMBER) {
                // Not Lua's own conversion, which loses precision: Redis formats numbers with %.17g.
                bytes = Numbers.format17g(v.todouble()).getBytes(StandardCharsets.US_ASCII);
            } else if (v.type() == LuaValue.TSTRING) {
                bytes = LuaEngine.bytes(v.checkstring());
            } else {
                return fail(error("Lua redis lib command arguments must be strings or integers"), raise);
            }
            request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            request.writeBytes(bytes);
            request.write('\r');
            request.write('\n');
        }
        LuaValue reply = RespToLua.convert(engine.call(request.toByteArray()));
        if (raise && reply.istable() && reply.rawget("err").isstring()) {
            throw new LuaError(reply);
        }
        return reply;
    }

    private static LuaValue fail(LuaError error, boolean raise) {
        if (raise) {
            throw error;
        }
        return error.getMessageObject();
    }

    private static void register(LuaEngine engine, Varargs a) {
        if (a.narg() == 0 || a.narg() > 2) {
            throw error("wrong number of arguments to redis.register_function");
        }
        String name = null;
        String description = null;
        LuaFunction callback = null;
        int flags = 0;
        if (a.narg() == 1) {
            if (!a.arg1().istable()) {
                throw error("calling redis.register_function with a single argument is only applicable to Lua "
                        + "table (representing named arguments).");
            }
            LuaTable named = (LuaTable) a.arg1();
            LuaValue k = LuaValue.NIL;
            while (true) {
                Varargs n = named.next(k);
                if ((k = n.arg1()).isnil()) {
                    break;
                }
                LuaValue v = n.arg(2);
                if (k.type() != LuaValue.TSTRING) {
                    throw error("named argument key given to redis.register_function is not a string");
                }
                switch (k.tojstring().toLowerCase(java.util.Locale.ROOT)) {
                    case "function_name" -> {
                        if (v.type() != LuaValue.TSTRING) {
                            throw error("function_name argument given to redis.register_function must be a string");
                        }
                        name = v.tojstring();
                    }
                    case "description" -> {
                        if (v.type() != LuaValue.TSTRING) {
                            throw error("description argument given to redis.register_function must be a string");
                        }
                        description = v.tojstring();
                    }
                    case "callback" -> {
                        if (!v.isfunction()) {
                            throw error("callback argument given to redis.register_function must be a function");
                        }
                        callback = (LuaFunction) v;
                    }
                    case "flags" -> {
                        if (!v.istable()) {
                            throw error("flags argument to redis.register_function must be a table representing"
                                    + " function flags");
                        }
                        flags = flags((LuaTable) v);
                    }
                    default -> throw error("unknown argument given to redis.register_function");
                }
            }
            if (name == null) {
                throw error("redis.register_function must get a function name argument");
            }
            if (callback == null) {
                throw error("redis.register_function must get a callback argument");
            }
        } else {
            if (a.arg1().type() != LuaValue.TSTRING) {
                throw error("first argument to redis.register_function must be a string");
            }
            if (!a.arg(2).isfunction()) {
                throw error("second argument to redis.register_function must be a function");
            }
            name = a.arg1().tojstring();
            callback = (LuaFunction) a.arg(2);
        }
        engine.register(name, description, flags, callback);
    }

    private static int flags(LuaTable table) {
        int flags = 0;
        for (int i = 1; !table.rawget(i).isnil(); i++) {
            LuaValue v = table.rawget(i);
            if (v.type() != LuaValue.TSTRING) {
                throw error("unknown flag given");
            }
            flags |= switch (v.tojstring()) {
                case "no-writes" -> flexos.lua.api.ScriptEngine.NO_WRITES;
                case "allow-oom" -> flexos.lua.api.ScriptEngine.ALLOW_OOM;
                case "allow-stale" -> flexos.lua.api.ScriptEngine.ALLOW_STALE;
                case "no-cluster" -> flexos.lua.api.ScriptEngine.NO_CLUSTER;
                case "allow-cross-slot-keys" -> flexos.lua.api.ScriptEngine.ALLOW_CROSS_SLOT_KEYS;
                default -> throw error("unknown flag given");
            };
        }
        return flags;
    }

    /** Redis's luaPushError: an error whose value is the table {@code {err="CODE message"}}. */
    static LuaError error(String message) {
        return new LuaError(errorTable(message));
    }

    /**
     * Redis's luaPushErrorBuff: {@code -CODE message} keeps its code, any other text gets {@code ERR}; trailing line
     * breaks are trimmed.
     */
    static LuaTable errorTable(String raw) {
        String code;
        String msg;
        if (raw.startsWith("-")) {
            int space = raw.indexOf(' ');
            if (space < 0) {
                code = "ERR";
                msg = raw.substring(1);
            } else {
                code = raw.substring(1, space);
                msg = raw.substring(space + 1);
            }
        } else {
            code = "ERR";
            msg = raw;
        }
        msg = msg.replaceAll("^[\\r\\n]+|[\\r\\n]+$", "");
        LuaTable t = new LuaTable();
        t.rawset("err", LuaValue.valueOf(code + " " + msg));
        return t;
    }

    static String sha1hex(byte[] data) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(data);
            StringBuilder hex = new StringBuilder(40);
            for (byte b : digest) {
                hex.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    private interface Body {
        Varargs apply(Varargs args);
    }

    private static VarArgFunction fn(Body body) {
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return body.apply(args);
            }
        };
    }
}
