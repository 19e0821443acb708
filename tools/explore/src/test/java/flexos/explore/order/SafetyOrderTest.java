package flexos.explore.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.explore.space.Configuration;
import flexos.explore.space.ConfigurationSpace;
import flexos.explore.space.Notation;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class SafetyOrderTest {

    static final Notation IMAGE = flexos.explore.TestNotations.redisImage(Set.of("asan"));
    static final List<Configuration> SPACE = ConfigurationSpace.of(IMAGE.libraries()).allPartitions()
            .maxCompartments(3).mechanisms(List.of("fcall", "module", "process")).hardeningOptions("net", List.of("asan"))
            .configurations();
    final SafetyOrder order = SafetyOrder.standard();

    @Test
    void splittingUnderMpkAndHardeningMakeSafer() {
        Notation paper = flexos.explore.TestNotations.paper();
        assertEquals(SafetyOrder.Comparison.SAFER, order.compare(paper.parse("R1 N1 S2 L3"), paper.parse("R1 N1 S1 L2")));
        assertEquals(SafetyOrder.Comparison.SAFER, order.compare(paper.parse("R1 N1 S1H L2"), paper.parse("R1 N1 S1 L2")));
        assertEquals(SafetyOrder.Comparison.INCOMPARABLE,
                order.compare(paper.parse("R1 N1 S2 L1"), paper.parse("R1 N1 S1 L2")));
        assertEquals(SafetyOrder.Comparison.INCOMPARABLE,
                order.compare(paper.parse("R1H N1 S1 L1"), paper.parse("R1 N1 S1 L2")));
    }

    @Test
    void twoFcallCompartmentsAreNotSeparated() {
        assertEquals(SafetyOrder.Comparison.EQUAL, order.compare(IMAGE.parse("R1 N1 S2 L3"), IMAGE.parse("R1 N1 S1 L1")));
        assertEquals(SafetyOrder.Comparison.SAFER,
                order.compare(IMAGE.parse("R1 N1 S1 L2 2:module"), IMAGE.parse("R1 N1 S1 L2")));
        assertEquals(SafetyOrder.Comparison.SAFER,
                order.compare(IMAGE.parse("R1 N1 S1 L2 2:process"), IMAGE.parse("R1 N1 S1 L2 2:module")));
    }

    @Test
    void theStrengthOrderIsConfigurable() {
        SafetyOrder reversed = new SafetyOrder(MechanismStrength.parse("fcall < process < module"));
        assertTrue(reversed.safer(IMAGE.parse("R1 N1 S1 L2 2:module"), IMAGE.parse("R1 N1 S1 L2 2:process")));
        assertFalse(order.safer(IMAGE.parse("R1 N1 S1 L2 2:module"), IMAGE.parse("R1 N1 S1 L2 2:process")));
    }

    @Test
    void thePaperSpacesHasseDiagramHasSevenRanksAndNoCoverIsImpliedByTwoOthers() {
        List<Configuration> space = ConfigurationSpace.of(flexos.explore.TestNotations.paper().libraries()).allPartitions()
                .together(List.of("redis", "newlib")).mechanisms(List.of("mpk"))
                .hardeningOptions(List.of(flexos.explore.search.CsvMeasurements.HARDENED)).configurations();
        Poset poset = new Poset(space, order);
        HasseDiagram hasse = poset.hasse();
        assertEquals(80, hasse.classes().size());
        assertEquals(6, hasse.height());
        for (HasseDiagram.Cover c : hasse.covers()) {
            Configuration upper = hasse.classes().get(c.upper()).getFirst();
            Configuration lower = hasse.classes().get(c.lower()).getFirst();
            assertTrue(order.safer(upper, lower));
            for (List<Configuration> between : hasse.classes()) {
                assertFalse(order.safer(upper, between.getFirst()) && order.safer(between.getFirst(), lower));
            }
        }
    }

    @Provide
    Arbitrary<Configuration> configurations() {
        return Arbitraries.of(SPACE);
    }

    @Property(tries = 300)
    void theOrderIsReflexiveAndTransitive(@ForAll("configurations") Configuration a,
                                          @ForAll("configurations") Configuration b,
                                          @ForAll("configurations") Configuration c) {
        assertTrue(order.atLeastAsSafe(a, a));
        if (order.atLeastAsSafe(a, b) && order.atLeastAsSafe(b, c)) {
            assertTrue(order.atLeastAsSafe(a, c));
        }
    }
}
