package flexos.lua.impl;

/**
 * Stops a script from inside: SCRIPT KILL, FUNCTION KILL, or a FUNCTION LOAD past its time. It is an {@link Error}
 * because LuaJ's interpreter wraps every {@link Exception} a Java function throws into a Lua error, which a script's
 * {@code pcall} would catch; the sandbox's {@code pcall} and {@code xpcall} let it through.
 */
final class ScriptStopped extends Error {

    ScriptStopped(String message) {
        super(message, null, false, false);
    }
}
