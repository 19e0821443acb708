package flexos.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import flexos.core.mechanism.Mechanism;
import flexos.core.mechanism.Mechanisms;
import flexos.core.mechanism.ThreatClass;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the whole attack suite, every attack in a JVM of its own under fcall, module and process, and asserts the
 * table: {@code fcall}, which separates nothing, lets every attack succeed (which is what shows each attack is real);
 * {@code module} and {@code process} keep stopping what they were shown to stop.
 */
class AttackSuiteTest {

    private static final List<String> MECHANISMS = List.of("fcall", "module", "process");
    /**
     * The rows {@code module} and {@code process} were shown to stop before the harness judged harm and before the
     * attacks of the module-confinement issue: they must stay stopped.
     */
    private static final Set<String> FIRST_ROWS = Set.of("read-kept-segment", "read-raw-address", "read-unsafe",
            "read-reflection", "write-kept-segment", "write-raw-address", "write-unsafe", "write-reflection",
            "call-unexported", "read-static", "write-static", "exhaust-memory", "loop-forever", "crash-exception",
            "crash-exit", "crash-exit-reflective", "crash-halt-handle");

    private static List<AttackResult> results;

    @BeforeAll
    static void runTheSuite() {
        results = AttackSuite.fromThisJvm().withProbeTimeout(20).withParallelism(2)
                .run(AttackCase.all(), MECHANISMS, result -> { });
    }

    private static Map<String, AttackResult> under(String mechanism) {
        return results.stream().filter(r -> r.mechanism().equals(mechanism))
                .collect(Collectors.toMap(AttackResult::attack, r -> r));
    }

    @Test
    void everyAttackRanUnderEveryMechanism() {
        assertEquals(AttackCase.all().size() * MECHANISMS.size(), results.size());
    }

    @Test
    void fcallSeparatesNothingAndEveryAttackShowsItWorks() {
        Map<String, AttackResult> fcall = under("fcall");
        for (AttackCase attack : AttackCase.all()) {
            AttackResult result = fcall.get(attack.name());
            assertEquals(Outcome.SUCCEEDED, result.outcome(), attack.name() + ": " + result.detail());
        }
        assertTrue(fcall.get("crash-exit").detail().contains("exited with status 66"), fcall.get("crash-exit").detail());
        assertTrue(fcall.get("loop-forever").detail().contains("hung"), fcall.get("loop-forever").detail());
        assertTrue(fcall.get("read-proc-mem").detail().contains("read the secret"), fcall.get("read-proc-mem").detail());
        assertTrue(fcall.get("heap-dump").detail().contains("read the secret"), fcall.get("heap-dump").detail());
        assertTrue(fcall.get("set-out").detail().contains("System.out changed"), fcall.get("set-out").detail());
        assertTrue(fcall.get("insert-provider").detail().contains("Security providers changed"),
                fcall.get("insert-provider").detail());
        assertTrue(fcall.get("hold-shutdown-lock").detail().contains("did not exit within"),
                fcall.get("hold-shutdown-lock").detail());
        assertTrue(fcall.get("overflow-in-clinit").detail().contains("no longer initialises"),
                fcall.get("overflow-in-clinit").detail());
    }

    @Test
    void aForgedVerdictIsIgnoredAndCountsAsSucceeded() {
        AttackResult forged = under("fcall").get("forge-verdict");
        assertEquals(Outcome.SUCCEEDED, forged.outcome(), forged.detail());
        assertTrue(forged.detail().contains("exited with status 0 before the attack returned"), forged.detail());
        assertTrue(forged.detail().contains("ignored 2 forged verdict lines"), forged.detail());
    }

