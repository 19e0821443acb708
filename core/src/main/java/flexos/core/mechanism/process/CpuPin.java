package flexos.core.mechanism.process;

import flexos.core.config.ConfigException;
import flexos.core.config.OptionReader;

/**
 * The compartment key {@code cpu:} of a {@code process} compartment: the one CPU on which its process's gate threads
 * run, together with every thread of the image that calls into it. Absent, the threads run wherever the kernel
 * puts them.
 *
 * <p>Why: a call through a {@code process} gate is synchronous, so the caller and the callee never work at the same
 * time. On a machine with few cores shared with other work (two vCPUs and the image's client, redis-benchmark),
 * the two on one CPU hand it to each other by a yield, and the other cores stay free for the rest; apart, each
 * waits on a core of its own that the rest needs. Measured in docs/process-mechanism.md. It costs a crossing's
 * latency: a yield and a context switch instead of a spin (microseconds, not hundreds of nanoseconds).
 */
public final class CpuPin {

    /** The compartment key. */
    public static final String KEY = "cpu";
    /** No pin: the kernel places the threads. */
    public static final int NONE = -1;
    /** The highest CPU number accepted (the kernel's default {@code CONFIG_NR_CPUS} range). */
    public static final int MAX_CPU = 1023;

    private CpuPin() {
    }

    /** The entry's CPU, or {@link #NONE}. */
    public static int read(OptionReader entry) throws ConfigException {
        return (int) entry.whole(KEY, 0, MAX_CPU, "a CPU number").orElse(NONE);
    }
}
