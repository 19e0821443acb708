package flexos.core.hardening;

/**
 * A pre- or postcondition of a library's API that failed at its gate under {@code contracts}. A failed
 * precondition means the caller is wrong and the callee was not entered; a failed postcondition means the callee
 * is wrong.
 */
public final class ContractViolation extends RuntimeException {

    /** Which side of the call broke the contract. */
    public enum Side { PRECONDITION, POSTCONDITION }

    private final String function;
    private final Side side;
    private final String clause;

    /**
     * @param function the API function, as {@code lib::fn}
     * @param side     which condition failed
     * @param clause   the condition as declared, for example {@code name is non-empty}
     * @param caller   the library that made the call
     * @param detail   the offending values
     */
    public ContractViolation(String function, Side side, String clause, String caller, String detail) {
        super("contracts: " + (side == Side.PRECONDITION ? "precondition" : "postcondition") + " of " + function
                + " violated (" + clause + ") in a call from " + caller + ": " + detail);
        this.function = function;
        this.side = side;
        this.clause = clause;
    }

    public String function() {
        return function;
    }

    public Side side() {
        return side;
    }

    public String clause() {
        return clause;
    }
}
