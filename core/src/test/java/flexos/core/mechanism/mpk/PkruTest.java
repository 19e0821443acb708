package flexos.core.mechanism.mpk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** PKRU arithmetic, as plain code: runs on every machine. */
class PkruTest {

    @Test
    void aThreadOutsideEveryCompartmentHasKeyZeroOnlyAsLinuxStartsIt() {
        assertEquals(List.of(0), Pkru.readableKeys(Pkru.NO_COMPARTMENT));
        assertTrue(Pkru.writable(Pkru.NO_COMPARTMENT, 0));
        assertEquals("0x55555554 (keys 0)", Pkru.describe(Pkru.NO_COMPARTMENT));
    }

    @Test
    void aCompartmentsRightsMatchWhatTheIssueReadOnRealHardware() {
        // The issue's machine read 0x55555550 after pkey_alloc gave key 1 with full rights.
        assertEquals(0x55555550, Pkru.compartment(1));
        assertEquals(0x55555514, Pkru.compartment(3));
        assertEquals(0x15555554, Pkru.compartment(15));
    }

    @Property
    void aCompartmentReachesKeyZeroAndItsOwnKeyAndNothingElse(@ForAll @IntRange(min = 1, max = 15) int key) {
        int pkru = Pkru.compartment(key);
        assertEquals(List.of(0, key), Pkru.readableKeys(pkru));
        assertTrue(Pkru.writable(pkru, key));
        assertTrue(Pkru.writable(pkru, 0));
    }

    @Property
    void denyingUndoesAllowing(@ForAll @IntRange(min = 1, max = 15) int key,
                               @ForAll @IntRange(min = 1, max = 15) int other) {
        int both = Pkru.allowing(Pkru.compartment(key), other);
        assertTrue(Pkru.readable(both, other));
        assertEquals(key == other ? Pkru.NO_COMPARTMENT : Pkru.compartment(key), Pkru.denying(both, other));
    }

    @Test
    void writeDisableLeavesAKeyReadableButNotWritable() {
        int readOnly = Pkru.compartment(2) | (0b10 << 4);
        assertTrue(Pkru.readable(readOnly, 2));
        assertFalse(Pkru.writable(readOnly, 2));
    }

    @Test
    void thereAreSixteenKeys() {
        assertThrows(IllegalArgumentException.class, () -> Pkru.compartment(16));
        assertThrows(IllegalArgumentException.class, () -> Pkru.readable(0, -1));
    }
}
