package flexos.core.mechanism.mpk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.core.config.CompartmentSpec;
import flexos.core.image.Image;
import flexos.core.image.ImageBuildException;
import flexos.core.image.ImageBuilder;
import flexos.core.image.LibraryCatalog;
import flexos.core.mechanism.Mechanisms;
import flexos.core.memory.ImageMemory;
import flexos.core.memory.MemoryRegion;
import flexos.core.metadata.SourceLocation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Whole mpk images on real hardware. A protection-key fault stops the JVM it happens in, so each scenario runs in a
 * JVM of its own ({@link MpkScenarios}), and the test reads its crash report as {@code flexos} does.
 */
@RequiresPku
class MpkImageTest {

    /** How one scenario JVM ended. */
    record Run(int exit, String output, Optional<PkeyFaultReport> fault, long pid) {
    }

    private static Run scenario(String name) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("flexos-mpk-test-");
        try {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            List<String> command = List.of(java.toString(), "-Xmx256m", "-XX:+UseSerialGC",
                    "-XX:ErrorFile=" + dir.resolve("hs_err_pid%p.log"), "-XX:-CreateCoredumpOnCrash",
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    MpkScenarios.class.getName(), name);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output;
            try {
                if (!process.waitFor(120, TimeUnit.SECONDS)) {
                    throw new AssertionError("scenario " + name + " did not end within 120 s");
                }
                output = process.getInputStream().readAllBytes();
            } finally {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            Path report = dir.resolve("hs_err_pid" + process.pid() + ".log");
            Optional<PkeyFaultReport> fault = PkeyFaultReport.read(report);
            return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8), fault, process.pid());
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static PkeyFaultReport stoppedByAFault(Run run) {
        assertTrue(run.output().contains("ready"), run.output());
        assertFalse(run.output().contains("survived"), "the access went through:\n" + run.output());
        // 134 (SIGABRT) when the JVM may dump core, 1 with -XX:-CreateCoredumpOnCrash.
        assertTrue(run.exit() != 0, "the JVM should stop on the fault:\n" + run.output());
        assertTrue(run.fault().isPresent(), "the crash report records no protection-key fault:\n" + run.output());
        assertTrue(CompartmentMap.fileOf(run.pid()).toFile().delete(), "the crashed JVM left no compartment map");
        return run.fault().get();
    }

    @Test
    void aLibraryWithNativeAccessThatReadsAnotherCompartmentsHeapStopsTheImage() throws Exception {
        PkeyFaultReport fault = stoppedByAFault(scenario("read-other-heap"));
        assertEquals(Optional.of("trusted"), fault.heapCompartment(), fault.explain());
        assertEquals(List.of("hostile"), fault.toucherCompartments(), fault.explain());
        assertFalse(fault.write());
        assertTrue(fault.explain().startsWith("protection-key fault: library mpk-intruder (compartment hostile, in "
                + MpkTestLibraries.IntruderLibrary.RawAccess.class.getName() + ".readAt) read address 0x"), fault.explain());
        assertTrue(fault.explain().contains("in the private heap of mpk compartment trusted of image mpk-scenario"
                + " (protection key " + fault.heap().orElseThrow().key() + ", offset 128)"), fault.explain());
    }

    @Test
    void aWriteIsStoppedTooAndNamedAWrite() throws Exception {
        PkeyFaultReport fault = stoppedByAFault(scenario("write-other-heap"));
        assertTrue(fault.write(), fault.explain());
        assertEquals(Optional.of("trusted"), fault.heapCompartment());
        assertEquals(List.of("hostile"), fault.toucherCompartments());
    }

    @Test
    void aThreadThatNeverEnteredTheCompartmentCannotReadItsHeap() throws Exception {
        PkeyFaultReport fault = stoppedByAFault(scenario("outside-thread"));
        assertEquals(Optional.of("trusted"), fault.heapCompartment());
        assertTrue(fault.toucher().isEmpty(), fault.explain());
        assertTrue(fault.explain().startsWith("protection-key fault: code that is no library's ("
                + MpkScenarios.class.getName() + ".main) read"), fault.explain());
    }

