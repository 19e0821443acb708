package flexos.core.mechanism.process;

import flexos.core.component.Library;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import flexos.core.config.CompartmentSpec;
import flexos.core.mechanism.Domain;
import flexos.core.mechanism.GateFault;
import flexos.core.mechanism.GateSite;
import flexos.core.mechanism.process.sandbox.DescriptorHandover;
import flexos.core.mechanism.process.sandbox.SandboxPolicy;
import flexos.core.metadata.LibraryMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One {@code process} compartment, seen from the image: its current process, the libraries placed in it (kept so
 * that a restart can instantiate them again), and the gates into it. See {@link ProcessMechanism}.
 */
final class ProcessDomain implements Domain {

    /** Call slots for the image's threads, and for the compartment's own threads calling out. */
    static final int LAUNCHER_SLOTS = 32;
    static final int CHILD_SLOTS = 8;
    /** Room for a message: a 64 KiB payload and its copy back fit; larger arguments are refused. */
    static final long SLOT_BYTES = 1L << 20;
    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private record Placed(Library library, LibraryContext context) {
    }

    private final CompartmentSpec spec;
    private final ProcessOptions options;
    private final SharedMemoryFile shared;
    private final Optional<SandboxPolicy> sandbox;
    private final List<Placed> placed = new ArrayList<>();
    private volatile Child child;
    private volatile String failure;
    private volatile boolean closing;
    private volatile int generation;

    /** A compartment whose process enters {@code sandbox}'s sandbox, or runs unsandboxed when it is empty. */
    ProcessDomain(CompartmentSpec spec, SharedMemoryFile shared, Optional<SandboxPolicy> sandbox) {
        this.spec = spec;
        this.options = spec.options(ProcessOptions.class);
        this.shared = shared;
        this.sandbox = sandbox;
        this.child = start();
    }

    @Override
    public String compartment() {
        return spec.name();
    }

    /** The compartment's current process, for tests: its pid. */
    long pid() {
        Child c = child;
        return c == null ? -1 : c.process.pid();
    }

    // ---------------------------------------------------------------- one process

    /** One run of the compartment's process, with its RPC region and the ids of its exports. */
    private final class Child implements RpcEndpoint.PeerEvents {
        final Process process;
        final SharedMemoryFile regionFile;
        final RpcEndpoint endpoint;
        final CompartmentControl control;
        final List<Integer> handles = new ArrayList<>();
        final Map<String, Long> exportIds = new ConcurrentHashMap<>();
        volatile boolean dead;

        Child(Process process, SharedMemoryFile regionFile, SlotRegion region) {
            this.process = process;
            this.regionFile = regionFile;
            this.endpoint = new RpcEndpoint(CallSlot.LAUNCHER, region, this, options.sharing(), shared.segment(),
                    options.callTimeoutNanos());
            this.endpoint.peerObjects(object -> idAtChild(this, object));
            this.endpoint.pinTo(options.cpu());
            this.control = endpoint.proxy(CompartmentControl.ID, CompartmentControl.class);
        }

        long exportId(int library, Class<?> api) {
            return exportIds.computeIfAbsent(library + "/" + api.getName(),
                    key -> control.export(handles.get(library), api.getName()));
        }

        @Override
        public String compartment() {
            return spec.name();
        }

        @Override
        public boolean gone() {
            return dead || !process.isAlive();
        }

        @Override
        public RuntimeException goneFault(String call) {
            return new GateFault(spec.name(), true, "compartment " + spec.name() + "'s process (pid " + process.pid()
                    + ") " + exitDescription() + " during " + call + restartNote());
        }

        private String exitDescription() {
            // Why the image stopped it, when it did (a malformed message, a timeout): the caller should know.
            String why = failure != null && dead ? " (" + failure + ")" : "";
            return (process.isAlive() ? "was stopped" : "exited with status " + process.exitValue()) + why;
        }

        @Override
        public RuntimeException timedOut(String call, long timeoutNanos) {
            kill(this, call + " ran past the call timeout");
            return new GateFault(spec.name(), true, "call " + call + " into compartment " + spec.name()
                    + " ran past its timeout of " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                    + " ms; its process is killed" + restartNote());
        }

        @Override
        public RuntimeException thrown(String call, String type, String message, boolean error) {
            if (error) {
                // After an Error the process's state cannot be trusted (a hoard, a broken invariant): stop it.
                kill(this, "it crashed with " + type);
            }
            return RemoteExceptions.rebuild(spec.name(), call, type, message, error);
        }

        @Override
        public RuntimeException violated(String call, String what) {
            // A malformed message means the process no longer follows the protocol: nothing else it sends is trusted.
            kill(this, "it broke the RPC format: " + what);
            return new GateFault(spec.name(), true, "compartment " + spec.name() + " sent a malformed message in "
                    + call + " (" + what + "); its process is killed" + restartNote());
        }
    }

