package flexos.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.core.mechanism.mpk.PkeyFaultReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * How the suite judges a probe JVM that a protection-key fault stopped (issue 14 item 5): blocked for memory, not
 * contained for availability. Plain code, so it runs on every machine; the fault itself needs a CPU with pku, where
 * {@code AttackSuiteTest.mpkClaimsNothingBeyondWhatItsRowsShowWhereItRuns} provokes it.
 */
class ProtectionKeyFaultJudgementTest {

    private static final long BASE = 0x7f00_0000_0000L;

    private static PkeyFaultReport faultOn(String heapCompartment, boolean write) {
        return new PkeyFaultReport(Path.of("/tmp/hs_err_pid4242.log"), 4242, BASE + 128, write,
                Optional.of(new PkeyFaultReport.Heap("attack-x", heapCompartment, 1, BASE)),
                List.of(new PkeyFaultReport.Library("attack-x", "hostile", "read-native-heap")),
                "flexos.attacks.hostile.NativeMemory$ReadNativeHeap.attack");
    }

    private static AttackCase attack(String name) {
        return AttackCase.named(name).orElseThrow();
    }

    @Test
    void aFaultOnTheVaultsHeapBlocksAReadOrAWriteAndSaysTheImageStopped() {
        AttackResult read = AttackSuite.stoppedByTheCpu(attack("read-native-heap"), "mpk",
                Optional.of(faultOn(AttackProbe.VICTIM_COMPARTMENT, false))).orElseThrow();
        assertEquals(Outcome.BLOCKED, read.outcome(), read.detail());
        assertTrue(read.detail().startsWith("the CPU refused the read"), read.detail());
        assertTrue(read.detail().contains("memory protected, availability not"), read.detail());
        AttackResult write = AttackSuite.stoppedByTheCpu(attack("write-native-heap"), "mpk",
                Optional.of(faultOn(AttackProbe.VICTIM_COMPARTMENT, true))).orElseThrow();
        assertEquals(Outcome.BLOCKED, write.outcome(), write.detail());
        assertTrue(write.detail().startsWith("the CPU refused the write"), write.detail());
    }

    @Test
    void aFaultThatEndsTheImageIsWhatACrashOrHarmAttackWanted() {
        AttackResult crash = AttackSuite.stoppedByTheCpu(attack("crash-exit"), "mpk",
                Optional.of(faultOn(AttackProbe.VICTIM_COMPARTMENT, true))).orElseThrow();
        assertEquals(Outcome.SUCCEEDED, crash.outcome(), crash.detail());
        AttackResult hoard = AttackSuite.stoppedByTheCpu(attack("hoard-heap"), "mpk",
                Optional.of(faultOn("hostile", false))).orElseThrow();
        assertEquals(Outcome.SUCCEEDED, hoard.outcome(), hoard.detail());
    }

    @Test
    void aFaultElsewhereOrNoFaultLeavesTheDeadJvmToTheUsualJudgement() {
        assertEquals(Optional.empty(), AttackSuite.stoppedByTheCpu(attack("read-native-heap"), "mpk",
                Optional.of(faultOn("hostile", false))));
        assertEquals(Optional.empty(), AttackSuite.stoppedByTheCpu(attack("read-native-heap"), "mpk",
                Optional.empty()));
    }
}
