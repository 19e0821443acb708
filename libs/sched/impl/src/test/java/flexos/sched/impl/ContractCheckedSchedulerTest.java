package flexos.sched.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.core.hardening.ContractViolation;
import flexos.sched.api.Scheduler;
import org.junit.jupiter.api.Test;

/** The contracts fault: a precondition violation caught by the contract-checked scheduler, missed by the plain one. */
class ContractCheckedSchedulerTest {

    private final CooperativeScheduler plain = new CooperativeScheduler();
    private final Scheduler checked = new SchedLibrary().contractChecked(Scheduler.class, plain, "buggy");

    @Test
    void aBlankTaskNameIsRefusedBeforeTheSchedulerIsTouched() {
        ContractViolation violation = assertThrows(ContractViolation.class, () -> checked.spawn(" ", step -> false));
        assertEquals(ContractViolation.Side.PRECONDITION, violation.side());
        assertEquals("sched::spawn", violation.function());
        assertTrue(violation.getMessage().contains("from buggy"), violation.getMessage());
        assertEquals(0, plain.lastIssuedId(), "nothing was spawned");
    }

    @Test
    void withoutContractsTheBlankNameIsAccepted() {
        assertEquals(1, plain.spawn(" ", step -> false));
    }

    @Test
    void cancellingAnIdTheSchedulerNeverIssuedIsRefused() {
        long id = checked.after(1_000_000, () -> { });
        assertTrue(checked.cancel(id));
        assertFalse(checked.cancel(id), "a known id may be cancelled twice; the second time it is no longer pending");
        assertThrows(ContractViolation.class, () -> checked.cancel(id + 41));
        assertFalse(plain.cancel(id + 41), "without contracts the wrong id is silently ignored");
    }

    @Test
    void negativeDelaysAndRunningTwiceAreRefused() throws Exception {
        assertThrows(ContractViolation.class, () -> checked.after(-1, () -> { }));
        assertThrows(ContractViolation.class, () -> checked.every(0, () -> { }));
        ContractViolation[] nested = new ContractViolation[1];
        checked.spawn("reenter", wait -> {
            try {
                checked.run();
            } catch (ContractViolation v) {
                nested[0] = v;
            }
            return false;
        });
        checked.run();
        assertEquals("sched::run", nested[0].function());
    }

    @Test
    void everyStepOfASpawnedTaskIsCheckedAndCountsOneSwitch() {
        int[] steps = {0};
        checked.spawn("counter", wait -> ++steps[0] < 1000);
        checked.spawn("other", wait -> steps[0] < 1000);
        checked.run();
        assertEquals(1000, steps[0]);
        assertTrue(checked.switches() >= 1000);
    }

    @Test
    void aLibraryWithoutContractsForAnApiGetsTheExportBack() {
        Runnable export = () -> { };
        assertSame(export, new SchedLibrary().contractChecked(Runnable.class, export, "x"));
        assertTrue(new SchedLibrary().contracts().stream().anyMatch(c -> c.startsWith("spawn: pre:")));
    }
}
