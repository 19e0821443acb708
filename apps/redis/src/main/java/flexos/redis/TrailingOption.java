package flexos.redis;

import java.util.function.LongPredicate;

/**
 * The one numeric option that may follow the keys of LMPOP, ZMPOP ({@code COUNT n}), SINTERCARD and ZINTERCARD
 * ({@code LIMIT n}), parsed as Redis parses it: the option name in any case, then its value; anything else after the
 * keys is a syntax error.
 *
 * @param name       the option's name, {@code COUNT} or {@code LIMIT}
 * @param absent     the value when the option is not given
 * @param valid      which values are allowed
 * @param invalid    the error for a value that is not a number or not allowed
 * @param repeatable whether the option may be given more than once (the last one counts); Redis refuses a second
 *                   COUNT but takes a second LIMIT
 */
record TrailingOption(String name, long absent, LongPredicate valid, String invalid, boolean repeatable) {

    /** {@code [COUNT n]} of the *MPOP commands: n > 0, default 1, once. */
    static final TrailingOption COUNT = new TrailingOption("count", 1, n -> n > 0,
            "ERR count should be greater than 0", false);
    /** {@code [LIMIT n]} of the *INTERCARD commands: n >= 0, default 0 (no limit). */
    static final TrailingOption LIMIT = new TrailingOption("limit", 0, n -> n >= 0, "ERR LIMIT can't be negative", true);

    /**
     * The option's value in {@code c}'s arguments from index {@code from} to the end.
     *
     * @throws CommandError {@link #invalid} for a bad value, {@link CommandError#SYNTAX} for anything else there
     */
    long parse(Client c, int from) {
        long value = absent;
        boolean given = false;
        for (int j = from; j < c.argc; j++) {
            if (!c.argString(j).equalsIgnoreCase(name) || j + 1 >= c.argc || (given && !repeatable)) {
                throw CommandError.SYNTAX;
            }
            try {
                value = Long.parseLong(c.argString(++j));
            } catch (NumberFormatException e) {
                throw new CommandError(invalid);
            }
            if (!valid.test(value)) {
                throw new CommandError(invalid);
            }
            given = true;
        }
        return value;
    }
}
