package flexos.core.mechanism.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.core.mechanism.module.checked.ClockReadingLibrary;
import flexos.core.metadata.HostCapabilities;
import flexos.core.metadata.HostCapability;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The check {@code flexos build} and {@code flexos analyze} run on a library's code before it runs. */
class ConfinementCheckTest {

    @Test
    void eachRefusalNamesTheLibraryTheClassTheMemberAndTheCapability() throws IOException {
        List<ConfinementCheck.Refusal> refusals = ConfinementCheck.of(new ClockReadingLibrary(), HostCapabilities.NONE);
        assertEquals(2, refusals.size(), refusals.toString());
        ConfinementCheck.Refusal clock = refusals.stream().filter(r -> r.capability() != null).findFirst().orElseThrow();
        assertEquals("Clock", clock.capability());
        assertEquals("java.lang.System.nanoTime", clock.member());
        assertEquals("flexos.core.mechanism.module.checked.ClockReadingLibrary", clock.className());
        assertTrue(clock.describe().startsWith("library clocky: class flexos.core.mechanism.module.checked"
                + ".ClockReadingLibrary refers to java.lang.System.nanoTime"), clock.describe());
        assertTrue(clock.describe().endsWith("declare [Host] Clock in its metadata if it needs it"), clock.describe());
    }

    @Test
    void aDeclaredCapabilityLeavesOnlyWhatNothingAllows() throws IOException {
        List<ConfinementCheck.Refusal> refusals = ConfinementCheck.of(new ClockReadingLibrary(),
                new HostCapabilities(List.of(new HostCapability.Clock())));
        assertEquals(1, refusals.size(), refusals.toString());
        assertEquals("java.lang.System.exit", refusals.getFirst().member());
        assertEquals(null, refusals.getFirst().capability());
    }
}
