package flexos.core.mechanism.process;

import flexos.core.component.InstanceContext;
import flexos.core.component.Library;
import flexos.core.component.LibraryInstance;
import flexos.core.config.SharingStrategy;
import flexos.core.mechanism.GateFault;
import flexos.core.mechanism.process.sandbox.DescriptorHandover;
import flexos.core.mechanism.process.sandbox.Linux;
import flexos.core.mechanism.process.sandbox.Sandbox;
import flexos.core.mechanism.process.sandbox.SandboxPolicy;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;

/**
 * The entry point of a compartment process, started by {@link ProcessDomain} with the image's own JDK and module
 * path. It maps the RPC region and the shared heap, makes its own private heap (which exists in this process only),
 * serves the image's calls and instantiates the compartment's libraries when asked.
 *
 * <p>It never outlives the image: {@code PR_SET_PDEATHSIG} kills it when the image's spawning thread exits, and a
 * watchdog halts it within 100 ms once its parent is no longer the image (the image died before the signal was
 * armed). It makes itself non-dumpable, takes its memory from the descriptors the image hands over, and, unless its
 * compartment says {@code sandbox: none}, enters its {@link Sandbox} before it loads any library.
 */
public final class CompartmentProcess {

    /** Exit status when the image is gone. */
    static final int ORPHANED = 3;
    /** Exit status of a compartment process that received a message from the image breaking the RPC format. */
    static final int IMAGE_BROKE_PROTOCOL = 4;
    /** Exit status of a compartment process whose {@code cpu:} the kernel refused (the reason is on its stderr). */
    static final int CPU_REFUSED = 5;
    private static final long WATCH_MILLIS = 50;

    private final String compartment;
    private final MemorySegment privateHeap;
    private final MemorySegment sharedHeap;
    private final List<Prepared> libraries = new ArrayList<>();
    private volatile boolean parentGone;

    private static final class Prepared {
        final Library library;
        final Map<Class<?>, Object> gates = new HashMap<>();
        LibraryInstance instance;

        Prepared(Library library) {
            this.library = library;
        }
    }

    private CompartmentProcess(String compartment, MemorySegment privateHeap, MemorySegment sharedHeap) {
        this.compartment = compartment;
        this.privateHeap = privateHeap;
        this.sharedHeap = sharedHeap;
    }

    /**
     * Arguments: compartment, handover socket name, launcher slots, child slots, slot bytes, shared heap bytes,
     * private heap bytes, sharing, wait, launcher pid, sandbox policy ({@link SandboxPolicy#encode()}) or
     * {@code none}, CPU ({@code -1}: none).
     */
    public static void main(String[] args) throws Exception {
        Syscalls.killMeWithParent();
        long launcher = Long.parseLong(args[9]);
        if (ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L) != launcher) {
            System.exit(ORPHANED);
        }
        Sandbox.forbidInspection();
        String compartment = args[0];
        int launcherSlots = Integer.parseInt(args[2]);
        int childSlots = Integer.parseInt(args[3]);
        long slotBytes = Long.parseLong(args[4]);
        // The only way to the image's memory: the two descriptors it hands over, region first.
        int[] fds = DescriptorHandover.receive(args[1], launcher, 2);
        Arena arena = Arena.ofShared();
        MemorySegment regionMemory = SharedMemoryFile.adopt(fds[0],
                SlotRegion.bytes(launcherSlots, childSlots, slotBytes), arena);
        MemorySegment shared = SharedMemoryFile.adopt(fds[1], Long.parseLong(args[5]), arena);
        // A file mapping, so that pages are zeroed lazily as the heap is used; it has no name and is never shared.
        SharedMemoryFile own = SharedMemoryFile.create(compartment + "-private", Long.parseLong(args[6]));
        SharingStrategy sharing = SharingStrategy.valueOf(args[7]);
        GateWait wait = GateWait.valueOf(args[8]);
        int cpu = Integer.parseInt(args[11]);
        if (cpu != CpuPin.NONE) {
            // The gate threads start below and inherit it; pinning again would need a system call the sandbox denies.
            try {
                Syscalls.pinThisThread(cpu);
            } catch (IllegalStateException refused) {
                System.err.println("compartment " + compartment + ": " + refused.getMessage());
                System.exit(CPU_REFUSED);
            }
        }
        if (!args[10].equals("none")) {
            // Before any library is loaded and before this process starts a thread of its own.
            Sandbox.enter(SandboxPolicy.decode(args[10]));
        }

