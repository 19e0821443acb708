package flexos.core.mechanism.module;

import flexos.core.config.CallTimeout;
import flexos.core.config.SharingStrategy;
import flexos.core.mechanism.MechanismOptions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options of a {@code module} compartment.
 *
 * @param sharing          how arguments cross its gates (SPEC §5); key {@code sharing}, default {@code copy}
 * @param callTimeoutNanos the longest a call into it may run before the caller gets a {@code GateFault} and the
 *                         compartment is stopped; 0 for no limit (the default: a timed gate hands every call to
 *                         the compartment's worker thread); key {@code call_timeout}
 */
public record ModuleOptions(SharingStrategy sharing, long callTimeoutNanos) implements MechanismOptions {

    public static final ModuleOptions DEFAULT = new ModuleOptions(SharingStrategy.COPY, 0);

    public ModuleOptions {
        if (sharing == null || callTimeoutNanos < 0) {
            throw new IllegalArgumentException("bad module options: " + sharing + ", " + callTimeoutNanos);
        }
    }

    @Override
    public Map<String, String> asKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        sharing.putKey(keys);
        CallTimeout.putKey(keys, callTimeoutNanos);
        return keys;
    }
}
