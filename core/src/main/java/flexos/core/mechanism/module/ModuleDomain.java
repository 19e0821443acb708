package flexos.core.mechanism.module;

import flexos.core.component.Library;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import flexos.core.config.SharingStrategy;
import flexos.core.mechanism.Domain;
import flexos.core.mechanism.GateFault;
import flexos.core.mechanism.GateSite;
import flexos.core.metadata.LibraryMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.ref.WeakReference;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@code module} compartment: the layers its libraries' modules were defined in, its gates, and whether it has
 * failed. See {@link ModuleMechanism}.
 */
final class ModuleDomain implements Domain {

    /** A library instance whose reference the domain drops when the compartment fails, so it can be collected. */
    private static final class CompartmentInstance implements LibraryInstance {
        private volatile LibraryInstance delegate;
        private final String compartment;

        CompartmentInstance(LibraryInstance delegate, String compartment) {
            this.delegate = delegate;
            this.compartment = compartment;
        }

        @Override
        public <T> T export(Class<T> api) {
            LibraryInstance live = delegate;
            if (live == null) {
                throw new GateFault(compartment, true, "compartment " + compartment + " has failed");
            }
            return live.export(api);
        }

        @Override
        public void close() {
            LibraryInstance live = delegate;
            delegate = null;
            if (live != null) {
                live.close();
            }
        }

        void drop() {
            delegate = null;
        }
    }

    private final String compartment;
    private final SharingStrategy sharing;
    private final long timeoutNanos;
    private final long sharedBase;
    private final long sharedEnd;
    /** What gates into this compartment cross around each call, or null for none (see {@link CallBoundary}). */
    private final CallBoundary boundary;
    private final Map<String, ModuleLayer.Controller> layers = new HashMap<>();
    private final List<CompartmentInstance> instances = new ArrayList<>();
    /**
     * Every gate into or out of this compartment, weakly (a gate nobody holds needs no stopping), with its type.
     * Plain lists walked by index, so that {@link #fail} can run without allocating when the heap is exhausted.
     */
    private final List<WeakReference<Object>> gates = new ArrayList<>();
    private final List<GateType> gateTypes = new ArrayList<>();
    private int pruneAt = 64;
    private volatile boolean failed;
    private volatile String failure = "stopped";
    private volatile Thread worker;
    private ExecutorService executor;
    /** The threads the compartment's own code started ({@code [Host] Threads}), stopped with it. */
    private final CompartmentThreads threads;

    /** The module domains of the image, this one included: where a callback's owner is found. */
    private final ImageDomains peers;

    /** A domain alone, in an image of no other module domains. */
    ModuleDomain(String compartment, ModuleOptions options, MemorySegment sharedHeap) {
        this(compartment, options, sharedHeap, null, new ImageDomains());
    }

    ModuleDomain(String compartment, ModuleOptions options, MemorySegment sharedHeap, CallBoundary boundary,
                 ImageDomains peers) {
        this.boundary = boundary;
        this.peers = peers;
        this.compartment = compartment;
        this.threads = new CompartmentThreads(compartment);
        TrustedInitialization.ensure();
        this.sharing = options.sharing();
        this.timeoutNanos = options.callTimeoutNanos();
        this.sharedBase = sharedHeap.address();
        this.sharedEnd = sharedHeap.address() + sharedHeap.byteSize();
        peers.add(this);
    }

    @Override
    public String compartment() {
        return compartment;
    }

    SharingStrategy sharing() {
        return sharing;
    }

    /** Why the compartment failed, or null while it works. */
    String failure() {
        return failed ? failure : null;
    }

    boolean inSharedHeap(MemorySegment segment) {
        long address = segment.address();
        return segment.isNative() && address >= sharedBase && address + segment.byteSize() <= sharedEnd;
    }

    @Override
    public synchronized LibraryInstance instantiate(Library library, LibraryMetadata metadata, LibraryContext context) {
        if (failed) {
            throw new GateFault(compartment, true, "compartment " + compartment + " has failed (" + failure
                    + "); library " + library.name() + " cannot be instantiated in it");
        }
        LibraryInstance created;
        try {
            Library own = whyInPlace(library).isPresent() ? library : reload(library, metadata);
            created = own.instantiate(context);
        } catch (LinkageError e) {
            // A class of the library the confinement refuses (it extends a JDK class that is not listed), found
            // while the library class was linked or instantiated: the library cannot run in this compartment.
            throw new GateFault(compartment, false, "library " + library.name() + " cannot be instantiated in "
                    + "compartment " + compartment + ": " + e.getMessage());
        }
        CompartmentInstance instance = new CompartmentInstance(created, compartment);
        instances.add(instance);
        return instance;
    }

