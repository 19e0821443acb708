package flexos.lua.impl;

import flexos.lua.api.Loaded;
import flexos.lua.api.ScriptEngine;
import flexos.lua.api.ScriptHost;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine alone, against a host that records what scripts ask of it and answers with canned RESP. */
@org.junit.jupiter.api.Timeout(120)
class LuaEngineTest {

    /** A host whose replies are computed from the request's text (the RESP of the command). */
    static final class FakeHost implements ScriptHost {
        final List<String> requests = new ArrayList<>();
        final List<String> logs = new ArrayList<>();
        Function<String, String> replies = request -> "+OK\r\n";
        int proceedCalls;
        int allowChecks = Integer.MAX_VALUE;

        @Override
        public byte[] call(byte[] request, int resp) {
            String text = new String(request, StandardCharsets.ISO_8859_1);
            requests.add(text);
            return replies.apply(text).getBytes(StandardCharsets.ISO_8859_1);
        }

        @Override
        public boolean proceed() {
            return ++proceedCalls <= allowChecks;
        }

        @Override
        public void log(int level, byte[] message) {
            logs.add(level + " " + new String(message, StandardCharsets.ISO_8859_1));
        }
    }

    private final ScriptEngine engine = new LuaEngine();
    private final FakeHost host = new FakeHost();

    private static byte[] array(String... items) {
        StringBuilder b = new StringBuilder("*").append(items.length).append("\r\n");
        for (String s : items) {
            b.append('$').append(s.length()).append("\r\n").append(s).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private String eval(String body, int resp, String... keysThenArgs) {
        Loaded loaded = engine.compileScript(body.getBytes(StandardCharsets.ISO_8859_1));
        if (!loaded.ok()) {
            return "compile: " + loaded.error();
        }
        byte[] reply = engine.run(loaded.handle(), -1, array(keysThenArgs.length > 0 ? keysThenArgs[0] : "k"),
                array("a1", "a2"), resp, "f_test", host);
        engine.free(loaded.handle());
        return new String(reply, StandardCharsets.ISO_8859_1);
    }

    private String eval(String body) {
        return eval(body, 2);
    }

    @Test
    void luaValuesBecomeRedis7Replies() {
        assertEquals("$5\r\nhello\r\n", eval("return 'hello'"));
        assertEquals(":3\r\n", eval("return 3.99"));
        assertEquals(":-3\r\n", eval("return -3.99"));
        assertEquals(":1\r\n", eval("return true"));
        assertEquals("$-1\r\n", eval("return false"));
        assertEquals("$-1\r\n", eval("return nil"));
        assertEquals("_\r\n", eval("return nil", 3));
        assertEquals("*3\r\n:1\r\n:2\r\n$1\r\n3\r\n", eval("return {1, 2, '3', nil, 5}"));
        assertEquals("+fine\r\n", eval("return {ok='fine'}"));
        assertEquals("-MY bad\r\n", eval("return {err='MY bad'}"));
        assertEquals("-My Error\r\n", eval("return redis.error_reply('My Error')"));
        assertEquals("+It works\r\n", eval("return redis.status_reply('It works')"));
        assertEquals("*2\r\n$1\r\nk\r\n$2\r\na2\r\n", eval("return {KEYS[1], ARGV[2]}"));
    }

    @Test
    void resp3FormsFollowTheScriptsProtocolAndTheCallers() {
        assertEquals("#t\r\n", eval("redis.setresp(3); return true", 3));
        assertEquals(":0\r\n", eval("redis.setresp(3); return false", 2));
        assertEquals(",3.5\r\n", eval("return {double=3.5}", 3));
        assertEquals("$3\r\n3.5\r\n", eval("return {double=3.5}", 2));
        assertEquals("%1\r\n$1\r\na\r\n:1\r\n", eval("return {map={a=1}}", 3));
        assertEquals("*2\r\n$1\r\na\r\n:1\r\n", eval("return {map={a=1}}", 2));
        assertEquals("~1\r\n$1\r\nx\r\n", eval("return {set={x=true}}", 3));
        assertEquals("(123\r\n", eval("return {big_number='123'}", 3));
        assertEquals("=7\r\ntxt:abc\r\n", eval("return {verbatim_string={format='txt', string='abc'}}", 3));
    }

    @Test
    void redisCallSendsTheCommandAndConvertsItsReply() {
        host.replies = request -> request.contains("$3\r\nGET\r\n") ? "$3\r\nbar\r\n" : ":42\r\n";
        assertEquals("$3\r\nbar\r\n", eval("return redis.call('GET', KEYS[1])"));
        assertEquals("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", host.requests.get(0));
        assertEquals(":43\r\n", eval("return redis.call('INCRBY', 'x', 1) + 1"));
        assertEquals("*3\r\n$6\r\nINCRBY\r\n$1\r\nx\r\n$1\r\n1\r\n", host.requests.get(1));
        host.requests.clear();
        eval("redis.call('SET', 'x', 0.1)");
        assertTrue(host.requests.get(0).endsWith("$19\r\n0.10000000000000001\r\n"), host.requests.get(0));
        host.replies = request -> "*3\r\n:1\r\n$-1\r\n*-1\r\n";
        assertEquals("$5\r\nfalse\r\n", eval("local r = redis.call('x'); return type(r[2]) == 'boolean' and tostring(r[3])"));
        host.replies = request -> "*3\r\n:1\r\n_\r\n:3\r\n";
        assertEquals(":1\r\n", eval("local r = redis.call('x'); return r[2] == nil and 1 or 0"));
        host.replies = request -> "%1\r\n$1\r\nf\r\n,1.5\r\n";
        assertEquals("$3\r\n1.5\r\n", eval("local r = redis.call('x'); return tostring(r.map.f.double)"));
    }

    @Test
    void commandErrorsRaiseFromCallAndReturnFromPcall() {
        host.replies = request -> "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value script: f_test, on "
                + "@user_script:1.\r\n", eval("local r = redis.call('incr', 'k')\nreturn r"));
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
                eval("return redis.pcall('incr', 'k')"));
        assertEquals("$40\r\nWRONGTYPE Operation against a key holdin\r\n",
                eval("local ok, e = pcall(function() redis.call('incr', 'k') end); return string.sub(e, 1, 40)"));
        assertEquals("-ERR Please specify at least one argument for this redis lib call script: f_test, on "
                + "@user_script:1.\r\n", eval("redis.call()"));
        assertTrue(eval("return redis.call('get', {})").startsWith(
                "-ERR Lua redis lib command arguments must be strings or integers"));
    }

