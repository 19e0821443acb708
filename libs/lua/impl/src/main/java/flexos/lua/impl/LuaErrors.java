package flexos.lua.impl;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;

/**
 * A LuaJ error's text as standard Lua writes it. LuaJ puts the position as {@code @user_script:3 message} followed
 * by the (here empty) traceback's line break; Lua, and so Redis, write {@code user_script:3: message}.
 */
final class LuaErrors {

    private LuaErrors() {
    }

    /** The message, with Lua's {@code source:line:} prefix where LuaJ gave one. */
    static String message(LuaError e) {
        String m = e.getMessage();
        if (m == null) {
            return "nil";
        }
        if (m.endsWith("\n")) {
            m = m.substring(0, m.length() - 1);
        }
        if (m.startsWith("@")) {
            int space = m.indexOf(' ');
            String head = space < 0 ? m : m.substring(0, space);
            int colon = head.lastIndexOf(':');
            if (colon > 0 && colon + 1 < head.length() && head.substring(colon + 1).chars().allMatch(Character::isDigit)) {
                return head.substring(1) + ":" + (space < 0 ? "" : m.substring(space));
            }
        }
        return m;
    }

    /** The error's value as {@code pcall} returns it: a table as it was thrown, otherwise the message. */
    static LuaValue value(LuaError e) {
        LuaValue object = e.getMessageObject();
        if (object != null && !object.isstring()) {
            return object;
        }
        return LuaValue.valueOf(message(e));
    }

    /** The {@code source:line} where the error happened ({@code user_script:3}), or null if LuaJ did not say. */
    static String where(LuaError e) {
        String m = e.getMessage();
        if (m == null || !m.startsWith("@")) {
            return null;
        }
        int space = m.indexOf(' ');
        String head = (space < 0 ? m : m.substring(0, space)).trim();
        int colon = head.lastIndexOf(':');
        if (colon <= 1 || colon + 1 >= head.length() || !head.substring(colon + 1).chars().allMatch(Character::isDigit)) {
            return null;
        }
        return head.substring(1);
    }
}
