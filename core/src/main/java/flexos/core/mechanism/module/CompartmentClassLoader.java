package flexos.core.mechanism.module;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import flexos.core.metadata.HostCapabilities;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Defines one library module again for one {@code module} compartment: its classes, and so its static state, exist
 * once per compartment. Classes of the module's packages are read from the module's own location and confined by
 * {@link ConfiningRewriter} as they are defined; every other class (the JDK, {@code flexos.core}, the API modules)
 * comes from {@code delegate}, the loader of the layer the image was started from, so that API types are shared by
 * all compartments and a gate can be one of them. A class the module defines at run time by any other route
 * (a {@code Lookup}, a loader of its own, a reloaded jar) is refused by the confinement itself: those members are not
 * on the allowlist.
 */
final class CompartmentClassLoader extends ClassLoader {

    static {
        registerAsParallelCapable();
    }

    private final String module;
    private final Set<String> packages;
    private final ModuleReader reader;
    private final ClassLoader delegate;
    private final Confinement confinement;
    private final ConfiningRewriter rewriter;
    private final CompartmentThreads threads;
    private final Map<String, Optional<ClassModel>> ownClasses = new ConcurrentHashMap<>();
    private volatile FileGrants files;

    /**
     * @param library the library the module is defined for, whose {@code host} capabilities its classes get
     * @param threads the compartment's thread tracker
     */
    CompartmentClassLoader(String compartment, ModuleReference reference, ClassLoader delegate, String library,
                           HostCapabilities host, CompartmentThreads threads) throws IOException {
        super("compartment-" + compartment + "/" + reference.descriptor().name(), null);
        this.module = reference.descriptor().name();
        this.packages = reference.descriptor().packages();
        this.reader = reference.open();
        this.delegate = delegate;
        this.threads = threads;
        this.confinement = new Confinement(library, Allowlist.shipped(), host, this::ownClass, this::moduleOf);
        this.rewriter = new ConfiningRewriter(confinement, desc -> {
            String internal = desc.descriptorString();
            String name = internal.substring(1, internal.length() - 1);
            return packages.contains(packageOf(name.replace('/', '.'))) ? open(name + ".class") : null;
        }, this::ownClass);
        this.files = new FileGrants(library, host.fileGrants(), Path.of(""));
    }

    /** Adds the capabilities of another library of this module placed in the same compartment. */
    void grant(String library, HostCapabilities host) {
        confinement.grant(host);
        files = new FileGrants(module, confinement.host().fileGrants(), Path.of(""));
    }

    CompartmentThreads threads() {
        return threads;
    }

    FileGrants files() {
        return files;
    }

    /** The class model of {@code internalName} when it is a class of this module, else null. */
    private ClassModel ownClass(String internalName) {
        int slash = internalName.lastIndexOf('/');
        String pkg = slash < 0 ? "" : internalName.substring(0, slash).replace('/', '.');
        if (!packages.contains(pkg)) {
            return null;
        }
        return ownClasses.computeIfAbsent(internalName, name -> {
            try (InputStream in = open(name + ".class")) {
                return in == null ? Optional.empty() : Optional.of(ClassFile.of().parse(in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).orElse(null);
    }

    /** The module of a class outside this module, loaded (not initialized) as this module's code would see it. */
    private String moduleOf(String internalName) {
        try {
            return Class.forName(internalName.replace('/', '.'), false, delegate).getModule().getName();
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
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
        boolean companion = CallSiteCompanion.isCompanion(name);
        String file = companion ? CallSiteCompanion.hostOf(name) : name;
        byte[] bytes;
        try (InputStream in = reader.open(file.replace('.', '/') + ".class").orElseThrow(
                () -> new ClassNotFoundException(name + " is not in module " + module))) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new ClassNotFoundException("cannot read " + file + " from module " + module, e);
        }
        byte[] rewritten;
        try {
            rewritten = companion ? rewriter.companion(bytes) : rewriter.confine(bytes);
        } catch (IllegalArgumentException e) {
            throw new ClassNotFoundException(name + " is not a class of module " + module, e);
        }
        Class<?> defined = defineClass(name, rewritten, 0, rewritten.length);
        preResolve(rewritten, companion ? name : null);
        return defined;
    }

    /** Classes referred to by classes defined on this thread whose names this loader has not resolved yet. */
    private final ThreadLocal<Pending> pending = new ThreadLocal<>();

    /**
     * The names still to resolve, every name queued so far, and the call-site companions defined on the way, of one
     * outermost definition.
     */
    private record Pending(ArrayDeque<String> queue, Set<String> seen, List<String> companions) {
    }

    /**
     * Resolves, through this loader, every class the newly defined class refers to, so that the JVM records this
     * loader for them now, while trusted code defines the class with the stack it has. Left to the class's first run,
     * each first reference calls {@link #loadClass} in Java, deep below the compartment's code: a caller that calls
     * with its stack nearly full could make that overflow half way through the callee's update, past what the gates'
     * reserved stack zone covers (docs/module-mechanism.md, "Stack overflow"). Classes of this module defined on
     * the way are resolved by the outermost call, one after the other, so the depth stays that of one definition.
     * A class that cannot be resolved is left for its first use, which fails the same way.
     *
     * <p>The same holds for the call sites a class bootstraps (lambdas, records' methods, switches): the outermost
     * definition, once every class is resolved, initializes each {@link CallSiteCompanion} defined on the way, which
     * links its call sites.
     *
     * @param companion the name of the class just defined if it is a call-site companion, else null
     */
    private void preResolve(byte[] classBytes, String companion) {
        Pending work = pending.get();
        boolean outermost = work == null;
        if (outermost) {
            work = new Pending(new ArrayDeque<>(), new HashSet<>(), new ArrayList<>());
            pending.set(work);
        }
        if (companion != null) {
            work.companions().add(companion);
        }
        for (PoolEntry entry : ClassFile.of().parse(classBytes).constantPool()) {
            if (entry instanceof ClassEntry referred) {
                String internal = referred.asInternalName();
                if (!internal.startsWith("[") && work.seen().add(internal)) {
                    work.queue().add(internal.replace('/', '.'));
                }
            }
        }
        if (!outermost) {
            return;
        }
        try {
            int resolved = 0;
            int linked = 0;
            while (resolved < MAX_PRE_RESOLVED && (!work.queue().isEmpty() || linked < work.companions().size())) {
                String next = work.queue().poll();
                if (next != null) {
                    resolved++;
                    try {
                        Class.forName(next, false, this);
                    } catch (ClassNotFoundException | LinkageError e) {
                        // Left for the first use, which reports it.
                    }
                    continue;
                }
                // A companion links once every class queued so far is resolved: linking resolves what its call
                // sites name, and what that defines is queued here rather than resolved deeper. Its initializer
                // catches what a site throws; a site that fails to link is left to its first use.
                try {
                    Class.forName(work.companions().get(linked++), true, this);
                } catch (ClassNotFoundException | LinkageError e) {
                    // Its host's first call to it reports it.
                }
            }
        } finally {
            pending.remove();
        }
    }

    /** A bound on the classes one definition resolves ahead (a library's reachable classes, and the JDK's it names). */
    private static final int MAX_PRE_RESOLVED = 100_000;

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
