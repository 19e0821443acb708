package flexos.attacks;

import java.util.Locale;

/** How one hardening fault ended in one run: with or without the option that should catch it. */
public enum FaultOutcome {
    /** The option reported the fault to the caller, naming the faulty library, before the fault did its damage. */
    CAUGHT,
    /** Nothing reported the fault: it ran, and its result says whether it did damage. */
    MISSED;

    /** The word the table and the JSON use. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
