package flexos.core.mechanism.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.core.config.SharingStrategy;
import flexos.core.image.Image;
import flexos.core.mechanism.GateFault;
import flexos.core.mechanism.process.ProbeLibraries.Probe;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code process} mechanism end to end: a real image whose {@code probe} library runs in a compartment process.
 * Every test checks afterwards that no compartment process and no /dev/shm file is left.
 */
class ProcessMechanismTest {

    private final List<Long> childPids = new ArrayList<>();
    private Image image;

    private Probe start(SharingStrategy sharing, long timeoutNanos, RestartPolicy restart, GateWait wait) throws Exception {
        image = ProbeLibraries.start(sharing, timeoutNanos, restart, wait);
        Probe probe = image.gateSeenBy("prober", Probe.class);
        childPids.add(probe.pid());
        return probe;
    }

    @AfterEach
    void nothingIsLeftBehind() throws Exception {
        if (image != null) {
            image.close();
        }
        for (long pid : childPids) {
            assertTrue(gone(pid, 3000), "compartment process " + pid + " is still running");
        }
        assertEquals(List.of(), shmFilesOf(ProcessHandle.current().pid()));
    }

    static boolean gone(long pid, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    static List<String> shmFilesOf(long pid) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("/dev/shm"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("flexos-" + pid + "-")).toList();
        }
    }

    @Test
    void aPinnedCompartmentRunsItsThreadsAndItsCallersOnItsCpu() throws Exception {
        // The first CPU this process may use (CPU 0 may be outside a container's cpuset).
        String allowed = cpusAllowed(Path.of("/proc/self/status"));
        int cpu = Integer.parseInt(allowed.split("[-,]")[0]);
        image = ProbeLibraries.start(new ProcessOptions(SharingStrategy.COPY, 0, RestartPolicy.NEVER, GateWait.SPIN,
                SandboxMode.FULL, cpu));
        Probe probe = image.gateSeenBy("prober", Probe.class);
        // The calls from a thread of their own: the first call pins its thread, which must not be the test's.
        AtomicReference<String> callerCpus = new AtomicReference<>();
        AtomicLong pid = new AtomicLong();
        Thread caller = Thread.ofPlatform().start(() -> {
            assertEquals(42, probe.add(40, 2));
            pid.set(probe.pid());
            callerCpus.set(cpusAllowed(Path.of("/proc/thread-self/status")));
        });
        caller.join(TimeUnit.SECONDS.toMillis(30));
        childPids.add(pid.get());
        assertEquals(String.valueOf(cpu), callerCpus.get(), "the image thread that called");
        int gateThreads = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid.get() + "/task"))) {
            for (Path task : tasks.toList()) {
                // Every thread the compartment starts is a flexos- one; the JVM's own started before the pin.
                if (Files.readString(task.resolve("comm")).startsWith("flexos-")) {
                    gateThreads++;
                    assertEquals(String.valueOf(cpu), cpusAllowed(task.resolve("status")), "compartment thread " + task);
                }
            }
        }
        assertTrue(gateThreads > 0, "no gate thread found in " + pid.get());
    }

    @Test
    void aCpuTheKernelRefusesFailsTheStartAndSaysWhy() {
        Exception refused = assertThrows(Exception.class, () -> ProbeLibraries.start(new ProcessOptions(
                SharingStrategy.COPY, 0, RestartPolicy.NEVER, GateWait.SPIN, SandboxMode.FULL, CpuPin.MAX_CPU)));
        String message = messages(refused);
        assertTrue(message.contains("the kernel refused its cpu: 1023"), message);
    }

    private static String messages(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c).append(" / ");
        }
        return all.toString();
    }

    private static String cpusAllowed(Path status) {
        try {
            return Files.readAllLines(status).stream().filter(l -> l.startsWith("Cpus_allowed_list:"))
                    .map(l -> l.substring("Cpus_allowed_list:".length()).trim()).findFirst().orElse("?");
        } catch (IOException e) {
            return "unreadable: " + e;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"SPIN", "BLOCK"})
    void valuesSegmentsAndArraysCrossAndOutParametersComeBack(String wait) throws Exception {
        Probe probe = start(SharingStrategy.COPY, 0, RestartPolicy.NEVER, GateWait.valueOf(wait));
        assertNotEquals(ProcessHandle.current().pid(), probe.pid(), "the probe runs in another process");
        assertEquals(42, probe.add(40, 2));
        assertTrue(probe.greet("image").startsWith("hello image from " + probe.pid()));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment block = arena.allocate(1000);
            block.fill((byte) 3);
            assertEquals(3000, probe.checksum(block));
            probe.fill(block, (byte) 7);
            assertEquals(7, block.get(ValueLayout.JAVA_BYTE, 999), "a writable segment is copied back");
            assertEquals(7000, probe.checksum(block.asReadOnly()));
        }
        int[] out = new int[5];
        assertEquals(5, probe.fillInts(out));
        assertArrayEquals(new int[] {0, 1, 4, 9, 16}, out);
    }

    @Test
    void underSharedASegmentOfTheSharedHeapCrossesByReference() throws Exception {
        Probe probe = start(SharingStrategy.SHARED, 0, RestartPolicy.NEVER, GateWait.SPIN);
        MemorySegment shared = ProbeLibraries.sharedHeap.asSlice(4096, 64);
        probe.fill(shared, (byte) 9);
        assertEquals(9, shared.get(ValueLayout.JAVA_BYTE, 63));
        assertEquals(9 * 64, probe.checksum(shared));
    }

    @Test
    void callbacksNestAndReenterWithoutDeadlock() throws Exception {
        Probe probe = start(SharingStrategy.COPY, 0, RestartPolicy.NEVER, GateWait.SPIN);
        // image -> probe.visit -> visitor (back in the image) -> probe.add (into the process again), 3 levels deep.
        long sum = probe.visit(4, i -> probe.add(i, probe.visit(2, j -> j * 10)));
        assertEquals((0 + 1 + 2 + 3) + 4 * 10, sum);
    }

    @Test
    void segmentsOfNestedCallsKeepTheirOwnFramesInTheSlot() throws Exception {
        Probe probe = start(SharingStrategy.COPY, 0, RestartPolicy.NEVER, GateWait.SPIN);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment outer = arena.allocate(4096);
            MemorySegment inner = arena.allocate(4096);
            // The callee works on the outer block in place in the slot while the call back sends the inner block
            // through the same slot: the inner call must not overwrite the outer one's bytes.
            long sum = probe.fillVisitAndSum(outer, (byte) 5, i -> {
                probe.fill(inner, (byte) 9);
                return probe.checksum(inner);
            });
            assertEquals(5 * 4096, sum);
            assertEquals(5, outer.get(ValueLayout.JAVA_BYTE, 4095), "the outer block came back");
            assertEquals(9, inner.get(ValueLayout.JAVA_BYTE, 4095), "the inner block came back");
        }
    }

    @Test
    void privateMemoryOfTheImageIsNotMappedInTheCompartment() throws Exception {
        Probe probe = start(SharingStrategy.COPY, 0, RestartPolicy.NEVER, GateWait.SPIN);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment secret = arena.allocate(8, 4096);
            secret.set(ValueLayout.JAVA_LONG, 0, 0x5EC7E7L);
            long read;
            try {
                read = probe.readAddress(secret.address());
            } catch (GateFault crashed) {
                read = -1; // the address is not mapped there: the read crashed the compartment's JVM
            }
            assertNotEquals(0x5EC7E7L, read);
        }
    }

    @Test
    void exceptionsCrossAsApiExceptionsOrGateFaults() throws Exception {
        Probe probe = start(SharingStrategy.COPY, 0, RestartPolicy.NEVER, GateWait.SPIN);
        IllegalArgumentException argument = assertThrows(IllegalArgumentException.class, () -> probe.fail("argument"));
        assertEquals("bad argument", argument.getMessage());
        GateFault own = assertThrows(GateFault.class, () -> probe.fail("own"));
        assertTrue(own.getMessage().contains("ProbeTrouble") && own.getMessage().contains("trouble"), own.getMessage());
        assertFalse(own.compartmentFailed());
        assertEquals(3, probe.add(1, 2), "the compartment still works");
        GateFault error = assertThrows(GateFault.class, () -> probe.fail("error"));
        assertTrue(error.compartmentFailed() && error.getMessage().contains("AssertionError"), error.getMessage());
        GateFault later = assertThrows(GateFault.class, () -> probe.add(1, 2));
        assertTrue(later.getMessage().contains("has failed"), later.getMessage());
    }

    @Test
    void systemExitInTheCompartmentIsContained() throws Exception {
        Probe probe = start(SharingStrategy.COPY, 0, RestartPolicy.NEVER, GateWait.SPIN);
        GateFault exit = assertThrows(GateFault.class, () -> probe.fail("exit"));
        assertTrue(exit.getMessage().contains("exited with status 66"), exit.getMessage());
    }

    @Test
    void aHangingCallEndsAtTheCallTimeoutAndTheProcessIsKilled() throws Exception {
        // The timeout also bounds the image's first calls (the export lookup), which a loaded machine can slow down
        // to several hundred ms: 2 s keeps them clear of it. The hang itself never ends, so ending at all, no sooner
        // than the timeout and well before 10 s more, shows it was the timeout that ended it.
        long timeoutMillis = 2000;
        Probe probe = start(SharingStrategy.COPY, TimeUnit.MILLISECONDS.toNanos(timeoutMillis), RestartPolicy.NEVER,
                GateWait.SPIN);
        long pid = probe.pid();
        long began = System.nanoTime();
        GateFault timeout = assertThrows(GateFault.class, () -> probe.fail("hang"));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        assertTrue(timeout.getMessage().contains("timeout"), timeout.getMessage());
        assertTrue(timeout.getMessage().contains("Probe.fail"), "the hanging call, not a set-up call, timed out: "
                + timeout.getMessage());
        assertTrue(tookMillis >= timeoutMillis && tookMillis < timeoutMillis + 10_000, "took " + tookMillis + " ms");
        assertTrue(gone(pid, 2000));
    }

    @Test
    void killingTheProcessMidLoadFailsEveryWaitingCallerQuicklyAndRestartBringsItBack() throws Exception {
        Probe probe = start(SharingStrategy.COPY, 0, RestartPolicy.ALWAYS, GateWait.SPIN);
        long pid = probe.pid();
        assertEquals(1, probe.bump());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong failedAt = new AtomicLong();
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Thread caller = new Thread(() -> {
                try {
                    while (true) {
                        probe.visit(1000, i -> i);
                    }
                } catch (Throwable e) {
                    failedAt.compareAndSet(0, System.nanoTime());
                    failure.compareAndSet(null, e);
                }
            });
            callers.add(caller);
            caller.start();
        }
        Thread.sleep(200);
        long killedAt = System.nanoTime();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        for (Thread caller : callers) {
            caller.join(5000);
            assertFalse(caller.isAlive(), "a caller still waits on the killed compartment");
        }
        assertTrue(failure.get() instanceof GateFault, String.valueOf(failure.get()));
        long detectMillis = TimeUnit.NANOSECONDS.toMillis(failedAt.get() - killedAt);
        assertTrue(detectMillis < 500, "callers failed " + detectMillis + " ms after the kill");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long restarted = -1;
        while (System.nanoTime() < deadline) {
            try {
                restarted = probe.pid();
                break;
            } catch (GateFault restarting) {
                Thread.sleep(50);
            }
        }
        assertTrue(restarted > 0 && restarted != pid, "restarted as " + restarted);
        childPids.add(restarted);
        assertEquals(1, probe.bump(), "the restarted compartment instantiated its libraries afresh");
        assertEquals(5, probe.add(2, 3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"kill", "term", "exit", "throw"})
    void whenTheLauncherEndsNoProcessAndNoSharedMemoryFileRemains(String how) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), ProbeLibraries.class.getName(),
                how.equals("exit") || how.equals("throw") ? how : "wait"));
        Process launcher = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(launcher.getInputStream()));
            long child = -1;
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("child-pid ")) {
                    child = Long.parseLong(line.substring("child-pid ".length()));
                    break;
                }
            }
            assertTrue(child > 0, "the launcher did not start its compartment");
            switch (how) {
                case "kill" -> launcher.destroyForcibly();
                case "term" -> launcher.destroy();
                default -> { }
            }
            assertTrue(launcher.waitFor(10, TimeUnit.SECONDS), "the launcher did not end");
            assertTrue(gone(child, 3000), "compartment process " + child + " outlived its launcher (" + how + ")");
            assertEquals(List.of(), shmFilesOf(launcher.pid()));
        } finally {
            launcher.destroyForcibly();
        }
    }
}
