package flexos.core.mechanism;

import flexos.core.config.CompartmentSpec;
import flexos.core.memory.ImageMemory;
import flexos.core.memory.MemoryRegion;
import java.util.Optional;

/**
 * An isolation mechanism (SPEC §3, principle P2): how one compartment is separated from the others, and what a
 * call into it costs. Adding a mechanism means implementing this interface and registering it in
 * {@link Mechanisms}; the image builder and the libraries do not change.
 */
public interface Mechanism {

    /** The name the configuration uses, for example {@code fcall}. */
    String name();

    /**
     * Opens the protection domain of one compartment. The image then instantiates the compartment's libraries
     * through it and asks it for the gates into them.
     */
    Domain open(CompartmentSpec compartment, ImageMemory memory);

    /**
     * The image's shared heap of {@code bytes} bytes, if this mechanism needs it somewhere particular (for example in
     * a file that other processes map); empty to leave it in the image's own memory. The image asks before it opens
     * any compartment, and only when a compartment uses this mechanism.
     */
    default Optional<MemoryRegion> sharedHeap(String image, long bytes) {
        return Optional.empty();
    }
}
