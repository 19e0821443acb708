package flexos.lua.impl;

import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.DebugLib;

/**
 * LuaJ's interpreter tells its globals' debug library of every instruction; this one only counts them, and every
 * {@code interval} instructions asks its check whether the script may go on (Redis's count hook). It keeps no call
 * stack and is never visible to scripts as {@code debug}.
 */
final class InstructionBudget extends DebugLib {

    /** What the budget asks; it throws to stop the script. */
    interface Check {
        void check();
    }

    private final int interval;
    private int count;
    private Check check;

    InstructionBudget(int interval) {
        this.interval = interval;
    }

    /** Starts counting for one run (or load), asking {@code check}; null stops counting. */
    void arm(Check check) {
        this.check = check;
        this.count = 0;
    }

    @Override
    public void onInstruction(int pc, Varargs v, int top) {
        if (++count >= interval) {
            count = 0;
            Check c = check;
            if (c != null) {
                c.check();
            }
        }
    }

    @Override
    public void onCall(LuaFunction f) {
    }

    @Override
    public void onCall(LuaClosure c, Varargs varargs, LuaValue[] stack) {
    }

    @Override
    public void onReturn() {
    }

    @Override
    public String traceback(int level) {
        // LuaJ appends this after a line break to every error's message; LuaErrors takes the line break off.
        return "";
    }

    @Override
    public LuaValue call(LuaValue modname, LuaValue env) {
        throw new UnsupportedOperationException("the instruction budget is not a Lua library");
    }
}
