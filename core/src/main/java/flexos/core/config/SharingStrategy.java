package flexos.core.config;

import java.util.Locale;

/**
 * How data crosses a gate into a compartment (SPEC §5): by copy, or by reference when it lies in the image's shared
 * heap. Mechanisms that copy arguments take it as the compartment key {@code sharing:} ({@link #read});
 * {@code fcall}, which hands the caller the callee's own object, does not.
 */
public enum SharingStrategy {
    /**
     * Every segment or array argument is copied into memory the callee owns, and copied back after the call; the
     * callee never holds a reference to the caller's memory, so it cannot keep and later change what it was given.
     */
    COPY,
    /**
     * Segments that lie in the image's shared heap pass by reference (the analogue of FlexOS's
     * {@code flexos_malloc_whitelist}); anything else is still copied, so private memory stays private.
     */
    SHARED;

    /** The compartment key. */
    public static final String KEY = "sharing";

    /** The name the configuration uses: {@code copy} or {@code shared}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Adds {@code sharing:} to {@code keys} unless this is the default. */
    public void putKey(java.util.Map<String, String> keys) {
        if (this != COPY) {
            keys.put(KEY, configName());
        }
    }

    /** The entry's {@code sharing:}, {@link #COPY} when it sets none. */
    public static SharingStrategy read(OptionReader entry) throws ConfigException {
        return entry.choice(KEY, values(), SharingStrategy::configName,
                "use copy (arguments are copied across gates) or shared (segments in the shared heap pass by reference)")
                .orElse(COPY);
    }
}