    private String restartNote() {
        return options.restart() == RestartPolicy.ALWAYS && !closing ? "; the image restarts it" : "";
    }

    /** The peer's id of {@code object} if it is a gate into this compartment: it then crosses as the callee's own. */
    private long idAtChild(Child c, Object object) {
        if (object != null && Proxy.isProxyClass(object.getClass())
                && Proxy.getInvocationHandler(object) instanceof ForwardGate gate && gate.domain() == this) {
            return c.exportId(gate.library, gate.api.api);
        }
        return -1;
    }

    private Child start() {
        SharedMemoryFile regionFile = SharedMemoryFile.create(spec.name() + "-rpc",
                SlotRegion.bytes(LAUNCHER_SLOTS, CHILD_SLOTS, SLOT_BYTES));
        Process process = null;
        try {
            SlotRegion region = new SlotRegion(regionFile.segment(), LAUNCHER_SLOTS, CHILD_SLOTS, SLOT_BYTES,
                    WaitMode.of(options.gateWait(), options.cpu() != CpuPin.NONE));
            region.format();
            List<String> command = new ArrayList<>(ProcessMechanism.javaCommand(sandbox.isPresent()));
            try (DescriptorHandover handover = DescriptorHandover.listen()) {
                command.addAll(List.of(spec.name(), handover.name(), String.valueOf(LAUNCHER_SLOTS),
                        String.valueOf(CHILD_SLOTS), String.valueOf(SLOT_BYTES),
                        String.valueOf(shared.segment().byteSize()), String.valueOf(spec.heapBytes()),
                        options.sharing().name(), options.gateWait().name(),
                        String.valueOf(ProcessHandle.current().pid()),
                        sandbox.map(SandboxPolicy::encode).orElse("none"), String.valueOf(options.cpu())));
                process = ProcessMechanism.spawn(new ProcessBuilder(command));
                pump(process.getInputStream(), System.out);
                pump(process.getErrorStream(), System.err);
                Process starting = process;
                // Its region and the shared heap, as descriptors to this one process: no other can open them.
                handover.send(process.pid(), new int[] {regionFile.fd(), shared.fd()}, START_TIMEOUT_NANOS,
                        starting::isAlive);
            }
            long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
            while (region.awaitReady(20_000_000L) == 0) {
                if (!process.isAlive()) {
                    int status = process.exitValue();
                    throw new IllegalStateException("the process of compartment " + spec.name()
                            + " exited with status " + status + " before it was ready"
                            + (status == CompartmentProcess.CPU_REFUSED ? ": the kernel refused its cpu: "
                            + options.cpu() + " (offline, absent, or outside the image's cpuset; "
                            + Runtime.getRuntime().availableProcessors() + " CPUs are available)" : ""));
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("the process of compartment " + spec.name()
                            + " was not ready within 60 s");
                }
            }
            Child c = new Child(process, regionFile, region);
            c.endpoint.serve("flexos-" + spec.name() + "-callback");
            Process started = process;
            process.onExit().thenRun(() -> exited(c, started));
            return c;
        } catch (Exception e) {
            if (process != null) {
                process.destroyForcibly();
            }
            regionFile.close();
            throw e instanceof RuntimeException r ? r : new IllegalStateException("cannot start compartment "
                    + spec.name() + ": " + e, e);
        }
    }

