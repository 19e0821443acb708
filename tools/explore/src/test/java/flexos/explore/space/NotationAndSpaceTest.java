package flexos.explore.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class NotationAndSpaceTest {

    final Notation paper = Notation.paper();

    @Test
    void renumberedCompartmentsAreOneConfiguration() {
        assertEquals(paper.parse("R1 N1 S2 L2"), paper.parse("R2 N2 S1 L1"));
        assertEquals("R1 N1 S2 L2", paper.format(paper.parse("L1 S1 N2 R2")));
        assertNotEquals(paper.parse("R1 N1 S2 L2"), paper.parse("R1 N1 S2 L3"));
    }

    @Test
    void theNotationRoundTripsHardeningSubsetsAndMechanisms() {
        Notation image = Notation.redisImage(Set.of("asan", "cfi"));
        Configuration c = image.parse("R1H N1{cfi} S2 L3 3:process");
        assertEquals(Set.of("asan", "cfi"), c.hardening().get(0));
        assertEquals(List.of("fcall", "fcall", "process"), c.mechanisms());
        assertEquals("R1H N1{cfi} S2 L3 3:process", image.format(c));
        assertEquals(c, Configuration.fromKey(c.key()));
    }

    @Test
    void badNotationNamesTheTokenAndTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> paper.parse("R1 N1 X2 L3"));
        assertTrue(e.getMessage().contains("'X2'") && e.getMessage().contains("[R, N, S, L]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> paper.parse("R1 N1 S2"));
        assertTrue(e.getMessage().contains("does not place [lwip]"), e.getMessage());
    }

    @Test
    void allPartitionsOfFourLibrariesAre15AndKeepingTwoTogetherLeavesThePapers5() {
        List<String> libs = List.of("redis", "libc", "sched", "net");
        assertEquals(15, ConfigurationSpace.of(libs).allPartitions().layouts().size());
        ConfigurationSpace paperShape = ConfigurationSpace.of(libs).allPartitions().together(List.of("redis", "libc"))
                .hardeningOptions(List.of("asan"));
        assertEquals(5, paperShape.layouts().size());
        assertEquals(80, paperShape.configurations().size());
        assertEquals(80, paperShape.size());
        assertEquals(1 + 7 + 6 + 1, ConfigurationSpace.of(libs).allPartitions().maxCompartments(4).layouts().size());
        assertEquals(8, ConfigurationSpace.of(libs).allPartitions().maxCompartments(2).layouts().size());
    }

    @Test
    void mechanismsVaryPerCompartment() {
        List<String> libs = List.of("redis", "libc", "sched", "net");
        ConfigurationSpace space = ConfigurationSpace.of(libs).layout(Layout.parse("redis libc | sched | net"))
                .mechanisms(List.of("fcall", "process"));
        List<Configuration> all = space.configurations();
        assertEquals(8, all.size());
        assertEquals(8, new HashSet<>(all).size());
    }

    @Property(tries = 50)
    void everyGeneratedPartitionIsDistinctAndCoversEveryLibrary(@ForAll @IntRange(min = 1, max = 6) int n) {
        List<String> libs = java.util.stream.IntStream.range(0, n).mapToObj(i -> "l" + i).toList();
        List<Configuration> all = ConfigurationSpace.of(libs).allPartitions().configurations();
        int[] bell = {1, 1, 2, 5, 15, 52, 203};
        assertEquals(bell[n], all.size());
        assertEquals(bell[n], new HashSet<>(all).size());
    }
}
