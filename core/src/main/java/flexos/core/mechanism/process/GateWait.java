package flexos.core.mechanism.process;

import java.util.Locale;

/**
 * How a thread waits for the other side of a {@code process} gate (a compartment's {@code wait:} key). Other
 * mechanisms ignore it.
 */
public enum GateWait {
    /** Spin briefly, then yield, then block: the lowest latency, at the price of a busy core while a call is short. */
    SPIN,
    /** Block in the kernel at once (a futex): no core is spent waiting, each crossing costs a wake-up. */
    BLOCK;

    /** The compartment key. */
    public static final String KEY = "wait";

    /** The name the configuration uses. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