    /** Copies a child's output to ours, so that it lands where the image's own output goes. */
    private static void pump(InputStream from, PrintStream to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (from) {
                int n;
                while ((n = from.read(buffer)) > 0) {
                    to.write(buffer, 0, n);
                    to.flush();
                }
            } catch (IOException e) {
                // The process is gone.
            }
        }, "flexos-process-output");
        thread.setDaemon(true);
        thread.start();
    }

    /** Instantiates every placed library in {@code c}, in start order. */
    private void instantiateAll(Child c) {
        for (int i = c.handles.size(); i < placed.size(); i++) {
            instantiateIn(c, placed.get(i));
        }
    }

    private void instantiateIn(Child c, Placed p) {
        Library library = p.library();
        int handle = c.control.prepare(library.getClass().getName(), library.name());
        for (Class<?> api : library.imports()) {
            Object gate = p.context().gate(api);
            if (idAtChild(c, gate) < 0) {
                c.endpoint.export(gate, api);
            }
            c.control.provide(handle, api.getName(), gate);
        }
        c.control.start(handle);
        c.handles.add(handle);
    }

    private void kill(Child c, String reason) {
        if (!c.dead) {
            failure = reason;
            c.dead = true;
            c.process.destroyForcibly();
            c.endpoint.close();
        }
    }

    private void exited(Child c, Process process) {
        c.dead = true;
        c.endpoint.close();
        c.regionFile.close();
        if (closing || child != c) {
            return;
        }
        if (failure == null) {
            failure = "its process exited with status " + process.exitValue();
        }
        if (options.restart() == RestartPolicy.ALWAYS) {
            Thread restarter = new Thread(() -> restart(c), "flexos-restart-" + spec.name());
            restarter.setDaemon(true);
            restarter.start();
        } else {
            child = null;
        }
    }

    private synchronized void restart(Child old) {
        if (closing || child != old) {
            return;
        }
        child = null;
        try {
            Child fresh = start();
            instantiateAll(fresh);
            generation++;
            failure = null;
            child = fresh;
        } catch (RuntimeException e) {
            failure = "its process failed and could not be restarted: " + e.getMessage();
        }
    }

    /** The current process, or a GateFault saying why there is none. */
    private Child live(String call) {
        Child c = child;
        if (c == null || c.dead) {
            String why = failure != null ? failure : "it is stopped";
            throw new GateFault(spec.name(), true, "compartment " + spec.name() + " has failed (" + why + ")"
                    + (options.restart() == RestartPolicy.ALWAYS && !closing ? " and is restarting" : " and takes no more calls")
                    + "; call " + call + " refused");
        }
        return c;
    }

    // ---------------------------------------------------------------- Domain

    @Override
    public synchronized LibraryInstance instantiate(Library library, LibraryMetadata metadata, LibraryContext context) {
        Child c = live("instantiate " + library.name());
        Placed p = new Placed(library, context);
        int index = placed.size();
        placed.add(p);
        instantiateIn(c, p);
        return new ProcessInstance(index);
    }

    @Override
    public <T> T gate(Class<T> api, T target, GateSite site) {
        // The target already is a gate: the export of a library instantiated in this compartment's process.
        return target;
    }

    /** A library instance living in the compartment's process. */
    private final class ProcessInstance implements LibraryInstance {
        private final int library;
        private final Map<Class<?>, Object> gates = new ConcurrentHashMap<>();

        ProcessInstance(int library) {
            this.library = library;
        }

        @Override
        public <T> T export(Class<T> api) {
            if (!placed.get(library).library().exports().contains(api)) {
                throw new IllegalArgumentException("library " + placed.get(library).library().name()
                        + " does not export " + api.getName());
            }
            return api.cast(gates.computeIfAbsent(api, a -> Proxy.newProxyInstance(loaderOf(a), new Class<?>[] {a},
                    new ForwardGate(ProcessDomain.this, library, ApiMethods.of(a)))));
        }

        @Override
        public void close() {
            Child c = child;
            if (c != null && !c.dead && library < c.handles.size()) {
                try {
                    c.control.close(c.handles.get(library));
                } catch (RuntimeException e) {
                    // The process may be failing; closing the domain stops it anyway.
                }
            }
        }
    }

    private static ClassLoader loaderOf(Class<?> api) {
        return api.getClassLoader() != null ? api.getClassLoader() : ClassLoader.getSystemClassLoader();
    }

    /** The gate into an export of a library of this compartment: calls whichever process currently runs it. */
    private static final class ForwardGate implements InvocationHandler {
        private final ProcessDomain domain;
        final int library;
        final ApiMethods api;
        private volatile Binding binding;

        private record Binding(Child child, long id) {
        }

        ForwardGate(ProcessDomain domain, int library, ApiMethods api) {
            this.domain = domain;
            this.library = library;
            this.api = api;
        }

        ProcessDomain domain() {
            return domain;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            int index = api.indexOf(method);
            if (index < 0) {
                Child c = domain.child;
                String description = "process gate into " + api.api.getSimpleName() + " of compartment "
                        + domain.spec.name();
                return c != null ? c.endpoint.local(proxy, method, args, description)
                        : fallbackLocal(proxy, method, args, description);
            }
            Child c = domain.child;
            if (c == null || c.dead) {
                // The description is built only here: concatenating it on every call cost a visible share of it.
                c = domain.live(api.api.getSimpleName() + "." + method.getName());
            }
            Binding b = binding;
            if (b == null || b.child != c) {
                b = new Binding(c, c.exportId(library, api.api));
                binding = b;
            }
            return c.endpoint.call(b.id, api, index, args);
        }

        private static Object fallbackLocal(Object proxy, Method method, Object[] args, String description)
                throws Throwable {
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                case "toString" -> description;
                default -> InvocationHandler.invokeDefault(proxy, method, args);
            };
        }
    }

    /** Kills the process now, as a crash would (for tests of containment and restart). */
    void killForTest() {
        Child c = child;
        if (c != null) {
            c.process.destroyForcibly();
        }
    }

    @Override
    public void close() {
        closing = true;
        Child c = child;
        child = null;
        if (c == null) {
            return;
        }
        // SIGTERM first: the process's shutdown hook closes its libraries (sockets, threads).
        c.process.destroy();
        try {
            if (!c.process.waitFor(2, TimeUnit.SECONDS)) {
                c.process.destroyForcibly();
                c.process.waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            c.process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        c.dead = true;
        c.endpoint.close();
        c.regionFile.close();
    }

}
