package flexos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** {@code flexos attacks} runs real attacks in JVMs of their own and prints what happened. */
class AttacksCommandTest {

    @Test
    void aChosenAttackRunsUnderEachChosenMechanismAndTheTableShowsItsOutcome() {
        CommandLineHarness run = CommandLineHarness.run("attacks", "-a", "read-static,crash-exit", "-m", "fcall,module");
        assertEquals(0, run.exitCode(), run.err());
        String table = run.out();
        assertTrue(table.lines().anyMatch(l -> l.matches("read-static\\s+succeeded\\s+blocked\\s*")), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("crash-exit\\s+succeeded\\s+contained\\s*")), table);
    }

    @Test
    void jsonGivesTheSameOutcomes() throws Exception {
        CommandLineHarness run = CommandLineHarness.run("attacks", "--json", "-a", "write-static", "-m", "module");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode row = new ObjectMapper().readTree(run.out()).get("attacks").get(0);
        assertEquals("write-static", row.get("attack").asText(), run.out());
        assertEquals("memory-write", row.get("threat").asText(), run.out());
        assertEquals("blocked", row.at("/outcomes/module/outcome").asText(), run.out());
    }

    @Test
    void hardeningFaultsRunWithAndWithoutTheirOptionAndShowCaughtOrMissed() {
        CommandLineHarness run = CommandLineHarness.run("attacks", "-a",
                "asan-use-after-free,cfi-undeclared-call,contracts-precondition");
        assertEquals(0, run.exitCode(), run.err());
        String table = run.out();
        assertTrue(table.lines().anyMatch(l -> l.matches("asan-use-after-free\\s+asan on heapbug\\s+caught\\s+missed\\s*")),
                table);
        assertTrue(table.lines().anyMatch(l -> l.matches("cfi-undeclared-call\\s+cfi on sneaky\\s+caught\\s+missed\\s*")),
                table);
        assertTrue(table.lines().anyMatch(l -> l.matches("contracts-precondition\\s+contracts on sched\\s+caught\\s+missed\\s*")),
                table);
        assertTrue(table.contains("with: caught - asan: heap-use-after-free in heapbug"), table);
        assertTrue(table.contains("without: missed - ran unreported; the next allocation was overwritten"), table);
    }

    @Test
    void jsonGivesTheHardeningFaultsToo() throws Exception {
        CommandLineHarness run = CommandLineHarness.run("attacks", "--json", "-a", "asan-double-free,write-static",
                "-m", "module");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertEquals("write-static", json.at("/attacks/0/attack").asText(), run.out());
        JsonNode fault = json.at("/hardening/0");
        assertEquals("asan-double-free", fault.get("fault").asText(), run.out());
        assertEquals("asan", fault.get("option").asText(), run.out());
        assertEquals("heapbug", fault.get("library").asText(), run.out());
        assertEquals("caught", fault.at("/with/outcome").asText(), run.out());
        assertTrue(fault.at("/with/detail").asText().startsWith("asan: double-free in heapbug"), run.out());
        assertEquals("missed", fault.at("/without/outcome").asText(), run.out());
    }

    @Test
    void anUnknownAttackIsBadInput() {
        CommandLineHarness run = CommandLineHarness.run("attacks", "-a", "read-minds");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("unknown attack read-minds"), run.err());
    }
}