    @Test
    void globalsAreProtectedAndTheSandboxHasNoHostAccess() {
        assertTrue(eval("return a").matches("-ERR user_script:1: Script attempted to access nonexistent global"
                + " variable 'a' script: f_test, on @user_script:1\\.\r\n"), eval("return a"));
        assertTrue(eval("a = 10").contains("Attempt to modify a readonly table"), eval("a = 10"));
        assertTrue(eval("redis.call = nil").contains("Attempt to modify a readonly table"));
        assertTrue(eval("string.upper = nil").contains("Attempt to modify a readonly table"));
        for (String name : new String[] {"io", "os", "loadfile", "dofile", "load", "require", "package", "debug",
                "coroutine", "print", "luajava"}) {
            assertTrue(eval("return " + name).contains("nonexistent global variable '" + name + "'"), name);
        }
        assertEquals("$5\r\nHELLO\r\n", eval("return string.upper('hello')"));
        assertEquals(":6\r\n", eval("return #table.concat({'a','b','c'}, ', ') - 1"));
        assertEquals(":3\r\n", eval("return select('#', unpack({1, 2, 3}))"));
        assertEquals(":4\r\n", eval("return loadstring('return 2 + 2')()"));
    }

    @Test
    void helpersBehaveAsRedisDocumentsThem() {
        assertEquals("$40\r\nda39a3ee5e6b4b0d3255bfef95601890afd80709\r\n", eval("return redis.sha1hex('')"));
        assertEquals("$40\r\n74822d82031af7493c20eefa13bd07ec4fada82f\r\n",
                eval("return redis.sha1hex('Pizza & Mandolino')"));
        assertTrue(eval("redis.sha1hex()").contains("wrong number of arguments"));
        eval("redis.log(redis.LOG_WARNING, 'hello', 'world')");
        assertEquals(List.of("3 hello world"), host.logs);
        assertTrue(eval("redis.log(7, 'x')").contains("Invalid debug level."));
        assertTrue(eval("redis.setresp(4)").contains("RESP version must be 2 or 3."));
        assertEquals(":-1\r\n", eval("return bit.tobit(0xffffffff)"));
        assertEquals(":255\r\n", eval("return bit.band(0xfff, 0xff)"));
        assertEquals("$8\r\nffffffff\r\n", eval("return bit.tohex(-1)"));
        assertEquals("$6\r\n7.0.15\r\n", eval("return redis.REDIS_VERSION"));
    }

