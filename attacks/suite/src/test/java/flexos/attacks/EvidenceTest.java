package flexos.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.core.mechanism.ThreatClass;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link Evidence} concludes from rows, on rows made up here (AttackSuiteTest checks it on real ones). */
class EvidenceTest {

    private static final List<AttackCase> ATTACKS = AttackCase.all();

    @Test
    void aClaimedClassWithoutARowInTheRunIsUntriedNotDisproved() {
        List<AttackResult> rows = List.of(new AttackResult("crash-exit", "module", Outcome.CONTAINED, "x"),
                new AttackResult("interned-monitor", "module", Outcome.SUCCEEDED, "x"));
        String summary = Evidence.summary(rows, ATTACKS);
        assertTrue(summary.contains("  module: exit\n"), summary);
        assertTrue(summary.contains("(no row of memory-read, memory-write, gate-confinement, jvm-global-state, "
                + "process-control, fault-containment in this run)"), summary);
        assertFalse(summary.contains("NOT backed"), summary);
        assertTrue(summary.contains("not stopped: interned-monitor (not stopped by `module`: use `process`)"), summary);
        assertEquals(List.of(), Evidence.disprovedClaims(rows, ATTACKS));
    }

    @Test
    void aRowOfAClaimedClassThatSucceededDisprovesTheClaim() {
        AttackResult killed = new AttackResult("kill-image", "module", Outcome.SUCCEEDED, "x");
        List<AttackResult> rows = List.of(killed, new AttackResult("crash-exit", "module", Outcome.CONTAINED, "x"));
        assertEquals(List.of(killed), Evidence.disprovedClaims(rows, ATTACKS));
        assertEquals(EnumSet.of(ThreatClass.EXIT), Evidence.shownToStop("module", rows, ATTACKS));
        String summary = Evidence.summary(rows, ATTACKS);
        assertTrue(summary.contains("(NOT backed by these rows: process-control)"), summary);
        // An exploit that is not availability gets no "use process" excuse.
        assertTrue(summary.contains("not stopped: kill-image\n"), summary);
    }
}
