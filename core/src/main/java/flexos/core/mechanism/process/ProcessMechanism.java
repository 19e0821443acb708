package flexos.core.mechanism.process;

import flexos.core.config.CallTimeout;
import flexos.core.config.CompartmentSpec;
import flexos.core.config.ConfigException;
import flexos.core.config.OptionReader;
import flexos.core.config.SharingStrategy;
import flexos.core.mechanism.Domain;
import flexos.core.mechanism.Mechanism;
import flexos.core.mechanism.MechanismOptions;
import flexos.core.memory.ImageMemory;
import flexos.core.memory.MemoryRegion;
import flexos.core.metadata.LibraryMetadata;
import flexos.core.mechanism.process.sandbox.CompartmentPolicy;
import flexos.core.mechanism.process.sandbox.Sandbox;
import flexos.core.mechanism.process.sandbox.SandboxPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Each compartment in an OS process of its own (SPEC §3; FlexOS's {@code vmept}, one VM per compartment): the MMU
 * keeps every other compartment's private memory out of its address space. The image's shared heap and each
 * compartment's RPC region are files in {@code /dev/shm}, unlinked as soon as they are mapped, and mapped in the
 * image and in the compartment's process; nothing else is shared. Gates are RPCs through per-thread call slots of
 * the RPC region ({@link CallSlot}), marshalled by the compartment's sharing strategy ({@link RpcEndpoint}).
 *
 * <p>The compartment process runs the image's own JDK with its module path (or class path), and instantiates its
 * libraries itself. A process that dies, is killed or hangs past the compartment's {@code call_timeout} fails
 * every call waiting on it with a {@link flexos.core.mechanism.GateFault}; with {@code restart: always} the image
 * starts it again. See docs/process-mechanism.md.
 */
public final class ProcessMechanism implements Mechanism {

    public static final String NAME = "process";

    /**
     * Every compartment process must be started by a thread that lives as long as the image: the parent-death
     * signal fires when the starting <em>thread</em> exits. One daemon thread starts them all.
     */
    private static final ExecutorService SPAWNER = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "flexos-process-spawner");
        thread.setDaemon(true);
        return thread;
    });
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    /**
     * How long the reaper lets an image that is stopping in order (SIGTERM runs its stop hook, which closes its
     * domains and so their processes) finish before it kills what is left.
     */
    private static final long REAP_GRACE_NANOS = 3_000_000_000L;

    static {
        // Normal exit, an uncaught exception, System.exit and SIGTERM all run shutdown hooks; kill -9 of the image
        // is covered by the children's parent-death signal and watchdog. Shutdown hooks run concurrently: killing
        // at once would pull a compartment from under the image's own orderly stop, and its last calls would fail.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long deadline = System.nanoTime() + REAP_GRACE_NANOS;
            while (!LIVE.isEmpty() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    break;
                }
            }
            for (Process p : LIVE) {
                p.destroyForcibly();
            }
        }, "flexos-process-reaper"));
    }

    /**
     * The shared heap files made in this JVM, by the address of their mapping: a fact about the process's mappings,
     * so any instance of the mechanism finds the heap another one placed.
     */
    private static final Map<Long, SharedMemoryFile> sharedHeaps = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Every class the attack suite has rows of: each row is blocked or contained when the attacker has a process of
     * its own (AttackSuiteTest checks it).
     */
    @Override
    public java.util.Set<flexos.core.mechanism.ThreatClass> claims() {
        return java.util.EnumSet.allOf(flexos.core.mechanism.ThreatClass.class);
    }

    @Override
    public List<String> compartmentKeys() {
        return List.of(SharingStrategy.KEY, CallTimeout.KEY, RestartPolicy.KEY, GateWait.KEY, SandboxMode.KEY,
                CpuPin.KEY);
    }

    @Override
    public MechanismOptions readOptions(OptionReader entry) throws ConfigException {
        RestartPolicy restart = entry.choice(RestartPolicy.KEY, RestartPolicy.values(), RestartPolicy::configName,
                "use never (a failed compartment stays failed) or always (the image starts it again)")
                .orElse(RestartPolicy.NEVER);
        GateWait wait = entry.choice(GateWait.KEY, GateWait.values(), GateWait::configName,
                "use spin (spin, yield, then block: lowest latency) or block (block at once: no busy core)")
                .orElse(GateWait.SPIN);
        SandboxMode sandbox = entry.choice(SandboxMode.KEY, SandboxMode.values(), SandboxMode::configName,
                "use full (the default: own identity, system call allowlist, Landlock, rlimits) or none (unsandboxed,"
                        + " as the image's user)")
                .orElse(SandboxMode.FULL);
        return new ProcessOptions(SharingStrategy.read(entry), CallTimeout.read(entry), restart, wait, sandbox,
                CpuPin.read(entry));
    }

    @Override
    public ProcessOptions defaultOptions() {
        return ProcessOptions.DEFAULT;
    }

    @Override
    public Optional<MemoryRegion> sharedHeap(String image, long bytes) {
        SharedMemoryFile file = SharedMemoryFile.create("shared", bytes);
        long address = file.segment().address();
        sharedHeaps.put(address, file);
        SharedHeapArena owner = new SharedHeapArena(file, () -> sharedHeaps.remove(address));
        return Optional.of(MemoryRegion.of("shared", owner, file.segment()));
    }

    /** The shared heap file's arena, which forgets the file when closed. */
    private record SharedHeapArena(SharedMemoryFile file, Runnable onClose) implements java.lang.foreign.Arena {
        @Override
        public java.lang.foreign.MemorySegment allocate(long byteSize, long byteAlignment) {
            return file.allocate(byteSize, byteAlignment);
        }

        @Override
        public java.lang.foreign.MemorySegment.Scope scope() {
            return file.scope();
        }

        @Override
        public void close() {
            onClose.run();
            file.close();
        }
    }

    @Override
    public Domain open(CompartmentSpec compartment, ImageMemory memory) {
        return open(compartment, memory, List.of());
    }

    /**
     * Opens a process compartment whose sandbox grants what {@code placed} declare in their {@code [Host]} clauses.
     * Refuses, naming the missing kernel features, when the compartment is sandboxed and the machine cannot.
     */
    @Override
    public Domain open(CompartmentSpec compartment, ImageMemory memory, List<LibraryMetadata> placed) {
        SharedMemoryFile shared = sharedHeaps.get(memory.sharedHeap().segment().address());
        if (shared == null) {
            throw new IllegalStateException("compartment " + compartment.name() + " uses the process mechanism, but"
                    + " the image's shared heap is not in a file other processes can map");
        }
        // The image holds every compartment's memory: nobody but root may read it through /proc or ptrace.
        Sandbox.forbidInspection();
        ProcessOptions options = compartment.options(ProcessOptions.class);
        Optional<SandboxPolicy> policy = Optional.empty();
        if (options.sandbox() == SandboxMode.FULL) {
            List<String> missing = Sandbox.missingFeatures();
            if (!missing.isEmpty()) {
                throw new IllegalStateException("compartment " + compartment.name() + " cannot be sandboxed on this"
                        + " machine, which lacks: " + String.join("; ", missing) + ". Set 'sandbox: none' on it to run"
                        + " it unsandboxed");
            }
            policy = Optional.of(CompartmentPolicy.of(COMPARTMENTS.getAndIncrement(),
                    placed.stream().map(LibraryMetadata::host).toList(), Path.of("").toAbsolutePath()));
        }
        return new ProcessDomain(compartment, shared, policy);
    }

    /** Counts the process compartments opened in this JVM: each gets a uid of its own. */
    private static final AtomicInteger COMPARTMENTS = new AtomicInteger();

    /** Starts {@code command} from the spawner thread and tracks it until it exits. */
    static Process spawn(ProcessBuilder command) throws Exception {
        // The JVM reads options from these: an agent or a heap dump flag in them would reach every compartment.
        command.environment().keySet().removeAll(List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"));
        Future<Process> started = SPAWNER.submit(command::start);
        Process process = started.get();
        LIVE.add(process);
        process.onExit().thenRun(() -> LIVE.remove(process));
        return process;
    }

    /** The command that starts a compartment process with this JVM's JDK, module path or class path and flags. */
    static List<String> javaCommand(boolean sandboxed) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(
                System.getProperty("java.home") + "/bin/java"));
        boolean named = ProcessMechanism.class.getModule().isNamed();
        for (String argument : ProcessHandle.current().info().arguments().orElse(new String[0])) {
            if (argument.startsWith("--enable-native-access=") || argument.startsWith("--illegal-native-access=")
                    || argument.startsWith("--sun-misc-unsafe-memory-access=")) {
                command.add(argument);
            }
        }
        command.add("--enable-native-access=" + (named ? "flexos.core" : "ALL-UNNAMED"));
        if (WaitCounts.ON) {
            command.add("-Dflexos.process.waitCounts=true");
        }
        if (Boolean.getBoolean(Sandbox.TIMING_PROPERTY)) {
            command.add("-D" + Sandbox.TIMING_PROPERTY + "=true");
        }
        // A compartment's data lives off-heap in its private heap; its Java heap holds objects only.
        command.addAll(List.of("-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xmx256m",
                // No way into the process from outside: no attach (jcmd, agents), no heap dumps, no core files; and no
                // finalizers, which would run library code on a JVM thread started before the sandbox.
                // (No core file either: the process is non-dumpable, and sandboxed its RLIMIT_CORE is 0.)
                "-XX:+DisableAttachMechanism", "-XX:-HeapDumpOnOutOfMemoryError", "--finalization=disabled",
                // A compartment that crashes its JVM (a raw read of an unmapped address) must not litter the image's
                // working directory with crash reports.
                // A sandboxed one may write no file at all: its report is dropped (the exit status still tells).
                "-XX:ErrorFile=" + (sandboxed ? "/dev/null"
                        : System.getProperty("java.io.tmpdir") + "/flexos-compartment-hs_err_%p.log")));
        String classPath = System.getProperty("java.class.path", "");
        if (named) {
            command.addAll(List.of("-p", System.getProperty("jdk.module.path"), "--add-modules", "ALL-MODULE-PATH"));
            if (!classPath.isEmpty()) {
                command.addAll(List.of("-cp", classPath));
            }
            command.addAll(List.of("-m", "flexos.core/" + CompartmentProcess.class.getName()));
        } else {
            command.addAll(List.of("-cp", classPath, CompartmentProcess.class.getName()));
        }
        return command;
    }
}
