package flexos.redis;

import java.util.Locale;

/**
 * The part of FUNCTION that is true of a server without a scripting engine: its function library is empty, so
 * FUNCTION FLUSH (which Redis's own test harness sends before every unit) has nothing to flush and answers OK, and
 * FUNCTION LIST lists nothing. Every subcommand that would need an engine (LOAD, FCALL...) is an error that says so.
 * This class goes away when the scripting library lands and registers the real FUNCTION command.
 */
final class NoScriptingCommands {

    void register(CommandTable t) {
        t.add("function -2 - 0 0 0 scripting 7.0.0 | A container for function library commands.", null);
        t.addSub("function", "flush -2 write,noscript 0 0 0 scripting 7.0.0 | Deletes every function library: "
                + "there is none without a scripting engine.", c -> {
                    if (c.argc > 3 || (c.argc == 3 && !c.argString(2).equalsIgnoreCase("async")
                            && !c.argString(2).equalsIgnoreCase("sync"))) {
                        c.addError("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
                        return;
                    }
                    c.addOk();
                });
        t.addSub("function", "list -2 noscript 0 0 0 scripting 7.0.0 | Lists the function libraries: none "
                + "without a scripting engine.", c -> c.addArrayHeader(0));
        for (String sub : new String[] {"load", "delete", "dump", "restore", "kill", "stats"}) {
            t.addSub("function", sub + " -2 noscript 0 0 0 scripting 7.0.0 | Needs a scripting engine, which this "
                    + "build does not have yet.", c -> c.addError("ERR FUNCTION " + sub.toUpperCase(Locale.ROOT)
                    + " is not available: this server has no scripting engine yet"));
        }
    }
}
