package flexos.core.mechanism;

import java.util.List;
import java.util.Map;

/**
 * The options one mechanism reads from a compartment's entry (its {@link Mechanism#compartmentKeys()}), as an
 * immutable value. Each mechanism has a record of its own and finds it again with
 * {@link flexos.core.config.CompartmentSpec#options(Class)}.
 */
public interface MechanismOptions {

    /** No options: the value of mechanisms that take no compartment keys. */
    MechanismOptions NONE = Map::of;

    /**
     * The compartment keys and values that, written in a configuration, read back as these options; keys at their
     * default are left out. Used to print a plan and to write configurations.
     */
    Map<String, String> asKeys();

    /**
     * What the user should know about these options, one sentence each, for {@code flexos build} and
     * {@code flexos run} to print (for example a compartment that runs with a weaker isolation on request). None by
     * default.
     */
    default List<String> warnings() {
        return List.of();
    }
}