        CompartmentProcess process = new CompartmentProcess(compartment, own.segment(), shared);
        process.watch(launcher);
        SlotRegion region = new SlotRegion(regionMemory, launcherSlots, childSlots, slotBytes,
                WaitMode.of(wait, cpu != CpuPin.NONE));
        RpcEndpoint endpoint = new RpcEndpoint(CallSlot.CHILD, region, process.events(), sharing, shared, 0);
        CountDownLatch stop = new CountDownLatch(1);
        long control = endpoint.export(process.control(endpoint), CompartmentControl.class);
        if (control != CompartmentControl.ID) {
            throw new IllegalStateException("the control object got id " + control);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(process::closeAll, "flexos-compartment-close"));
        endpoint.serve("flexos-" + compartment + "-gate");
        region.announceReady(ProcessHandle.current().pid());
        stop.await();
    }

    private void watch(long launcher) {
        Thread watchdog = new Thread(() -> {
            while (true) {
                if (Linux.parentPid() != launcher) {
                    parentGone = true;
                    Runtime.getRuntime().halt(ORPHANED);
                }
                try {
                    Thread.sleep(WATCH_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "flexos-parent-watch");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private RpcEndpoint.PeerEvents events() {
        return new RpcEndpoint.PeerEvents() {
            @Override
            public String compartment() {
                return compartment;
            }

            @Override
            public boolean gone() {
                return parentGone;
            }

            @Override
            public RuntimeException goneFault(String call) {
                return new GateFault(compartment, true, "the image that started compartment " + compartment + " is gone");
            }

            @Override
            public RuntimeException timedOut(String call, long timeoutNanos) {
                return new GateFault(compartment, false, "call " + call + " timed out");
            }

            @Override
            public RuntimeException thrown(String call, String type, String message, boolean error) {
                return RemoteExceptions.rebuild("image", call, type, message, error);
            }

            @Override
            public RuntimeException violated(String call, String what) {
                // This process trusts its image no more than the image trusts it: it stops at once, and the image
                // sees it gone (its callers get a GateFault).
                System.err.println("compartment " + compartment + ": the image broke the RPC format in " + call
                        + " (" + what + "); stopping");
                Runtime.getRuntime().halt(IMAGE_BROKE_PROTOCOL);
                return new GateFault(compartment, true, "the image broke the RPC format in " + call + ": " + what);
            }
        };
    }

    private synchronized void closeAll() {
        for (Prepared p : libraries.reversed()) {
            LibraryInstance instance = p.instance;
            p.instance = null;
            if (instance != null) {
                try {
                    instance.close();
                } catch (RuntimeException e) {
                    // Closing on the way out: the others still get closed.
                }
            }
        }
    }

    private CompartmentControl control(RpcEndpoint endpoint) {
        return new CompartmentControl() {
            @Override
            public int prepare(String libraryClass, String libraryName) {
                synchronized (CompartmentProcess.this) {
                    libraries.add(new Prepared(load(libraryClass)));
                    return libraries.size() - 1;
                }
            }

            @Override
            public void provide(int library, String api, Object gate) {
                Class<?> type = RpcEndpoint.classNamed(api);
                prepared(library).gates.put(type, type.cast(gate));
            }

            @Override
            public void start(int library) {
                Prepared p = prepared(library);
                p.instance = p.library.instantiate(new InstanceContext(compartment, p.gates, privateHeap, sharedHeap));
            }

            @Override
            public long export(int library, String api) {
                Class<?> type = RpcEndpoint.classNamed(api);
                LibraryInstance instance = prepared(library).instance;
                if (instance == null) {
                    throw new IllegalStateException("library " + library + " is not started");
                }
                return endpoint.export(instance.export(type), type);
            }

            @Override
            public void close(int library) {
                Prepared p = prepared(library);
                LibraryInstance instance = p.instance;
                p.instance = null;
                if (instance != null) {
                    instance.close();
                }
            }
        };
    }

    private synchronized Prepared prepared(int library) {
        return libraries.get(library);
    }

    /** The library class: a provider of the boot layer (module path), or a class with a constructor (class path). */
    private static Library load(String libraryClass) {
        for (ServiceLoader.Provider<Library> provider : ServiceLoader.load(ModuleLayer.boot(), Library.class)
                .stream().toList()) {
            if (provider.type().getName().equals(libraryClass)) {
                return provider.get();
            }
        }
        try {
            Class<?> type = RpcEndpoint.classNamed(libraryClass);
            Constructor<?> constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            return (Library) constructor.newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot instantiate library class " + libraryClass
                    + " in a compartment process: " + e, e);
        }
    }
}
