package flexos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void jsonGivesTheSameOutcomes() {
        CommandLineHarness run = CommandLineHarness.run("attacks", "--json", "-a", "write-static", "-m", "module");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("\"attack\": \"write-static\""), run.out());
        assertTrue(run.out().contains("\"module\": {\"outcome\": \"blocked\""), run.out());
    }

    @Test
    void anUnknownAttackIsBadInput() {
        CommandLineHarness run = CommandLineHarness.run("attacks", "-a", "read-minds");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("unknown attack read-minds"), run.err());
    }
}
