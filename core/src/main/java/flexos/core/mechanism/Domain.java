package flexos.core.mechanism;

import flexos.core.component.Library;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import flexos.core.metadata.LibraryMetadata;

/**
 * One open compartment: where its libraries are instantiated, and the entrance to them.
 *
 * <p><b>Threads.</b> The image calls {@link #instantiate} and {@link #gate} on the thread that starts it, in
 * dependency order, and {@link #close} on the thread that stops it. The gates it hands out are called from any
 * thread, concurrently; a gate never needs its caller to hold a lock.
 *
 * <p><b>Failure.</b> A compartment fails when its code throws an {@link Error} or an exception the API does not let
 * cross, tries an operation the mechanism refuses, runs past its call timeout, or (for a process) dies. From then
 * on:
 * <ul>
 *   <li>every call through a gate into it, or through a callback it was given, throws {@link GateFault} with
 *       {@link GateFault#compartmentFailed()} true, at once, without running its code, unless the mechanism's
 *       options ask for a restart, in which case calls fail until the restarted compartment is back;</li>
 *   <li>{@link #instantiate} throws {@code GateFault};</li>
 *   <li>{@link #gate} still returns a gate, whose calls fail as above, so that an image can finish starting or
 *       stopping around a failed compartment;</li>
 *   <li>nothing held by other compartments is lost: their heaps, instances and gates are not touched.</li>
 * </ul>
 */
public interface Domain extends AutoCloseable {

    /** The compartment's name. */
    String compartment();

    /**
     * Instantiates {@code library} inside this domain. {@code metadata} is the library's declared behaviour, parsed
     * once when the image was planned: a mechanism grants from it (native access, host capabilities) and never
     * reads the library's metadata file again.
     *
     * @throws GateFault        if the compartment has failed
     * @throws RuntimeException if the library cannot be instantiated here (its constructor threw, its classes are
     *                          refused by the mechanism); the image then fails to start
     */
    LibraryInstance instantiate(Library library, LibraryMetadata metadata, LibraryContext context);

    /**
     * The gate through which the caller of {@code site} reaches {@code target}, an export of a library in this
     * domain. The gate implements {@code api}; what happens on a call (a plain call, a copy, an RPC) is the
     * mechanism's business. Only called for sites that cross compartments.
     */
    <T> T gate(Class<T> api, T target, GateSite site);

    /**
     * {@code object}, code of this compartment implementing {@code api}, as a thread that is not running in the
     * compartment must call it: the image's entry point, which the thread that runs the image calls, and what a
     * test or benchmark drives through {@code Image.gateSeenBy} for a library of this compartment. By default the
     * object itself; {@code mpk} switches the calling thread into the compartment's rights for each call.
     */
    default <T> T entrance(Class<T> api, T object) {
        return object;
    }

    /**
     * Releases the domain: stops what runs in it and frees what it holds. The image has closed the instances made
     * here before. Idempotent; a failed domain closes too.
     */
    @Override
    default void close() {
    }
}
