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

    final Notation paper = flexos.explore.TestNotations.paper();

    @Test
    void renumberedCompartmentsAreOneConfiguration() {
        assertEquals(paper.parse("R1 N1 S2 L2"), paper.parse("R2 N2 S1 L1"));
        assertEquals("R1 N1 S2 L2", paper.format(paper.parse("L1 S1 N2 R2")));
        assertNotEquals(paper.parse("R1 N1 S2 L2"), paper.parse("R1 N1 S2 L3"));
    }

    @Test
    void theNotationRoundTripsHardeningSubsetsAndMechanisms() {
        Notation image = flexos.explore.TestNotations.redisImage(Set.of("asan", "cfi"));
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

    @Test
    void thePapersShapeOverOurImageIs80ConfigurationsEachLibraryHardenedWithTheOptionItCanTake() {
        HardeningMap hardened = HardeningMap.parse("redis=asan,libc=asan,sched=contracts,net=asan");
        Notation image = flexos.explore.TestNotations.redisImage(hardened);
        ConfigurationSpace space = ConfigurationSpace.of(image.libraries()).allPartitions()
                .together(List.of("redis", "libc")).mechanisms(List.of("module")).singleCompartmentMechanism("fcall")
                .hardened(hardened);
        List<Configuration> all = space.configurations();
        assertEquals(80, all.size());
        assertEquals(80, space.size());
        assertEquals(80, new HashSet<>(all).size());
        for (Configuration c : all) {
            // The one-compartment layout runs unisolated; every split layout separates under module.
            assertEquals(c.compartmentCount() == 1 ? List.of("fcall") : java.util.Collections.nCopies(
                    c.compartmentCount(), "module"), c.mechanisms(), c.key());
            assertTrue(c.hardening().get(c.indexOf("sched")).isEmpty()
                    || c.hardening().get(c.indexOf("sched")).equals(Set.of("contracts")), c.key());
            assertTrue(c.hardening().get(c.indexOf("net")).isEmpty()
                    || c.hardening().get(c.indexOf("net")).equals(Set.of("asan")), c.key());
        }
        Configuration top = image.parse("R1H N1H S2H L3H 1:module 2:module 3:module");
        assertTrue(all.contains(top));
        assertEquals(Set.of("contracts"), top.hardening().get(top.indexOf("sched")));
        assertEquals("R1H N1H S2H L3H 1:module 2:module 3:module", image.format(top));
        assertTrue(all.contains(image.parse("R1 N1 S1 L1")));
        // Written as the paper writes its all-MPK configurations: no tokens for the space's two mechanisms.
        Notation explored = image.withMechanisms("module", "fcall");
        assertEquals("R1H N1H S2H L3H", explored.format(top));
        assertEquals(top, explored.parse("R1H N1H S2H L3H"));
        assertEquals(image.parse("R1 N1 S1 L1"), explored.parse("R1 N1 S1 L1"));
        assertEquals("R1 N1 S2 L2 2:fcall", explored.format(explored.parse("R1 N1 S2 L2 2:fcall")));
    }

    @Test
    void aHardeningMapNamesEachLibrarysOptionsAndRefusesWhatItCannotRead() {
        HardeningMap map = HardeningMap.parse("redis=asan+cfi, sched=contracts");
        assertEquals(Set.of("asan", "cfi"), map.of("redis"));
        assertEquals(Set.of(), map.of("net"));
        assertEquals("redis=asan+cfi,sched=contracts", map.toString());
        assertEquals(map, HardeningMap.parse(map.toString()));
        assertEquals(HardeningMap.none(), HardeningMap.parse("none"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HardeningMap.parse("redis"));
        assertTrue(e.getMessage().contains("LIBRARY=OPTION"), e.getMessage());
        Notation image = flexos.explore.TestNotations.redisImage(map);
        e = assertThrows(IllegalArgumentException.class, () -> image.parse("R1 N1H S1 L1"));
        assertTrue(e.getMessage().contains("H means nothing for libc"), e.getMessage());
        assertEquals("R1H N1 S2H L2", image.format(image.parse("R1{asan,cfi} N1 S2{contracts} L2")));
        assertThrows(IllegalArgumentException.class,
                () -> ConfigurationSpace.of(image.libraries()).hardened(HardeningMap.parse("lwip=asan")));
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
