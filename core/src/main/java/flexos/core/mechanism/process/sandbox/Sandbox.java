package flexos.core.mechanism.process.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

/**
 * The sandbox of a compartment process, layer by layer (docs/process-mechanism.md, "The sandbox"). The image asks
 * {@link #missingFeatures()} before it starts a sandboxed compartment and refuses, naming what is missing; the
 * compartment process calls {@link #enter} once, on its main thread, after it took its descriptors and before it
 * loads any library. Each layer either takes effect or throws, and the process then exits: it never runs with fewer
 * layers than its policy asks.
 */
public final class Sandbox {

    private static final int PR_SET_DUMPABLE = 4;
    private static final int PR_SET_NO_NEW_PRIVS = 38;
    private static final int PR_GET_NO_NEW_PRIVS = 39;
    private static final int PR_GET_DUMPABLE = 3;

    private Sandbox() {
    }

    /**
     * Makes this process non-dumpable: no process without {@code CAP_SYS_PTRACE} can ptrace it, read its
     * {@code /proc/<pid>/mem}, or open its {@code /proc/<pid>/fd}; no core file is written.
     */
    public static void forbidInspection() {
        Linux.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    }

    /** Whether this process is dumpable (the image's and every compartment's should not be). */
    public static boolean dumpable() {
        return Linux.prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0;
    }

    /** Whether this process runs as root, and so can give each compartment its own uid. */
    public static boolean root() {
        return Identity.effectiveUid() == 0;
    }

    /**
     * The kernel features a full sandbox needs and this machine lacks, each named with what it is for; empty when
     * all are there.
     */
    public static List<String> missingFeatures() {
        List<String> missing = new ArrayList<>();
        if (Linux.SYSCALL_NUMBERS == null) {
            missing.add("Linux on x86_64 or aarch64 (this is " + System.getProperty("os.arch") + ")");
            return missing;
        }
        if (!SeccompFilter.supported()) {
            missing.add("a seccomp allowlist for " + System.getProperty("os.arch") + " (only x86_64 has one)");
        } else if (!seccompFilters()) {
            missing.add("seccomp-bpf (CONFIG_SECCOMP_FILTER): the system call allowlist");
        }
        int abi = LandlockRules.abi();
        if (abi < LandlockRules.MINIMUM_ABI) {
            missing.add("Landlock ABI " + LandlockRules.MINIMUM_ABI + " (file, TCP, signal and socket scopes): this "
                    + "kernel has " + (abi == 0 ? "no Landlock (not built, or not in lsm=)" : "ABI " + abi));
        }
        try {
            Linux.prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
        } catch (Linux.LinuxError e) {
            missing.add("PR_SET_NO_NEW_PRIVS: " + e.getMessage());
        }
        try {
            Descriptors.close(Descriptors.memoryFile("flexos-probe"));
        } catch (Linux.LinuxError e) {
            missing.add("memfd_create: " + e.getMessage());
        }
        return missing;
    }

    private static boolean seccompFilters() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .anyMatch(line -> line.startsWith("Seccomp_filters:"));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Enters {@code policy}'s sandbox, in this order: the rlimits; the Landlock ruleset built (under the image's
     * identity, which can still name every path); the compartment's own uid and gid when it has one; non-dumpable
     * again (a uid change resets it); {@code no_new_privs}; the Landlock domain; the seccomp allowlist on every thread.
     * Call on the main thread before starting any thread that runs library code.
     */
    public static void enter(SandboxPolicy policy) {
        LayerClock clock = new LayerClock();
        if (policy.uid() >= 0) {
            // The new identity may not be able to read the class and module path (a 0700 home): open every jar now,
            // the JVM keeps them open and reads classes through those descriptors.
            openEveryJar();
            clock.lap("open jars");
        }
        ResourceLimits.cap("RLIMIT_CORE", ResourceLimits.RLIMIT_CORE, 0);
        ResourceLimits.cap("RLIMIT_NOFILE", ResourceLimits.RLIMIT_NOFILE, policy.maxFiles());
        clock.lap("rlimits");
        int ruleset = LandlockRules.ruleset(policy);
        clock.lap("landlock ruleset");
        if (policy.uid() >= 0) {
            // RLIMIT_NPROC counts the processes and threads of the real uid: meaningful for a uid of its own only.
            ResourceLimits.cap("RLIMIT_NPROC", ResourceLimits.RLIMIT_NPROC, policy.maxThreads());
            Identity.become(policy.uid());
            clock.lap("identity");
        }
        forbidInspection();
        Linux.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
        clock.lap("no_new_privs");
        LandlockRules.restrictSelf(ruleset);
        clock.lap("landlock restrict");
        SeccompFilter.install();
        clock.lap("seccomp");
        clock.report();
    }

    /** With {@code -Dflexos.sandbox.timing=true}: how long each layer took to enter, printed to standard error. */
    private static final class LayerClock {
        private final boolean on = Boolean.getBoolean(TIMING_PROPERTY);
        private final StringBuilder laps = new StringBuilder();
        private long last = System.nanoTime();

        void lap(String layer) {
            if (on) {
                long now = System.nanoTime();
                laps.append(laps.isEmpty() ? "" : ", ").append(layer).append(' ').append((now - last) / 1000);
                last = now;
            }
        }

        void report() {
            if (on) {
                System.err.println("flexos: sandbox of process " + ProcessHandle.current().pid() + " entered, per layer"
                        + " in microseconds: " + laps);
            }
        }
    }

    /** The system property that turns the per-layer timing on; the image passes it on to its compartments. */
    public static final String TIMING_PROPERTY = "flexos.sandbox.timing";

    /** Opens every jar of the class path and the boot layer, through the class loaders that keep them open. */
    private static void openEveryJar() {
        try {
            Enumeration<java.net.URL> none = ClassLoader.getSystemClassLoader()
                    .getResources("META-INF/flexos-sandbox/opens-every-jar");
            while (none.hasMoreElements()) {
                none.nextElement();
            }
            for (Module module : ModuleLayer.boot().modules()) {
                try (InputStream in = module.getResourceAsStream("module-info.class")) {
                    // Only opening the module's reader matters.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not open the class and module path before the identity change", e);
        }
    }
}