    @Test
    void everythingTheJvmNeedsWorksOnAThreadInsideACompartment() throws Exception {
        Run run = scenario("jvm-needs");
        assertEquals(0, run.exit(), run.fault().map(PkeyFaultReport::explain).orElse(run.output()));
        String line = run.output().lines().filter(l -> l.startsWith("survived: ")).findFirst().orElseThrow();
        for (String step : List.of("allocated 64 MiB and collected", "record, lambda, string switch",
                "compiled a hot method", "from compiled code (true)", "a stack overflow caught", "walked the stack (true)",
                "a contended monitor and a thread (true)", "a direct buffer (42)", "its own heap (1234)",
                "PKRU unchanged: true")) {
            assertTrue(line.contains(step), step + " missing from: " + line);
        }
        assertTrue(run.output().contains("secret: 5ec7e7"), run.output());
    }

    @Test
    void aJvmThatExitsWithoutClosingItsImageLeavesNoCompartmentMap() throws Exception {
        Run run = scenario("exit-without-close");
        assertEquals(0, run.exit(), run.output());
        assertFalse(Files.exists(CompartmentMap.fileOf(run.pid())), "the map of a JVM that exited was left behind");
    }

    @Test
    void anImageStartsRunsAndStopsAndGivesItsKeysBack() throws Exception {
        ImageBuilder builder = new ImageBuilder(LibraryCatalog.of(MpkTestLibraries.all()), Mechanisms.builtIn());
        SourceLocation here = new SourceLocation(Path.of("mpk-image.yaml"), 1, 1);
        MpkMechanism mpk = (MpkMechanism) Mechanisms.builtIn().named("mpk");
        List<CompartmentSpec> compartments = List.of(new CompartmentSpec("trusted", mpk, true, 1 << 20, here),
                new CompartmentSpec("hostile", mpk, false, 1 << 20, here));
        var config = new flexos.core.config.ImageConfig(Path.of("mpk-image.yaml"), "mpk-image", "mpk-driver",
                compartments, java.util.Map.of("mpk-intruder",
                        new flexos.core.config.LibraryPlacement("mpk-intruder", "hostile", List.of(), here)), 1 << 20);
        int heapsBefore = ProtectedHeap.all().size();
        try (Image image = Image.start(builder.plan(config))) {
            assertEquals(heapsBefore + 2, ProtectedHeap.all().size());
            assertEquals(0, image.run(List.of()));
            MpkTestLibraries.Secrets vault = image.gateSeenBy("mpk-driver", MpkTestLibraries.Secrets.class);
            vault.seal(7);
            assertEquals(7, vault.secret());
            assertTrue(Files.readString(CompartmentMap.fileOf(ProcessHandle.current().pid()))
                    .contains("library\tmpk-image\thostile\tmpk-intruder\t"));
        }
        assertEquals(heapsBefore, ProtectedHeap.all().size(), "the image's heaps (and keys) were not released");
    }

    @Test
    void theSixteenthKeyIsRefusedWithAReasonAndClosingHeapsGivesKeysBack() {
        List<MemoryRegion> heaps = new ArrayList<>();
        try {
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> {
                for (int i = 0; i < 16; i++) {
                    heaps.add(ProtectedHeap.map("many", "c" + i, 1 << 16));
                }
            });
            assertTrue(heaps.size() <= MpkMechanism.USABLE_KEYS, heaps.size() + " keys");
            assertTrue(refused.getMessage().startsWith("no protection key is left for mpk compartment c"),
                    refused.getMessage());
        } finally {
            heaps.forEach(MemoryRegion::close);
        }
        try (ImageMemory memory = new ImageMemory(1 << 16)) {
            memory.addPrivateHeap("again", ProtectedHeap.map("many", "again", 1 << 16));
        }
    }

    @Test
    void aMachineWithKeysBuildsAnMpkImage() throws ImageBuildException {
        assertTrue(Mechanisms.builtIn().named("mpk").availability().available());
    }
}
