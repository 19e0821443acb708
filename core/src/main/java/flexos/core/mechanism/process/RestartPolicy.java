package flexos.core.mechanism.process;

import java.util.Locale;

/**
 * What the image does when a compartment's process dies, is killed or is stopped for hanging (the {@code process}
 * mechanism; a compartment's {@code restart:} key).
 */
public enum RestartPolicy {
    /** The compartment stays failed: every later call into it gets a {@code GateFault} at once. */
    NEVER,
    /** The image starts the compartment again and instantiates its libraries afresh; calls in flight still fail. */
    ALWAYS;

    /** The compartment key. */
    public static final String KEY = "restart";

    /** The name the configuration uses. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
