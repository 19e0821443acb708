package flexos.core.mechanism.process;

import flexos.core.config.CallTimeout;
import flexos.core.config.SharingStrategy;
import flexos.core.mechanism.MechanismOptions;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options of a {@code process} compartment.
 *
 * @param sharing          how arguments cross its gates (SPEC §5); key {@code sharing}, default {@code copy}
 * @param callTimeoutNanos the longest a call into it may run before its process is killed and the caller gets a
 *                         {@code GateFault}; 0 for no limit; key {@code call_timeout}
 * @param restart          what the image does when the process fails; key {@code restart}, default {@code never}
 * @param gateWait         how gates wait for the other side; key {@code wait}, default {@code spin}
 * @param sandbox          whether its process is sandboxed; key {@code sandbox}, default {@code full}
 * @param cpu              the CPU its gate threads and their callers run on ({@link CpuPin}), or
 *                         {@link CpuPin#NONE}; key {@code cpu}, default none
 */
public record ProcessOptions(SharingStrategy sharing, long callTimeoutNanos, RestartPolicy restart, GateWait gateWait,
                             SandboxMode sandbox, int cpu) implements MechanismOptions {

    public static final ProcessOptions DEFAULT =
            new ProcessOptions(SharingStrategy.COPY, 0, RestartPolicy.NEVER, GateWait.SPIN, SandboxMode.FULL);

    public ProcessOptions {
        if (sharing == null || restart == null || gateWait == null || sandbox == null || callTimeoutNanos < 0
                || cpu < CpuPin.NONE || cpu > CpuPin.MAX_CPU) {
            throw new IllegalArgumentException("bad process options: " + sharing + ", " + callTimeoutNanos + ", "
                    + restart + ", " + gateWait + ", " + sandbox + ", cpu " + cpu);
        }
    }

    /** Options that pin no CPU. */
    public ProcessOptions(SharingStrategy sharing, long callTimeoutNanos, RestartPolicy restart, GateWait gateWait,
                          SandboxMode sandbox) {
        this(sharing, callTimeoutNanos, restart, gateWait, sandbox, CpuPin.NONE);
    }

    /** Sandboxed options. */
    public ProcessOptions(SharingStrategy sharing, long callTimeoutNanos, RestartPolicy restart, GateWait gateWait) {
        this(sharing, callTimeoutNanos, restart, gateWait, SandboxMode.FULL);
    }

    @Override
    public List<String> warnings() {
        return sandbox == SandboxMode.NONE
                ? List.of("its process runs unsandboxed (sandbox: none): as the image's user, with every system call"
                        + " and file the image has")
                : List.of();
    }

    @Override
    public Map<String, String> asKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        sharing.putKey(keys);
        CallTimeout.putKey(keys, callTimeoutNanos);
        if (restart != RestartPolicy.NEVER) {
            keys.put(RestartPolicy.KEY, restart.configName());
        }
        if (gateWait != GateWait.SPIN) {
            keys.put(GateWait.KEY, gateWait.configName());
        }
        if (sandbox != SandboxMode.FULL) {
            keys.put(SandboxMode.KEY, sandbox.configName());
        }
        if (cpu != CpuPin.NONE) {
            keys.put(CpuPin.KEY, String.valueOf(cpu));
        }
        return keys;
    }
}
