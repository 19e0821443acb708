package flexos.core.config;

/**
 * The compartment key {@code call_timeout:} of mechanisms that can stop waiting for a call: the longest a call into
 * the compartment may run before its caller gets an error instead. Absent, calls are not limited.
 */
public final class CallTimeout {

    /** The compartment key. */
    public static final String KEY = "call_timeout";
    /** The shortest limit accepted. */
    public static final long MINIMUM_NANOS = 1_000_000L;

    private CallTimeout() {
    }

    /** The entry's limit in nanoseconds, 0 when it sets none. */
    public static long read(OptionReader entry) throws ConfigException {
        return entry.duration(KEY, MINIMUM_NANOS, "a shorter limit would fail calls that are merely descheduled")
                .orElse(0);
    }

    /** Adds {@code call_timeout:} to {@code keys} when there is a limit. */
    public static void putKey(java.util.Map<String, String> keys, long nanos) {
        if (nanos > 0) {
            keys.put(KEY, format(nanos));
        }
    }

    /** The configuration text of a limit, for {@link flexos.core.mechanism.MechanismOptions#asKeys()}. */
    public static String format(long nanos) {
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + "s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + "ms";
        }
        if (nanos % 1_000L == 0) {
            return nanos / 1_000L + "us";
        }
        return nanos + "ns";
    }
}
