package flexos.core.hardening;

import java.util.Arrays;
import java.util.Optional;

/**
 * The per-library hardening options of SPEC §4, as the configuration's {@code harden:} list names them. Each one
 * hardens one library and leaves the others as they are (principle P3).
 */
public enum HardeningOption {

    /** Redzones, shadow state and quarantine in the library's allocator; its memory crossing gates is checked. */
    ASAN("asan"),
    /** The library may call only the functions its metadata's {@code [Call]} clause lists. */
    CFI("cfi"),
    /** Pre- and postconditions, declared by the library for its API, checked at its gates. */
    CONTRACTS("contracts");

    private final String configName;

    HardeningOption(String configName) {
        this.configName = configName;
    }

    /** The name the configuration uses. */
    public String configName() {
        return configName;
    }

    public static Optional<HardeningOption> named(String name) {
        return Arrays.stream(values()).filter(o -> o.configName.equals(name)).findFirst();
    }
}
