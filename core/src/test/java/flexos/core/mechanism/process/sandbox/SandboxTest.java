package flexos.core.mechanism.process.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import flexos.core.image.Image;
import flexos.core.mechanism.process.sandbox.ConfinedLibraries.Confined;
import flexos.core.mechanism.process.sandbox.ConfinedLibraries.LeftConfined;
import flexos.core.mechanism.process.sandbox.ConfinedLibraries.RightConfined;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each layer of the sandbox refusing, from inside a compartment process: two sandboxed compartments ({@code left},
 * {@code right}) try, on the image and on each other, what a hostile library would. Every refusal is checked
 * against something the same call may do (its own pid, a granted file), so that no assertion passes because the
 * call could not work at all. Skipped, with the reason, on a machine that lacks a sandbox feature.
 */
class SandboxTest {

    private static Image image;
    private static Confined left;
    private static Confined right;
    private static long imagePid;

    @BeforeAll
    static void startTheImage() throws Exception {
        List<String> missing = Sandbox.missingFeatures();
        assumeTrue(missing.isEmpty(), "this machine cannot sandbox: " + missing);
        Files.createDirectories(ConfinedLibraries.GRANTED);
        Files.writeString(ConfinedLibraries.GRANTED.resolve("granted.txt"), "granted");
        image = ConfinedLibraries.start(true);
        left = image.gateSeenBy("confiner", LeftConfined.class);
        right = image.gateSeenBy("confiner", RightConfined.class);
        imagePid = ProcessHandle.current().pid();
    }

    @AfterAll
    static void stopTheImage() {
        if (image != null) {
            image.close();
        }
    }

    private static void assertRefused(String outcome) {
        assertTrue(outcome.startsWith("refused"), outcome);
    }

    @Test
    void eachCompartmentHasAnIdentityOfItsOwnWhenTheImageIsRoot() {
        assumeTrue(Sandbox.root(), "the image does not run as root: the compartments keep its uid, and the Landlock"
                + " scopes and the system call filter separate them instead");
        assertNotEquals(0, left.uid());
        assertNotEquals(0, right.uid());
        assertNotEquals(left.uid(), right.uid());
    }

    @Test
    void noProcessIsDumpableAndNoCoreFileIsWritten() {
        assertFalse(Sandbox.dumpable(), "the image");
        assertFalse(left.dumpable(), "a compartment");
        assertEquals(0, left.limit(ResourceLimits.RLIMIT_CORE));
        assertTrue(left.limit(ResourceLimits.RLIMIT_NOFILE) <= CompartmentPolicy.MAX_FILES);
    }

    @Test
    void execIsRefused() {
        assertRefused(left.exec());
    }

    @Test
    void ptraceOfTheImageAndOfTheSiblingIsRefused() {
        assertRefused(left.ptrace(imagePid));
        assertRefused(left.ptrace(right.pid()));
    }

    @Test
    void readingAnotherProcessesMemoryIsRefused() {
        assertRefused(left.readMemoryOf(imagePid));
        assertRefused(left.readMemoryOf(right.pid()));
        assertRefused(left.open("/proc/" + imagePid + "/mem", false));
        assertRefused(left.open("/proc/" + right.pid() + "/mem", false));
        // Its own memory is its own: the refusals above are not a blanket one.
        assertTrue(left.open("/proc/self/maps", false).startsWith("opened"), left.open("/proc/self/maps", false));
    }

    @Test
    void theImagesDescriptorsCannotBeOpened() throws IOException {
        List<String> fds;
        try (Stream<Path> links = Files.list(Path.of("/proc/self/fd"))) {
            fds = links.map(p -> p.getFileName().toString()).toList();
        }
        for (String fd : fds) {
            assertRefused(left.open("/proc/" + imagePid + "/fd/" + fd, false));
        }
    }

    @Test
    void signalsToTheImageAndToTheSiblingAreRefused() {
        assertRefused(left.signal(imagePid));
        assertRefused(left.signal(right.pid()));
        assertRefused(right.signal(left.pid()));
        assertRefused(left.signal(0));
        assertRefused(left.signal(-1));
        assertTrue(left.signal(left.pid()).startsWith("may signal"), "it may signal itself");
    }

    @Test
    void filesOutsideItsRulesAreRefused() {
        String granted = ConfinedLibraries.GRANTED.resolve("granted.txt").toAbsolutePath().toString();
        assertTrue(left.open(granted, false).startsWith("opened"), "left declares Files(read: ./target/sandbox-grant)");
        assertRefused(right.open(granted, false));
        assertRefused(left.open(granted, true));
        assertRefused(left.open("/etc/passwd", false));
        assertRefused(left.open("/tmp/flexos-sandbox-test-" + left.pid(), true));
        assertTrue(left.open(System.getProperty("java.home") + "/release", false).startsWith("opened"),
                "a JVM reads its JDK");
    }

    @Test
    void attachIsRefusedAndDisabled() throws Exception {
        assertRefused(left.attach(imagePid));
        assertRefused(left.attach(right.pid()));
        // The test JVM (unsandboxed) cannot attach to a compartment either: the mechanism is off in there. HotSpot's
        // protocol: the trigger file, SIGQUIT (which then only prints a thread dump), the socket never appears.
        long pid = left.pid();
        Path trigger = Path.of("/tmp/.attach_pid" + pid);
        Files.createFile(trigger);
        try {
            ProcessHandle.of(pid).orElseThrow();
            new ProcessBuilder("kill", "-QUIT", String.valueOf(pid)).inheritIO().start().waitFor();
            Thread.sleep(2000);
            assertFalse(Files.exists(Path.of("/tmp/.java_pid" + pid)), "the compartment opened an attach socket");
        } finally {
            Files.deleteIfExists(trigger);
        }
        assertTrue(left.signal(left.pid()).startsWith("may signal"), "the compartment survived the SIGQUIT");
    }

    @Test
    void socketsFollowTheHostClause() {
        assertTrue(left.listen().startsWith("listening"), "left declares Sockets(listen): " + left.listen());
        assertRefused(right.listen());
    }

    /** The same calls from the same libraries succeed under {@code sandbox: none}: the refusals are the sandbox's. */
    @Test
    void withoutTheSandboxTheSameCallsSucceed() throws Exception {
        Image open = ConfinedLibraries.start(false);
        try {
            Confined openLeft = open.gateSeenBy("confiner", LeftConfined.class);
            Confined openRight = open.gateSeenBy("confiner", RightConfined.class);
            assertTrue(openLeft.exec().startsWith("ran"), openLeft.exec());
            assertTrue(openLeft.open("/etc/passwd", false).startsWith("opened"));
            assertTrue(openLeft.signal(openRight.pid()).startsWith("may signal"));
            assertTrue(openRight.listen().startsWith("listening"));
            assertTrue(open.plan().warnings().stream().anyMatch(w -> w.contains("sandbox: none")),
                    "the plan warns: " + open.plan().warnings());
        } finally {
            open.close();
        }
    }
}
