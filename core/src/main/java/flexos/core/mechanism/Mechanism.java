package flexos.core.mechanism;

import flexos.core.config.CompartmentSpec;
import flexos.core.config.ConfigException;
import flexos.core.config.OptionReader;
import flexos.core.memory.ImageMemory;
import flexos.core.memory.MemoryRegion;
import flexos.core.metadata.LibraryMetadata;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An isolation mechanism (SPEC §3, principle P2): how one compartment is separated from the others, and what a
 * call into it costs.
 *
 * <p>A mechanism is a package of its own ({@code flexos.core.mechanism.<name>}) that provides this interface as a
 * service ({@code provides flexos.core.mechanism.Mechanism with ...} in core's {@code module-info}, and the same
 * class in {@code META-INF/services/flexos.core.mechanism.Mechanism} for class-path runs). The configuration
 * parser, the image builder and the libraries do not change when one is added: the parser hands the mechanism
 * the compartment keys it declares ({@link #compartmentKeys()}), the builder asks whether this machine can run it
 * ({@link #availability()}), and the image asks it for a {@link Domain} per compartment.
 *
 * <p>Implementations are stateless or thread-safe: one instance serves every image of the JVM.
 */
public interface Mechanism {

    /** The name the configuration uses, for example {@code fcall}; lower case, unique among mechanisms. */
    String name();

    /**
     * The compartment keys this mechanism takes beyond the ones every compartment has ({@code name},
     * {@code mechanism}, {@code default}, {@code heap}), in the order its documentation lists them. A key another
     * mechanism takes but this one does not is a configuration error: the mechanism would not honour it.
     */
    default List<String> compartmentKeys() {
        return List.of();
    }

    /**
     * This mechanism's options for one compartment, read from the keys of {@link #compartmentKeys()} that the
     * entry sets; keys it does not set take their defaults.
     *
     * @throws ConfigException for a bad value, made with {@link OptionReader#error} so that it points at the value
     */
    default MechanismOptions readOptions(OptionReader entry) throws ConfigException {
        return defaultOptions();
    }

    /** The options of a compartment whose entry sets none of this mechanism's keys. */
    MechanismOptions defaultOptions();

    /**
     * Whether this machine can run the mechanism (a CPU feature, a kernel feature), and if not why. An image with
     * a compartment of an unavailable mechanism is refused when it is built, with the reason as its message.
     */
    default Availability availability() {
        return Availability.AVAILABLE;
    }

    /**
     * Whether this machine can run {@code compartments}: every compartment of one image that uses this mechanism,
     * in configuration order. By default {@link #availability()}; a mechanism with a per-machine limit (mpk's
     * protection keys) refuses here an image that needs more than the machine has.
     */
    default Availability availability(List<CompartmentSpec> compartments) {
        return availability();
    }

    /**
     * Opens the protection domain of one compartment, whose {@link CompartmentSpec#options()} are this mechanism's.
     * The image then instantiates the compartment's libraries through it and asks it for the gates into them. The
     * compartment's private heap already exists in {@code memory}.
     *
     * <p>Called on the thread that starts the image, once per compartment, before any library is instantiated.
     *
     * @throws RuntimeException if the compartment cannot start (a process that does not come up, a resource the
     *                          machine refuses); the image then closes what it opened and fails to start with the
     *                          exception as its cause, so nothing of a half-started compartment stays behind
     */
    Domain open(CompartmentSpec compartment, ImageMemory memory);

    /**
     * Opens {@code compartment} knowing the metadata of the libraries the image will place in it, in start order: a
     * mechanism that confines the compartment as a whole (process: its sandbox, from their {@code [Host]} clauses)
     * builds that from them before any of them is loaded. By default {@link #open(CompartmentSpec, ImageMemory)}.
     */
    default Domain open(CompartmentSpec compartment, ImageMemory memory, List<LibraryMetadata> placed) {
        return open(compartment, memory);
    }

    /**
     * The image's shared heap of {@code bytes} bytes, if this mechanism needs it somewhere particular (for example in
     * a file that other processes map); empty to leave it in the image's own memory. The image asks before it opens
     * any compartment, and only when a compartment uses this mechanism.
     */
    default Optional<MemoryRegion> sharedHeap(String image, long bytes) {
        return Optional.empty();
    }

    /**
     * The private heap of {@code compartment}, of {@link CompartmentSpec#heapBytes()} bytes, if this mechanism needs
     * it placed somewhere particular (mpk: pages of their own, tagged with the compartment's protection key); empty
     * to let the image allocate it. The image asks just before it opens the compartment, and owns the region: it
     * closes it after the compartment's domain, when the image stops.
     *
     * @throws RuntimeException if the heap cannot be made (the image then fails to start, saying why)
     */
    default Optional<MemoryRegion> privateHeap(String image, CompartmentSpec compartment) {
        return Optional.empty();
    }

    /**
     * The classes of attack this mechanism claims to stop: every row of {@code flexos attacks} of a claimed class is
     * blocked or contained under it. A claim is a promise the attack suite checks ({@code AttackSuiteTest} fails a
     * claim that a row of its class disproves), and the exploration ranks mechanisms by their claims alone, so a
     * mechanism claims only what its rows show. By default nothing.
     */
    default Set<ThreatClass> claims() {
        return Set.of();
    }

    /**
     * Whether a mechanism can run on this machine.
     *
     * @param available whether it can
     * @param reason    why not, as one sentence a user can act on; when available, empty or what was found (a
     *                  mechanism that depends on the machine says what it checked)
     */
    record Availability(boolean available, String reason) {

        public static final Availability AVAILABLE = new Availability(true, "");

        public Availability {
            if (!available && (reason == null || reason.isBlank())) {
                throw new IllegalArgumentException("an unavailable mechanism must say why");
            }
        }

        public static Availability unavailable(String reason) {
            return new Availability(false, reason);
        }
    }
}
