package flexos.lua.api;

/**
 * What a running script reaches of its host: the host's commands, the host's idea of whether the script may go on,
 * and the host's log. The host implements it and hands it to {@link ScriptEngine#run}; the engine calls it only
 * during that call, on the thread that made it. Under an isolating mechanism it is a callback: its code runs in the
 * host's compartment, and what crosses is values (byte arrays, integers), never objects of either side.
 */
public interface ScriptHost {

    /**
     * Runs one command for {@code redis.call} or {@code redis.pcall}.
     *
     * @param request the command and its arguments as a RESP array of bulk strings
     * @param resp    the protocol the reply must be written in: 2 or 3, as the script chose with
     *                {@code redis.setresp}
     * @return exactly one RESP reply; a refused or failed command is an error reply ({@code -CODE message}), never
     *         an exception
     */
    byte[] call(byte[] request, int resp);

    /**
     * Asked every {@link ScriptEngine#CHECK_INTERVAL} Lua instructions: whether the script may go on. The host uses
     * it to serve other clients while a slow script runs (Redis answers them {@code BUSY}) and to stop the script on
     * {@code SCRIPT KILL} or {@code FUNCTION KILL}.
     *
     * @return false to stop the script; the engine then stops it even if it catches errors with {@code pcall}
     */
    boolean proceed();

    /**
     * {@code redis.log(level, ...)}: one line for the host's log.
     *
     * @param level   0 debug, 1 verbose, 2 notice, 3 warning (Redis's {@code LOG_*} levels)
     * @param message the words joined by spaces
     */
    void log(int level, byte[] message);
}