    /** Why {@code library} cannot get a module layer of its own, or empty if it can. */
    static Optional<String> whyInPlace(Library library) {
        Module module = library.getClass().getModule();
        if (!module.isNamed() || module.getLayer() == null) {
            return Optional.of("library " + library.name() + " is not in a named module of a module layer"
                    + " (run from the module path, as ./flexos does)");
        }
        for (Class<?> api : union(library.exports(), library.imports())) {
            if (api.getModule() == module && api != flexos.core.component.Entrypoint.class) {
                return Optional.of("library " + library.name() + " keeps its API " + api.getSimpleName()
                        + " in its own module " + module.getName());
            }
        }
        return Optional.empty();
    }

    private static Set<Class<?>> union(Set<Class<?>> a, Set<Class<?>> b) {
        Set<Class<?>> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }

    private Library reload(Library library, LibraryMetadata metadata) {
        Module module = library.getClass().getModule();
        ModuleLayer.Controller existing = layers.get(module.getName());
        if (existing != null) {
            ((CompartmentClassLoader) existing.layer().findLoader(module.getName())).grant(library.name(),
                    metadata.host());
        }
        ModuleLayer.Controller controller = existing != null ? existing
                : defineLayer(module, library.name(), metadata);
        layers.put(module.getName(), controller);
        Module copy = controller.layer().findModule(module.getName()).orElseThrow();
        // Only flexos.core may instantiate the library class reflectively, as ServiceLoader would for a provider.
        controller.addOpens(copy, library.getClass().getPackageName(), ModuleDomain.class.getModule());
        String className = library.getClass().getName();
        Class<?> type = Class.forName(copy, className);
        if (type == null || !Library.class.isAssignableFrom(type)) {
            throw new IllegalStateException("module " + module.getName() + " defined again for compartment "
                    + compartment + " has no library class " + className);
        }
        try {
            java.lang.reflect.Constructor<?> constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            return (Library) constructor.newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot instantiate " + className + " in compartment " + compartment
                    + ": a library class needs a constructor without parameters", e);
        }
    }

    /** Native access only for a library that declares it ({@code [Host] Native}). */
    private static boolean nativeAccess(LibraryMetadata metadata) {
        return metadata.host().has(flexos.core.metadata.HostCapability.Native.class);
    }

    private ModuleLayer.Controller defineLayer(Module module, String library, LibraryMetadata metadata) {
        boolean nativeAccess = nativeAccess(metadata);
        ModuleLayer parent = module.getLayer();
        ModuleReference reference = parent.configuration().findModule(module.getName()).orElseThrow().reference();
        ModuleFinder only = new ModuleFinder() {
            @Override
            public Optional<ModuleReference> find(String name) {
                return name.equals(module.getName()) ? Optional.of(reference) : Optional.empty();
            }

            @Override
            public Set<ModuleReference> findAll() {
                return Set.of(reference);
            }
        };
        Configuration configuration = Configuration.resolve(only, List.of(parent.configuration()), ModuleFinder.of(),
                Set.of(module.getName()));
        CompartmentClassLoader loader;
        try {
            loader = new CompartmentClassLoader(compartment, reference, module.getClassLoader(), library,
                    metadata.host(), threads);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open module " + module.getName(), e);
        }
        ModuleLayer.Controller controller = ModuleLayer.defineModules(configuration, List.of(parent), name -> loader);
        Module copy = controller.layer().findModule(module.getName()).orElseThrow();
        // The confined call sites bootstrap through flexos.core; the module reads it through its API anyway.
        controller.addReads(copy, ModuleDomain.class.getModule());
        if (nativeAccess) {
            controller.enableNativeAccess(copy);
        }
        return controller;
    }

    @Override
    public <T> T gate(Class<T> api, T target, GateSite site) {
        return api.cast(newGate(api, target, true, site.callerCompartment(), boundary));
    }

    /**
     * {@code object}, of interface {@code type}, handed across a gate of this domain: wrapped in a gate of its own.
     * {@code intoThisDomain} says whether the object's code runs in this compartment (it was handed out of it); if
     * not, it belongs to compartment {@code other}, the other side of the gate it crossed, and its gate crosses
     * {@code back} (null when this domain has no boundary).
     */
    Object wrap(Class<?> type, Object object, boolean intoThisDomain, String other, CallBoundary back) {
        if (object == null) {
            return null;
        }
        return newGate(type, object, intoThisDomain, other, intoThisDomain ? boundary : back);
    }

    /**
     * A gate to {@code target}: a forward one into this compartment, called from compartment {@code other}, or a
     * reverse one out of it, to a callback of compartment {@code other}.
     */
    private Object newGate(Class<?> api, Object target, boolean forward, String other, CallBoundary crossing) {
        boolean timed = forward && timeoutNanos > 0;
        GateType type = GateType.of(api, timed, crossing != null);
        ModuleDomain owner = forward ? this : peers.named(other);
        GateRuntime runtime = forward ? new GateRuntime(type, this, true, compartment, this, other, timed, crossing)
                : new GateRuntime(type, this, false, other, owner, compartment, false, crossing);
        Object gate = type.newGate(target, runtime);
        track(gate, type);
        if (owner != null && owner != this) {
            // A callback stops when its owner's compartment fails too.
            owner.track(gate, type);
        }
        return gate;
    }

    /** Keeps {@code gate} to stop when this compartment fails (at once if it has). */
    private void track(Object gate, GateType type) {
        synchronized (gates) {
            if (gates.size() >= pruneAt) {
                for (int i = gates.size() - 1; i >= 0; i--) {
                    if (gates.get(i).refersTo(null)) {
                        gates.remove(i);
                        gateTypes.remove(i);
                    }
                }
                pruneAt = Math.max(64, gates.size() * 2);
            }
            gates.add(new WeakReference<>(gate));
            gateTypes.add(type);
        }
        if (failed) {
            type.clearTarget(gate);
        }
    }

    /**
     * Stops the compartment: every gate into or out of it drops its target and faults from now on, its instances are
     * released to the garbage collector, and a thread still running its code is abandoned (Java cannot stop it).
     * The references go first and without allocating: after an {@link OutOfMemoryError} nothing can be allocated
     * until the compartment's objects are unreachable.
     */
    void fail(String reason) {
        synchronized (this) {
            if (failed) {
                return;
            }
            failed = true;
        }
        synchronized (gates) {
            for (int i = 0; i < gates.size(); i++) {
                Object gate = gates.get(i).get();
                if (gate != null) {
                    gateTypes.get(i).clearTarget(gate);
                }
            }
            gates.clear();
            gateTypes.clear();
        }
        synchronized (this) {
            for (int i = 0; i < instances.size(); i++) {
                instances.get(i).drop();
            }
            layers.clear();
        }
        failure = reason;
        threads.stop(reason);
        synchronized (this) {
            if (executor != null) {
                executor.shutdownNow();
            }
        }
    }

    boolean onWorker() {
        return Thread.currentThread() == worker;
    }

    /** Runs {@code call} on the compartment's worker thread and waits at most the call timeout for it. */
    Object callWithTimeout(Callable<Object> call, String what) {
        // The worker marshals as the caller would: it crosses into the caller's side first.
        CallBoundary asCaller = boundary == null ? null : boundary.back();
        Callable<Object> task = asCaller == null ? call : () -> {
            int entered = asCaller.enter();
            try {
                return call.call();
            } finally {
                asCaller.leave(entered);
            }
        };
        Future<Object> future;
        synchronized (this) {
            if (failed) {
                throw new GateFault(compartment, true, "compartment " + compartment + " has failed (" + failure
                        + ") and takes no more calls");
            }
            if (executor == null) {
                executor = Executors.newSingleThreadExecutor(runnable -> {
                    Thread thread = new Thread(runnable, "flexos-compartment-" + compartment);
                    thread.setDaemon(true);
                    worker = thread;
                    return thread;
                });
            }
            future = executor.submit(task);
        }
        try {
            return future.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw GateRuntime.<RuntimeException>sneaky(e.getCause());
        } catch (TimeoutException e) {
            fail(what + " ran past the call timeout of " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
            throw new GateFault(compartment, true, "call " + what + " into compartment " + compartment
                    + " ran past its timeout of " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms; the compartment is stopped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GateFault(compartment, false, "interrupted while waiting for " + what);
        }
    }

    /** The threads the compartment started that are still alive. */
    List<Thread> liveThreads() {
        return threads.live();
    }

    @Override
    public synchronized void close() {
        threads.stop("the image closed");
        if (executor != null) {
            executor.shutdownNow();
        }
        layers.clear();
        instances.clear();
    }
}
