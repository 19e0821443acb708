package flexos.core.mechanism.module;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.net.URL;
import java.util.Optional;
import java.util.Set;

/**
 * Defines one library module again for one {@code module} compartment: its classes, and so its static state, exist
 * once per compartment. Classes of the module's packages are read from the module's own location and rewritten by
 * {@link RefusedCallRewriter}; every other class (the JDK, {@code flexos.core}, the API modules) comes from
 * {@code delegate}, the loader of the layer the image was started from, so that API types are shared by all
 * compartments and a gate can be one of them.
 */
final class CompartmentClassLoader extends ClassLoader {

    static {
        registerAsParallelCapable();
    }

    private final String module;
    private final Set<String> packages;
    private final ModuleReader reader;
    private final ClassLoader delegate;
    private final RefusedCallRewriter rewriter;

    CompartmentClassLoader(String compartment, ModuleReference reference, ClassLoader delegate) throws IOException {
        super("compartment-" + compartment + "/" + reference.descriptor().name(), null);
        this.module = reference.descriptor().name();
        this.packages = reference.descriptor().packages();
        this.reader = reference.open();
        this.delegate = delegate;
        this.rewriter = new RefusedCallRewriter(desc -> {
            String internal = desc.descriptorString();
            String name = internal.substring(1, internal.length() - 1);
            return packages.contains(packageOf(name.replace('/', '.'))) ? open(name + ".class") : null;
        });
    }

    private static String packageOf(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot);
    }

    private InputStream open(String resource) {
        try {
            return reader.open(resource).orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                loaded = packages.contains(packageOf(name)) ? define(name) : delegate.loadClass(name);
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    private Class<?> define(String name) throws ClassNotFoundException {
        byte[] bytes;
        try (InputStream in = reader.open(name.replace('.', '/') + ".class").orElseThrow(
                () -> new ClassNotFoundException(name + " is not in module " + module))) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new ClassNotFoundException("cannot read " + name + " from module " + module, e);
        }
        byte[] rewritten = rewriter.rewrite(bytes);
        return defineClass(name, rewritten, 0, rewritten.length);
    }

    @Override
    protected Class<?> findClass(String moduleName, String name) {
        if (!module.equals(moduleName) || !packages.contains(packageOf(name))) {
            return null;
        }
        try {
            return loadClass(name, false);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    @Override
    protected URL findResource(String moduleName, String name) throws IOException {
        if (!module.equals(moduleName)) {
            return null;
        }
        Optional<java.net.URI> found = reader.find(name);
        return found.isPresent() ? found.get().toURL() : null;
    }

    @Override
    public URL getResource(String name) {
        try {
            URL own = findResource(module, name);
            return own != null ? own : delegate.getResource(name);
        } catch (IOException e) {
            return null;
        }
    }
}
