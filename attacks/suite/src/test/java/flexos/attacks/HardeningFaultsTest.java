package flexos.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hardening rows of the attack suite: every fault is caught with its option and missed without it, each
 * outcome from running the fault.
 */
class HardeningFaultsTest {

    private static List<FaultResult> results;

    @BeforeAll
    static void runEveryFault() {
        results = HardeningFaults.run(HardeningFault.all(), result -> { });
    }

    private static FaultResult run(String fault, boolean hardened) {
        return results.stream().filter(r -> r.fault().equals(fault) && r.hardened() == hardened).findFirst()
                .orElseThrow();
    }

    @Test
    void everyOptionHasItsFaults() {
        assertEquals(List.of("asan", "asan", "asan", "cfi", "cfi", "contracts"),
                HardeningFault.all().stream().map(HardeningFault::option).toList());
        assertEquals(HardeningFault.all().size() * 2, results.size());
    }

    @Test
    void everyFaultIsCaughtWithItsOption() {
        for (HardeningFault fault : HardeningFault.all()) {
            FaultResult with = run(fault.name(), true);
            assertEquals(FaultOutcome.CAUGHT, with.outcome(), fault.name() + ": " + with.detail());
            assertTrue(with.detail().startsWith(fault.option()) || with.detail().contains("for " + fault.option()),
                    with.detail());
        }
    }

    @Test
    void everyFaultIsMissedAndDoesItsDamageWithoutItsOption() {
        for (HardeningFault fault : HardeningFault.all()) {
            FaultResult without = run(fault.name(), false);
            assertEquals(FaultOutcome.MISSED, without.outcome(), fault.name() + ": " + without.detail());
            assertEquals("ran unreported; " + fault.damage(), without.detail(), fault.name());
        }
    }

    @Test
    void asanNamesTheLibraryTheAllocationAndTheOffset() {
        assertTrue(run("asan-heap-overflow", true).detail().startsWith("asan: heap-buffer-overflow in heapbug"),
                run("asan-heap-overflow", true).detail());
        assertTrue(run("asan-use-after-free", true).detail().contains("block at heap offset"),
                run("asan-use-after-free", true).detail());
        assertTrue(run("asan-double-free", true).detail().contains("double-free"), run("asan-double-free", true).detail());
    }

    @Test
    void cfiRefusesAtTheGateOrWhenTheImageIsBuilt() {
        assertTrue(run("cfi-undeclared-call", true).detail().startsWith("cfi: sneaky called vault::seal"),
                run("cfi-undeclared-call", true).detail());
        assertTrue(run("cfi-wrong-call-clause", true).detail().contains("library undeclared has a wrong [Call] clause "
                + "for cfi: its bytecode calls vault::seal"), run("cfi-wrong-call-clause", true).detail());
    }

    @Test
    void contractsNameTheBrokenPreconditionAndTheCaller() {
        String detail = run("contracts-precondition", true).detail();
        assertTrue(detail.startsWith("contracts: precondition of sched::spawn violated") && detail.contains("from buggy"),
                detail);
    }

    @Test
    void theTableAndTheJsonShowEveryRun() throws Exception {
        String table = AttackSuite.faultTable(results);
        for (HardeningFault fault : HardeningFault.all()) {
            assertTrue(table.lines().anyMatch(l -> l.matches(fault.name() + "\\s+" + fault.option() + " on "
                    + fault.hardened() + "\\s+caught\\s+missed\\s*")), table);
        }
        JsonNode json = new ObjectMapper().readTree(AttackSuite.json(List.of(), results, AttackCase.all()));
        JsonNode hardening = json.get("hardening");
        assertEquals(HardeningFault.all().size(), hardening.size(), json.toString());
        JsonNode doubleFree = null;
        for (JsonNode row : hardening) {
            assertEquals("caught", row.at("/with/outcome").asText(), row.toString());
            assertEquals("missed", row.at("/without/outcome").asText(), row.toString());
            if (row.get("fault").asText().equals("asan-double-free")) {
                doubleFree = row;
            }
        }
        assertEquals("asan", doubleFree.get("option").asText(), json.toString());
        assertEquals("heapbug", doubleFree.get("library").asText(), json.toString());
    }
}
