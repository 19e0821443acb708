package flexos.core.component;

import java.util.Map;

/** A running instance of a library: its API implementations, and how to release what it holds. */
public interface LibraryInstance extends AutoCloseable {

    /**
     * The implementation of one of the library's exported API interfaces.
     *
     * @throws IllegalArgumentException if the library does not export {@code api}
     */
    <T> T export(Class<T> api);

    /** Releases what the instance holds (sockets, threads). The image calls it once, in reverse start order. */
    @Override
    default void close() {
    }

    /** An instance whose exports are the given implementations and which holds nothing to release. */
    static LibraryInstance of(Map<Class<?>, Object> exports) {
        return of(exports, () -> { });
    }

    /** An instance whose exports are the given implementations, released by {@code onClose}. */
    static LibraryInstance of(Map<Class<?>, Object> exports, Runnable onClose) {
        Map<Class<?>, Object> copy = Map.copyOf(exports);
        copy.forEach((api, impl) -> {
            if (!api.isInstance(impl)) {
                throw new IllegalArgumentException(impl.getClass().getName() + " does not implement " + api.getName());
            }
        });
        return new LibraryInstance() {
            @Override
            public <T> T export(Class<T> api) {
                Object impl = copy.get(api);
                if (impl == null) {
                    throw new IllegalArgumentException("this library does not export " + api.getName());
                }
                return api.cast(impl);
            }

            @Override
            public void close() {
                onClose.run();
            }
        };
    }
}