    @Test
    void compileErrorsAreValues() {
        String e = eval("return 'unterminated");
        assertTrue(e.startsWith("compile: user_script:1:"), e);
    }

    @Test
    void aRunawayScriptStopsWhenTheHostSaysSoEvenUnderPcall() {
        host.allowChecks = 3;
        String reply = eval("while true do pcall(function() while true do end end) end");
        assertTrue(reply.startsWith("-ERR Script killed by user with SCRIPT KILL..."), reply);
        assertEquals(4, host.proceedCalls);
        host.proceedCalls = 0;
        assertEquals(":1\r\n", eval("return 1"), "the next script runs normally");
    }

    @Test
    void deepRecursionIsAnErrorReplyNotACrash() {
        String reply = eval("local function f(n) return f(n + 1) + 1 end return f(1)");
        assertTrue(reply.startsWith("-ERR"), reply);
        assertEquals(":1\r\n", eval("return 1"));
    }

    @Test
    void functionLibrariesRegisterFunctionsWithFlags() {
        Loaded lib = engine.loadLibrary(("redis.register_function('f1', function(keys, args) return keys[1] .. args[1] end)\n"
                + "redis.register_function{function_name='f2', callback=function() return 2 end, flags={'no-writes'},"
                + " description='two'}").getBytes(StandardCharsets.ISO_8859_1), 500);
        assertTrue(lib.ok(), lib.error());
        assertEquals(2, engine.functionCount(lib.handle()));
        assertEquals("f1", engine.functionName(lib.handle(), 0));
        assertNull(engine.functionDescription(lib.handle(), 0));
        assertEquals("two", engine.functionDescription(lib.handle(), 1));
        assertEquals(ScriptEngine.NO_WRITES, engine.functionFlags(lib.handle(), 1));
        byte[] reply = engine.run(lib.handle(), 0, array("k"), array("v"), 2, "f1", host);
        assertEquals("$2\r\nkv\r\n", new String(reply, StandardCharsets.ISO_8859_1));
    }

    @Test
    void functionLoadingErrorsAreRedisTexts() {
        assertEquals("No functions registered", load("local a = 1").error());
        assertTrue(load("redis.call('ping')").error().contains("nonexistent global variable 'call'"),
                load("redis.call('ping')").error());
        assertTrue(load("redis.register_function('a-b', function() end)").error()
                .contains("Function names can only contain letters"));
        assertTrue(load("redis.register_function('f', function() end) redis.register_function('f', function() end)")
                .error().contains("Function already exists in the library"));
        assertTrue(load("redis.register_function{function_name='f', callback=function() end, flags={'bad'}}")
                .error().contains("unknown flag given"));
        assertTrue(load("return 'x").error().startsWith("Error compiling function: user_function:1:"),
                load("return 'x").error());
        assertEquals("Error registering functions: FUNCTION LOAD timeout", load("while true do end").error());
        Loaded late = load("redis.register_function('f', function() return redis.register_function('g', function() end) end)");
        byte[] reply = engine.run(late.handle(), 0, array(), array(), 2, "f", host);
        assertTrue(new String(reply, StandardCharsets.ISO_8859_1).contains("nonexistent global variable 'register_function'"),
                new String(reply, StandardCharsets.ISO_8859_1));
        assertFalse(load("x = 1").ok());
    }

    private Loaded load(String code) {
        return engine.loadLibrary(code.getBytes(StandardCharsets.ISO_8859_1), 200);
    }
}
