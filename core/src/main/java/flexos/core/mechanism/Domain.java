package flexos.core.mechanism;

import flexos.core.component.Library;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;

/** One open compartment: where its libraries are instantiated, and the entrance to them. */
public interface Domain extends AutoCloseable {

    /** The compartment's name. */
    String compartment();

    /** Instantiates {@code library} inside this domain. */
    LibraryInstance instantiate(Library library, LibraryContext context);

    /**
     * The gate through which the caller of {@code site} reaches {@code target}, an export of a library in this
     * domain. The gate implements {@code api}; what happens on a call (a plain call, a copy, an RPC) is the
     * mechanism's business.
     */
    <T> T gate(Class<T> api, T target, GateSite site);

    /** Releases the domain. Instances it made have been closed by then. */
    @Override
    default void close() {
    }
}
