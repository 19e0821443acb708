package flexos.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import flexos.core.mechanism.ThreatClass;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The rows of the review's attacks on process compartments (issue 12) beyond {@link AttackSuiteTest}'s run as root:
 * with the sandbox turned off they work again, so the sandbox, not a broken attack, is what stops them; and with
 * the image an unprivileged user, whose compartments then share its uid, {@code process} still stops every row of
 * the classes that identity guards (memory, native memory, processes), while the same attacks still work under {@code fcall}.
 */
class SandboxRowsTest {

    /** The rows of issue 12 that the sandbox stops. */
    private static final List<String> SANDBOX_ROWS = List.of("inject-through-region", "read-sibling-mem",
            "signal-neighbours", "dump-neighbours");
    /** The classes a compartment's identity, its system call filter and its Landlock scopes guard. */
    private static final Set<ThreatClass> HOST_CLASSES = Set.of(ThreatClass.MEMORY_READ, ThreatClass.MEMORY_WRITE,
            ThreatClass.NATIVE_MEMORY, ThreatClass.PROCESS_CONTROL);
    /** Far from the compartments' own uids (from 2^30), from SandboxAsUnprivilegedUserTest's and from any account. */
    private static final int UNPRIVILEGED = (1 << 30) - 23_456;

    private static List<AttackCase> named(List<String> names) {
        return AttackCase.all().stream().filter(a -> names.contains(a.name())).toList();
    }

    private static Map<String, AttackResult> byAttack(List<AttackResult> results, String mechanism) {
        return results.stream().filter(r -> r.mechanism().equals(mechanism))
                .collect(Collectors.toMap(AttackResult::attack, r -> r));
    }

    /** Whether this JVM runs as root: the owner of {@code /proc/self} is its effective uid. */
    private static boolean root() throws IOException {
        return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    }

    @Test
    void withoutTheSandboxTheReviewsAttacksOnNeighboursWorkAgain() {
        String unsandboxed = "process/sandbox=none";
        Map<String, AttackResult> rows = byAttack(AttackSuite.fromThisJvm().withProbeTimeout(20).withParallelism(2)
                .run(named(SANDBOX_ROWS), List.of(unsandboxed), result -> { }), unsandboxed);
        assertEquals(SANDBOX_ROWS.size(), rows.size(), rows.toString());
        for (String attack : List.of("inject-through-region", "read-sibling-mem", "signal-neighbours")) {
            assertEquals(Outcome.SUCCEEDED, rows.get(attack).outcome(), attack + ": " + rows.get(attack).detail());
        }
        assertTrue(rows.get("read-sibling-mem").detail().contains("read the secret"),
                rows.get("read-sibling-mem").detail());
        assertTrue(rows.get("signal-neighbours").detail().contains("status 137"), rows.get("signal-neighbours").detail());
        // No process of the image answers the attach protocol (-XX:+DisableAttachMechanism), sandboxed or not.
        AttackResult dump = rows.get("dump-neighbours");
        assertEquals(Outcome.BLOCKED, dump.outcome(), dump.detail());
        assertFalse(dump.detail().contains("refused to start"), dump.detail());
    }

    @Test
    void asAnUnprivilegedUserProcessStillStopsEveryMemoryAndProcessRow() throws IOException {
        assumeTrue(root(), "the test needs root to run images as another, unprivileged user");
        List<AttackCase> host = AttackCase.all().stream().filter(a -> HOST_CLASSES.contains(a.threat())).toList();
        AttackSuite unprivileged = AttackSuite.fromThisJvm().withProbeTimeout(20).withParallelism(2)
                .asUser(UNPRIVILEGED);
        List<AttackResult> underProcess = unprivileged.run(host, List.of("process"), result -> { });
        List<AttackResult> underFcall = unprivileged.run(named(SANDBOX_ROWS), List.of("fcall"), result -> { });
        Map<String, AttackResult> process = byAttack(underProcess, "process");
        assertEquals(host.size(), process.size(), process.toString());
        String refusal = process.get("signal-neighbours").detail();
        assumeTrue(!refusal.contains("cannot be sandboxed on this machine"), refusal);
        for (AttackCase attack : host) {
            AttackResult result = process.get(attack.name());
            assertTrue(result.outcome() == Outcome.BLOCKED || result.outcome() == Outcome.CONTAINED,
                    attack.name() + ": " + result.outcome().word() + " - " + result.detail());
            assertFalse(result.detail().contains("refused to start"), attack.name() + ": " + result.detail());
        }
        assertEquals(List.of(), Evidence.disprovedClaims(underProcess, AttackCase.all()));
        // The control: as the same user, with nothing in the way, each of these attacks works.
        Map<String, AttackResult> fcall = byAttack(underFcall, "fcall");
        for (String attack : SANDBOX_ROWS) {
            assertEquals(Outcome.SUCCEEDED, fcall.get(attack).outcome(), attack + ": " + fcall.get(attack).detail());
        }
    }
}
