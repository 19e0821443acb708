package flexos.attacks;

import java.util.Locale;

/** How one attack ended under one mechanism. */
public enum Outcome {
    /** The attack failed and the vault is intact. */
    BLOCKED,
    /** The attack did what it set out to do. */
    SUCCEEDED,
    /** The fault reached the caller as a gate error and the rest of the image kept running. */
    CONTAINED;

    /** The word the table and the JSON use. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
