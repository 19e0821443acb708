package flexos.explore.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.core.mechanism.ThreatClass;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MechanismStrengthTest {

    @Test
    void mechanismsWhoseClaimsAreNotNestedAreIncomparable() {
        Map<String, Set<ThreatClass>> claims = new LinkedHashMap<>();
        claims.put("none", EnumSet.noneOf(ThreatClass.class));
        claims.put("memory", EnumSet.of(ThreatClass.MEMORY_READ, ThreatClass.MEMORY_WRITE));
        claims.put("exit", EnumSet.of(ThreatClass.EXIT));
        claims.put("both", EnumSet.of(ThreatClass.MEMORY_READ, ThreatClass.MEMORY_WRITE, ThreatClass.EXIT));
        MechanismStrength strength = MechanismStrength.fromClaims(claims);
        assertFalse(strength.atLeastAsStrong("memory", "exit"));
        assertFalse(strength.atLeastAsStrong("exit", "memory"));
        assertTrue(strength.atLeastAsStrong("both", "memory"));
        assertTrue(strength.atLeastAsStrong("both", "exit"));
        assertTrue(strength.atLeastAsStrong("exit", "none"));
        assertFalse(strength.atLeastAsStrong("none", "exit"));
        // Two compartments are separated by what either side stops; one compartment separates nothing.
        assertEquals(Set.of("memory-read", "memory-write", "exit"), strength.separation(false, "memory", "exit"));
        assertEquals(Set.of(), strength.separation(true, "both", "both"));
        assertEquals(Set.of(), strength.separation(false, "none", "none"));
    }

    @Test
    void theStandardOrderFollowsTheMechanismsClaims() {
        MechanismStrength strength = MechanismStrength.parse("claims");
        assertTrue(strength.atLeastAsStrong("process", "module"));
        assertFalse(strength.atLeastAsStrong("module", "process"), strength.toString());
        // mpk claims module's classes and native memory (the CPU's keys); process claims every class.
        assertTrue(strength.atLeastAsStrong("mpk", "module"));
        assertFalse(strength.atLeastAsStrong("module", "mpk"));
        assertTrue(strength.atLeastAsStrong("process", "mpk"));
        assertTrue(strength.atLeastAsStrong("module", "fcall"));
        assertFalse(strength.atLeastAsStrong("fcall", "module"));
        assertTrue(strength.toString().contains("fcall stops nothing"), strength.toString());
    }

    @Test
    void aTotalOrderIsReadWeakestFirstAndMustNameEachMechanismOnce() {
        MechanismStrength strength = MechanismStrength.parse("fcall < process < module");
        assertTrue(strength.atLeastAsStrong("module", "process"));
        assertFalse(strength.atLeastAsStrong("process", "module"));
        assertThrows(IllegalArgumentException.class, () -> MechanismStrength.parse("fcall < module < fcall"));
        assertThrows(IllegalArgumentException.class, () -> MechanismStrength.parse("fcall <  < module"));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> strength.requireKnown("mpk"));
        assertTrue(unknown.getMessage().contains("add it with --strength"), unknown.getMessage());
    }
}