    @Test
    void moduleAndProcessKeepStoppingTheRowsTheyWereShownToStop() {
        for (String mechanism : List.of("module", "process")) {
            Map<String, AttackResult> rows = under(mechanism);
            for (AttackCase attack : AttackCase.all()) {
                if (!FIRST_ROWS.contains(attack.name())) {
                    continue;
                }
                AttackResult result = rows.get(attack.name());
                Outcome expected = attack.goal() == AttackCase.Goal.CRASH ? Outcome.CONTAINED : Outcome.BLOCKED;
                assertEquals(expected, result.outcome(), mechanism + " " + attack.name() + ": " + result.detail());
                assertFalse(result.detail().contains("refused to start"), attack.name() + ": " + result.detail());
                if (expected == Outcome.CONTAINED) {
                    assertTrue(result.detail().contains("GateFault"), result.detail());
                }
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
        assertTrue(process.get("crash-exit").detail().contains("exited with status 66"),
                process.get("crash-exit").detail());
    }

    /**
     * The review's attacks on process compartments (issue 12): every one stopped by the sandbox (SandboxRowsTest
     * shows them working without it, and stopped when the image is not root).
     */
    @Test
    void processStopsInjectionSiblingMemoryAndSignalsToItsNeighbours() {
        Map<String, AttackResult> process = under("process");
        for (String attack : List.of("inject-through-region", "read-sibling-mem", "signal-neighbours",
                "dump-neighbours")) {
            AttackResult result = process.get(attack);
            assertEquals(Outcome.BLOCKED, result.outcome(), attack + ": " + result.detail());
            assertFalse(result.detail().contains("refused to start"), attack + ": " + result.detail());
        }
    }

    @Test
    void aLibraryThatDeclaresNativeAccessReachesTheVaultUnlessAnotherAddressSpaceHoldsIt() {
        // module grants the native access the metadata declares, and nothing in the JVM bounds a raw address: this
        // is the row that says a C-like library belongs under mpk or process. Under process the address is not
        // mapped in the hostile compartment's JVM, which crashes; the vault, elsewhere, is untouched.
        for (String attack : List.of("read-native-heap", "write-native-heap")) {
            AttackResult module = under("module").get(attack);
            assertEquals(Outcome.SUCCEEDED, module.outcome(), attack + ": " + module.detail());
            assertFalse(module.detail().contains("refused to start"), module.detail());
            AttackResult process = under("process").get(attack);
            assertEquals(Outcome.BLOCKED, process.outcome(), attack + ": " + process.detail());
            assertTrue(process.detail().contains("GateFault"), attack + ": " + process.detail());
        }
        assertTrue(under("module").get("read-native-heap").detail().contains("read the secret"),
                under("module").get("read-native-heap").detail());
        assertTrue(Evidence.summary(results, AttackCase.all()).contains(
                "read-native-heap (not stopped by `module`: use `mpk` or `process`)"));
    }

    /**
     * A compartment process writes its own messages into its RPC slots (issue 12): a reply that names a list of 2^31
     * elements, one that announces 2^40 bytes, a call to an object id never handed over. The image trusts no byte
     * of them: the caller gets a GateFault, the process is killed, and nothing of the size it named is allocated
     * (under fcall the allocation reaches the caller).
     */
    @Test
    void processContainsRepliesForgedByTheCompartmentAsAGateFault() {
        Map<String, AttackResult> process = under("process");
        for (String attack : List.of("forge-reply-list", "oversized-reply")) {
            AttackResult result = process.get(attack);
            assertEquals(Outcome.CONTAINED, result.outcome(), attack + ": " + result.detail());
            assertTrue(result.detail().contains("sent a malformed message"), attack + ": " + result.detail());
            assertTrue(under("fcall").get(attack).detail().contains("OutOfMemoryError"),
                    attack + ": " + under("fcall").get(attack).detail());
        }
        // A call it wrote to an object never handed over: never made; the process is killed for it.
        AttackResult call = process.get("forge-call-id");
        assertEquals(Outcome.CONTAINED, call.outcome(), call.detail());
        assertTrue(call.detail().contains("no object 21000"), call.detail());
    }

    @Test
    void everyClaimOfEveryMechanismIsBackedByItsRows() {
        List<AttackResult> disproving = Evidence.disprovedClaims(results, AttackCase.all());
        assertEquals(List.of(), disproving, "claims the rows disprove:\n" + disproving.stream()
                .map(r -> r.mechanism() + " " + r.attack() + ": " + r.detail()).collect(Collectors.joining("\n")));
        for (String mechanism : MECHANISMS) {
            Set<ThreatClass> shown = Evidence.shownToStop(mechanism, results, AttackCase.all());
            Set<ThreatClass> claims = Mechanisms.builtIn().named(mechanism).claims();
            assertTrue(shown.containsAll(claims), mechanism + " claims " + claims + " but its rows show " + shown);
        }
        assertEquals(Set.of(), Mechanisms.builtIn().named("fcall").claims(), "fcall separates nothing");
    }

    @Test
    void moduleClaimsTheSevenClassesOfItsConfinementAndMpkClaimsModules() {
        Set<ThreatClass> seven = EnumSet.of(ThreatClass.MEMORY_READ, ThreatClass.MEMORY_WRITE,
                ThreatClass.GATE_CONFINEMENT, ThreatClass.JVM_GLOBAL_STATE, ThreatClass.PROCESS_CONTROL, ThreatClass.EXIT,
                ThreatClass.FAULT_CONTAINMENT);
        assertEquals(seven, Mechanisms.builtIn().named("module").claims());
        Set<ThreatClass> mpk = EnumSet.copyOf(seven);
        mpk.add(ThreatClass.NATIVE_MEMORY);
        assertEquals(mpk, Mechanisms.builtIn().named("mpk").claims());
        assertTrue(Evidence.shownToStop("module", results, AttackCase.all()).containsAll(seven),
                Evidence.summary(results, AttackCase.all()));
    }

    @Test
    void underModuleTheOnlyRowsLeftAreTheAvailabilityAndNativeMemoryRowsItsDocLists() throws Exception {
        String limits = limitsOfTheModuleDoc();
        List<String> left = new java.util.ArrayList<>();
        for (AttackCase attack : AttackCase.all()) {
            AttackResult result = under("module").get(attack.name());
            if (result.outcome() != Outcome.SUCCEEDED) {
                continue;
            }
            left.add(attack.name());
            // Availability is beyond an in-process mechanism; native memory is what a library's declared [Host] Native
            // grants (use mpk or process). Every other class is claimed.
            assertTrue(attack.threat() == ThreatClass.AVAILABILITY || attack.threat() == ThreatClass.NATIVE_MEMORY,
                    attack.name() + " [" + attack.threat().word() + "]: " + result.detail());
            assertTrue(limits.contains("`" + attack.name() + "`"),
                    attack.name() + " succeeds under module but docs/module-mechanism.md's Limits do not name it");
        }
        // What the JVM cannot divide between compartments: one heap, one monitor per shared object. (hoard-heap may
        // be contained on a loaded machine, when the call timeout stops the hoarder before the heap runs out.)
        assertTrue(List.of("read-native-heap", "write-native-heap", "hoard-heap", "interned-monitor").containsAll(left),
                left.toString());
        assertTrue(Mechanisms.builtIn().named("module").claims().contains(ThreatClass.FAULT_CONTAINMENT));
        assertTrue(left.contains("interned-monitor"), left.toString());
    }

    @Test
    void underModuleCallSitesLinkedAheadKeepTheVaultWholeWhenCalledWithTheStackNearlyFull() {
        // Each of these updates the vault half way through a call site the JVM links at its first run (a lambda, a
        // record's toString, a pattern switch, a VarHandle access) or a plain call: the module compartment's loader
        // links them when it defines the class (CallSiteCompanion), the gate refuses a caller with its stack nearly
        // full (StackHeadroom: String.format's first use then never runs on that stack), and the gate's reserved
        // stack covers the rest.
        for (String mechanism : List.of("module", "process")) {
            for (String attack : List.of("overflow-in-victim", "overflow-in-lambda", "overflow-in-record",
                    "overflow-in-switch", "overflow-in-varhandle", "overflow-in-format")) {
                AttackResult result = under(mechanism).get(attack);
                assertEquals(Outcome.BLOCKED, result.outcome(), mechanism + " " + attack + ": " + result.detail());
            }
        }
    }

    @Test
    void theMonitorOfAnInternedStringIsNotStoppedByModuleAndTheSummarySaysUseProcess() {
        AttackResult module = under("module").get("interned-monitor");
        assertEquals(Outcome.SUCCEEDED, module.outcome(), module.detail());
        // The call timeout (5 s) and the checks' bound (20 s) add up to more than this test's probe timeout (20 s),
        // so the probe is usually judged hung before its checks report the held lock; either is the vault blocked.
        assertTrue(module.detail().contains("did not finish within") || module.detail().contains("the image hung"),
                module.detail());
        AttackResult process = under("process").get("interned-monitor");
        assertEquals(Outcome.CONTAINED, process.outcome(), process.detail());
        String summary = Evidence.summary(results, AttackCase.all());
        assertTrue(summary.contains("interned-monitor (not stopped by `module`: use `process`)"), summary);
    }

    /** The "Limits" section of docs/module-mechanism.md, found from the module's directory up. */
    private static String limitsOfTheModuleDoc() throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Path.of("").toAbsolutePath();
        while (dir != null && !java.nio.file.Files.exists(dir.resolve("docs/module-mechanism.md"))) {
            dir = dir.getParent();
        }
        assertTrue(dir != null, "docs/module-mechanism.md not found above " + java.nio.file.Path.of("").toAbsolutePath());
        String doc = java.nio.file.Files.readString(dir.resolve("docs/module-mechanism.md"));
        int start = doc.indexOf("## What is not blocked, and why (Limits)");
        assertTrue(start >= 0, "docs/module-mechanism.md has no Limits section");
        int end = doc.indexOf("\n## ", start + 1);
        return doc.substring(start, end < 0 ? doc.length() : end);
    }

    @Test
    void mpkClaimsNothingBeyondWhatItsRowsShowWhereItRuns() {
        Mechanism mpk = Mechanisms.builtIn().named("mpk");
        Assumptions.assumeTrue(mpk.availability().available(),
                "mpk cannot run here (" + mpk.availability().reason() + "): its claims are checked where it runs");
        List<AttackResult> rows = AttackSuite.fromThisJvm().withProbeTimeout(20).withParallelism(2)
                .run(AttackCase.all().stream().filter(a -> mpk.claims().contains(a.threat())).toList(),
                        List.of("mpk"), result -> { });
        assertEquals(List.of(), Evidence.disprovedClaims(rows, AttackCase.all()));
    }

    @Test
    void theSummarySaysWhatEachMechanismIsShownToStop() {
        String summary = Evidence.summary(results, AttackCase.all());
        assertTrue(summary.contains("  fcall: nothing"), summary);
        assertTrue(summary.lines().anyMatch(l -> l.startsWith("  process: ")), summary);
        assertFalse(summary.contains("NOT backed"), summary);
    }

    @Test
    void theTableAndTheJsonShowEveryCell() throws Exception {
        String table = AttackSuite.table(results);
        assertTrue(table.lines().anyMatch(l -> l.matches("read-raw-address\\s+succeeded\\s+blocked\\s+blocked\\s*")), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("crash-exit\\s+succeeded\\s+contained\\s+contained\\s*")), table);
        JsonNode json = new ObjectMapper().readTree(AttackSuite.json(results));
        assertEquals(AttackCase.all().size(), json.get("attacks").size(), json.toString());
        JsonNode first = json.get("attacks").get(0);
        assertEquals("memory-read", first.get("threat").asText());
        assertEquals(MECHANISMS.size(), first.get("outcomes").size());
    }
}
