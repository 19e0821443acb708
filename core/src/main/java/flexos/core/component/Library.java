package flexos.core.component;

import java.util.Set;

/**
 * A LibOS library as the image builder sees it: the API interfaces it implements, the API interfaces of other
 * libraries it calls, and how to make an instance of it.
 *
 * <p>Every library module provides exactly one implementation of this interface
 * ({@code provides flexos.core.component.Library with ...}) and ships its metadata file as
 * {@code META-INF/flexos/<name>.meta}. A library never looks another library up by itself: every cross-library
 * call goes through a gate that the image hands it through {@link LibraryContext#gate(Class)}, so the
 * configuration, not the library's source, decides what a call costs and what it may reach.
 */
public interface Library {

    /** The library's name: its folder name, and the name the configuration and the metadata use. */
    String name();

    /** The API interfaces this library implements. Each one is a gate target for other libraries. */
    Set<Class<?>> exports();

    /** The API interfaces of other libraries this library calls. The image supplies a gate for each. */
    Set<Class<?>> imports();

    /**
     * Whether the image gives every compartment an instance of its own. Allocators are replicated this way,
     * as FlexOS instantiates one allocator per compartment: callers always reach the instance of their own
     * compartment, so an allocation never crosses a gate.
     */
    default boolean perCompartment() {
        return false;
    }

    /** Makes an instance. Gates to the imports are available from {@code context} during and after this call. */
    LibraryInstance instantiate(LibraryContext context);
}
