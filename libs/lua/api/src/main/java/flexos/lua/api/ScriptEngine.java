package flexos.lua.api;

/**
 * A Lua interpreter with Redis's scripting contract: {@code EVAL} scripts and {@code FUNCTION} libraries compiled
 * into a sandbox, and run with keys and arguments against a {@link ScriptHost}.
 *
 * <p><b>The sandbox</b> is Redis's: the base functions without {@code dofile}, {@code loadfile}, {@code load},
 * {@code print}, {@code require} and {@code module}; the {@code string}, {@code table} and {@code math} libraries
 * ({@code math.random} seeded the same at every run, as Redis does), {@code bit} (Lua BitOp's API)
 * and {@code redis.*}. There is no {@code io}, {@code os}, {@code package}, {@code debug} or {@code coroutine}:
 * a script reaches nothing of the host but through its {@link ScriptHost}. Globals are read-only: reading an
 * undeclared one and writing any is an error.
 *
 * <p><b>Conversions</b> are Redis 7.0's, both ways: a command's RESP reply becomes a Lua value when a script calls
 * it, and the script's result becomes the RESP reply of {@link #run}, in the protocol the caller speaks.
 *
 * <p><b>Failure is a value.</b> Compiling returns {@link Loaded} with the error; running returns an error reply.
 * Only misuse throws: an unknown handle or function index ({@link IllegalArgumentException}).
 *
 * <p><b>Threads.</b> One thread at a time: the engine runs one script at a time, as Redis does.
 */
public interface ScriptEngine {

    /** How many Lua instructions run between two calls of {@link ScriptHost#proceed} (Redis's hook period). */
    int CHECK_INTERVAL = 100_000;

    /** Function flag {@code no-writes}. */
    int NO_WRITES = 1;
    /** Function flag {@code allow-oom}. */
    int ALLOW_OOM = 2;
    /** Function flag {@code allow-stale}. */
    int ALLOW_STALE = 4;
    /** Function flag {@code no-cluster}. */
    int NO_CLUSTER = 8;
    /** Function flag {@code allow-cross-slot-keys}. */
    int ALLOW_CROSS_SLOT_KEYS = 16;

    /**
     * Compiles the body of an {@code EVAL} script into a function of the scripts' state, named as Redis names it in
     * errors ({@code @user_script}).
     *
     * @return a handle, or the compiler's error
     */
    Loaded compileScript(byte[] body);

    /**
     * Loads a function library: runs {@code code} (its body after the {@code #!lua} line, which the caller has read)
     * in the loading sandbox, where {@code redis.register_function} is all it may do, within {@code timeoutMillis}.
     * The library's functions are then {@link #functionCount} and the calls after it.
     *
     * @return a handle, or the error as Redis words it ({@code Error compiling function: ...},
     *         {@code Error registering functions: ...})
     */
    Loaded loadLibrary(byte[] code, long timeoutMillis);

    /** How many functions the library registered. */
    int functionCount(int library);

    /** The name of the library's function {@code index} (0-based, in registration order). */
    String functionName(int library, int index);

    /** The description given at registration, or null. */
    String functionDescription(int library, int index);

    /** The flags given at registration: a sum of {@link #NO_WRITES}, {@link #ALLOW_OOM}... */
    int functionFlags(int library, int index);

    /**
     * Runs a script ({@code function} -1) or a library's function {@code function}.
     *
     * @param keys       the keys, a RESP array of bulk strings: {@code KEYS} for a script, the first argument of a
     *                   function
     * @param args       the other arguments, the same way: {@code ARGV}, or a function's second argument
     * @param callerResp the protocol of the client the reply goes to, 2 or 3
     * @param name       the name errors give the script: {@code f_<sha1>} or the function's name
     * @param host       what {@code redis.call}, {@code redis.log} and the instruction budget reach
     * @return exactly one RESP reply: the script's result converted, or an error reply
     */
    byte[] run(int handle, int function, byte[] keys, byte[] args, int callerResp, String name, ScriptHost host);

    /** Forgets a script or library; its handle may be handed out again. */
    void free(int handle);
}
