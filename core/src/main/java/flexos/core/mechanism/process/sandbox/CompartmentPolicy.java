package flexos.core.mechanism.process.sandbox;

import flexos.core.metadata.HostCapabilities;
import flexos.core.metadata.HostCapability;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The image's side of the sandbox: the {@link SandboxPolicy} of one compartment process, from the {@code [Host]}
 * clauses of the libraries placed in it. A compartment gets the union of its libraries' grants (they share one
 * process); {@code Processes} and {@code Management} are never granted inside a sandbox (no exec, no ptrace, no
 * attach), whatever is declared.
 */
public final class CompartmentPolicy {

    /** The uids of compartment processes start here: far above any real account's. */
    static final int UID_BASE = 1 << 30;
    static final long MAX_FILES = 4096;
    static final long MAX_THREADS = 1024;

    private CompartmentPolicy() {
    }

    /**
     * The uid of the {@code index}-th compartment process of image process {@code imagePid}: distinct for every live
     * compartment of every image on the machine (live pids are distinct), below 2^31.
     */
    public static int uidFor(long imagePid, int index) {
        return UID_BASE + (int) ((imagePid & 0x3FFFFF) << 6) + (index & 63);
    }

    /**
     * The policy of the {@code index}-th process compartment, whose libraries declare {@code host}; relative file
     * grants resolve against {@code workingDirectory}. Throws {@link IllegalArgumentException} for a relative grant
     * that resolves under {@code /proc} or {@code /dev} (its reach was judged as written, without that memory).
     */
    public static SandboxPolicy of(int index, List<HostCapabilities> host, Path workingDirectory) {
        Set<String> read = new LinkedHashSet<>();
        Set<String> write = new LinkedHashSet<>(LandlockRules.jvmWritePaths());
        read.add(Path.of(System.getProperty("java.home")).toAbsolutePath().normalize().toString());
        for (String property : List.of("jdk.module.path", "java.class.path")) {
            String value = System.getProperty(property, "");
            for (String entry : value.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    read.add(Path.of(entry).toAbsolutePath().normalize().toString());
                }
            }
        }
        boolean listen = false;
        boolean connect = false;
        for (HostCapabilities capabilities : host) {
            listen |= capabilities.allows(HostCapability.Sockets.Use.LISTEN);
            connect |= capabilities.allows(HostCapability.Sockets.Use.CONNECT);
            for (HostCapability.FileGrant grant : capabilities.fileGrants()) {
                Path path = grant.resolve(workingDirectory);
                if (grant.relative() && (path.startsWith("/proc") || path.startsWith("/dev"))) {
                    throw new IllegalArgumentException("the file grant " + grant.syntax() + " resolves to " + path
                            + ", under /proc or /dev, which a relative grant may not reach");
                }
                (grant.access() == HostCapability.FileGrant.Access.WRITE ? write : read).add(path.toString());
            }
        }
        read.addAll(LandlockRules.jvmReadPaths(listen || connect));
        int uid = Sandbox.root() ? uidFor(ProcessHandle.current().pid(), index) : -1;
        return new SandboxPolicy(uid, new ArrayList<>(read), new ArrayList<>(write), listen, connect, MAX_FILES,
                MAX_THREADS);
    }
}
