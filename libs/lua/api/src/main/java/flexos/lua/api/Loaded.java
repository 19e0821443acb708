package flexos.lua.api;

/**
 * The outcome of compiling a script or loading a function library: a handle for {@link ScriptEngine#run} and the
 * other calls, or the error the engine reported.
 *
 * @param handle a handle (0 or more) on success, -1 on failure
 * @param error  null on success; otherwise the engine's message, without a Redis error code (for example
 *               {@code user_script:1: '=' expected near 'x'})
 */
public record Loaded(int handle, String error) {

    /** Whether this is a handle rather than an error. */
    public boolean ok() {
        return error == null;
    }
}
