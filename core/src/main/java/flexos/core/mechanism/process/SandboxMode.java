package flexos.core.mechanism.process;

import java.util.Locale;

/**
 * Whether a {@code process} compartment runs sandboxed (a compartment's {@code sandbox:} key). Secure by default;
 * {@code none} is weaker on request only, and {@code flexos build} reports it.
 */
public enum SandboxMode {
    /** Every layer: own identity (as root), no_new_privs, seccomp allowlist, Landlock, rlimits, non-dumpable. */
    FULL,
    /** None of the layers but descriptor passing and non-dumpable: the process runs as the image's user, unfiltered. */
    NONE;

    /** The compartment key. */
    public static final String KEY = "sandbox";

    /** The name the configuration uses. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
