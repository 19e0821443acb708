package flexos.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the whole attack suite, every attack in a JVM of its own, and asserts the table: {@code module} and
 * {@code process} block every memory, call, static-state and reflection attack and contain every crash, exit, hang
 * and memory exhaustion;
 * {@code fcall}, which separates nothing, lets every attack succeed.
 */
class AttackSuiteTest {

    private static List<AttackResult> results;

    @BeforeAll
    static void runTheSuite() {
        results = AttackSuite.fromThisJvm().withProbeTimeout(15)
                .run(AttackCase.all(), List.of("fcall", "module", "process"), result -> { });
    }

    private static Map<String, AttackResult> under(String mechanism) {
        return results.stream().filter(r -> r.mechanism().equals(mechanism))
                .collect(Collectors.toMap(AttackResult::attack, r -> r));
    }

    @Test
    void everyAttackRanUnderEveryMechanism() {
        assertEquals(AttackCase.all().size() * 3, results.size());
    }

    @Test
    void moduleBlocksEveryMemoryCallStaticAndReflectionAttack() {
        Map<String, AttackResult> module = under("module");
        for (AttackCase attack : AttackCase.all()) {
            if (attack.goal() != AttackCase.Goal.CRASH) {
                AttackResult result = module.get(attack.name());
                assertEquals(Outcome.BLOCKED, result.outcome(), attack.name() + ": " + result.detail());
            }
        }
    }

    @Test
    void moduleContainsCrashesExitsHangsAndMemoryExhaustion() {
        Map<String, AttackResult> module = under("module");
        for (AttackCase attack : AttackCase.all()) {
            if (attack.goal() == AttackCase.Goal.CRASH) {
                AttackResult result = module.get(attack.name());
                assertEquals(Outcome.CONTAINED, result.outcome(), attack.name() + ": " + result.detail());
                assertTrue(result.detail().contains("GateFault"), result.detail());
            }
        }
    }

    @Test
    void processBlocksEveryMemoryCallStaticAndReflectionAttack() {
        Map<String, AttackResult> process = under("process");
        for (AttackCase attack : AttackCase.all()) {
            if (attack.goal() != AttackCase.Goal.CRASH) {
                AttackResult result = process.get(attack.name());
                assertEquals(Outcome.BLOCKED, result.outcome(), attack.name() + ": " + result.detail());
                assertFalse(result.detail().contains("refused to start"), attack.name() + ": " + result.detail());
            }
        }
    }

    @Test
    void processDoesNotMapThePrivateHeapEvenForRawAddressesWithNativeAccess() {
        // The hostile compartment has native access here (as under fcall): the raw read and write reach an address
        // that is not mapped in its process, which crashes that process's JVM; the vault, elsewhere, is untouched.
        Map<String, AttackResult> process = under("process");
        for (String attack : List.of("read-raw-address", "write-raw-address", "read-unsafe", "write-unsafe")) {
            AttackResult result = process.get(attack);
            assertEquals(Outcome.BLOCKED, result.outcome(), attack + ": " + result.detail());
            assertTrue(result.detail().contains("GateFault"), attack + ": " + result.detail());
        }
    }

    @Test
    void processContainsCrashesExitsHangsAndMemoryExhaustion() {
        Map<String, AttackResult> process = under("process");
        for (AttackCase attack : AttackCase.all()) {
            if (attack.goal() == AttackCase.Goal.CRASH) {
                AttackResult result = process.get(attack.name());
                assertEquals(Outcome.CONTAINED, result.outcome(), attack.name() + ": " + result.detail());
                assertTrue(result.detail().contains("GateFault"), result.detail());
            }
        }
        assertTrue(process.get("crash-exit").detail().contains("exited with status 66"),
                process.get("crash-exit").detail());
    }

    @Test
    void fcallSeparatesNothingAndSaysSo() {
        Map<String, AttackResult> fcall = under("fcall");
        for (AttackCase attack : AttackCase.all()) {
            AttackResult result = fcall.get(attack.name());
            assertEquals(Outcome.SUCCEEDED, result.outcome(), attack.name() + ": " + result.detail());
        }
        assertTrue(fcall.get("crash-exit").detail().contains("exited with status 66"), fcall.get("crash-exit").detail());
        assertTrue(fcall.get("loop-forever").detail().contains("hung"), fcall.get("loop-forever").detail());
    }

    @Test
    void theTableAndTheJsonShowEveryCell() {
        String table = AttackSuite.table(results);
        assertTrue(table.lines().anyMatch(l -> l.matches("read-raw-address\\s+succeeded\\s+blocked\\s+blocked\\s*")), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("crash-exit\\s+succeeded\\s+contained\\s+contained\\s*")), table);
        String json = AttackSuite.json(results);
        assertEquals(AttackCase.all().size(), json.split("\"attack\": ").length - 1, json);
    }
}
