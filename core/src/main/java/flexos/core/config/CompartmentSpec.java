package flexos.core.config;

import flexos.core.mechanism.Mechanism;
import flexos.core.mechanism.MechanismOptions;
import flexos.core.metadata.SourceLocation;

/**
 * One entry of the configuration's {@code compartments} list, with its mechanism resolved and the mechanism's own
 * keys parsed into its {@linkplain Mechanism#readOptions options}.
 *
 * @param name      the compartment's name, unique in the image
 * @param mechanism the isolation mechanism
 * @param isDefault whether libraries the configuration does not place go here
 * @param heapBytes the size of the compartment's private heap
 * @param where     where the entry starts in the configuration file
 * @param options   the mechanism's options for this compartment, of the type its {@link Mechanism#defaultOptions()}
 *                  has
 */
public record CompartmentSpec(String name, Mechanism mechanism, boolean isDefault, long heapBytes, SourceLocation where,
                              MechanismOptions options) {

    public CompartmentSpec {
        if (mechanism == null || options == null) {
            throw new IllegalArgumentException("compartment " + name + " has no mechanism or no options");
        }
        Class<?> expected = mechanism.defaultOptions().getClass();
        if (!expected.isInstance(options)) {
            throw new IllegalArgumentException("compartment " + name + " of mechanism " + mechanism.name()
                    + " was given options of type " + options.getClass().getName() + ", not " + expected.getName());
        }
    }

    /** A compartment with its mechanism's default options. */
    public CompartmentSpec(String name, Mechanism mechanism, boolean isDefault, long heapBytes, SourceLocation where) {
        this(name, mechanism, isDefault, heapBytes, where, mechanism.defaultOptions());
    }

    /** This compartment with other options for its mechanism. */
    public CompartmentSpec withOptions(MechanismOptions other) {
        return new CompartmentSpec(name, mechanism, isDefault, heapBytes, where, other);
    }

    /** The options as the mechanism's own type. */
    public <T extends MechanismOptions> T options(Class<T> type) {
        return type.cast(options);
    }
}
