package flexos.core.hardening;

/**
 * A call that {@code cfi} refused at the gate: the caller's metadata does not list the function in its
 * {@code [Call]} clause. The callee was not entered.
 */
public final class CallPolicyViolation extends RuntimeException {

    private final String caller;
    private final String function;

    public CallPolicyViolation(String caller, String function, String allowed) {
        super("cfi: " + caller + " called " + function + ", which its [Call] clause does not list (it lists "
                + allowed + "); the call was refused at the gate");
        this.caller = caller;
        this.function = function;
    }

    public String caller() {
        return caller;
    }

    /** The refused function, as {@code lib::fn}. */
    public String function() {
        return function;
    }
}
