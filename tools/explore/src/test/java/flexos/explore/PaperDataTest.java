package flexos.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.explore.budget.Budget;
import flexos.explore.order.Poset;
import flexos.explore.order.SafetyOrder;
import flexos.explore.search.BudgetedSearch;
import flexos.explore.search.CsvMeasurements;
import flexos.explore.search.ExhaustiveSearch;
import flexos.explore.search.SearchObserver;
import flexos.explore.search.SearchResult;
import flexos.explore.space.Configuration;
import flexos.explore.space.Notation;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** SPEC §7's numbers on the paper's 80 Redis configurations. */
class PaperDataTest {

    static final Notation PAPER = flexos.explore.TestNotations.paper();

    static CsvMeasurements paperData() throws Exception {
        return CsvMeasurements.read(Path.of(PaperDataTest.class.getResource("/flexos-asplos22-redis-get.csv").toURI()),
                flexos.explore.search.CsvLayout.byName());
    }

    static Set<String> notation(List<Configuration> configurations) {
        return configurations.stream().map(PAPER::format).collect(Collectors.toSet());
    }

    @Test
    void exhaustiveFinds28FeasibleAndTheTwoMaximalOfSpec() throws Exception {
        CsvMeasurements data = paperData();
        Poset space = new Poset(data.configurations(), SafetyOrder.standard());
        SearchResult result = new ExhaustiveSearch().search(space, Budget.parse("get>=500000"), Optional.empty(),
                data.oracle(0.95), SearchObserver.NONE);
        assertEquals(80, result.measuredCount());
        assertEquals(28, result.feasible().size());
        assertEquals(Set.of("R1H N1 S1H L2H", "R1 N1 S2H L3H"), notation(result.answer()));
    }

    @Test
    void csvThroughputIsConvertedFromThousandsOfRequestsPerSecond() throws Exception {
        CsvMeasurements data = paperData();
        assertEquals(510_600.0, data.samples().get(PAPER.parse("R1H N1 S1H L2H")).get("get").getFirst(), 1e-6);
        assertEquals(Set.of("get"), data.metricNames());
    }

    @Test
    void budgetedSearchFindsTheSameAnswerMeasuringAtMostHalf() throws Exception {
        CsvMeasurements data = paperData();
        Poset space = new Poset(data.configurations(), SafetyOrder.standard());
        SearchResult result = new BudgetedSearch().search(space, Budget.parse("get>=500k"), Optional.empty(),
                data.oracle(0.95), SearchObserver.NONE);
        assertEquals(Set.of("R1H N1 S1H L2H", "R1 N1 S2H L3H"), notation(result.answer()));
        assertTrue(result.measuredCount() <= 40, "measured " + result.measuredCount());
    }

    @Test
    void theOrderHas16PairsWhereTheSaferConfigurationWasFaster() throws Exception {
        CsvMeasurements data = paperData();
        Poset space = new Poset(data.configurations(), SafetyOrder.standard());
        int violations = 0;
        for (int i = 0; i < space.size(); i++) {
            for (int j = 0; j < space.size(); j++) {
                if (space.strictlySafer(i, j) && data.samples().get(space.get(i)).get("get").getFirst()
                        > data.samples().get(space.get(j)).get("get").getFirst()) {
                    violations++;
                }
            }
        }
        assertEquals(16, violations);
    }

    @Test
    void thePapersNginxLayoutLoadsUneditedAndItsRepeatedRowsAreSamplesOfOnePoint() throws Exception {
        Path file = Path.of(PaperDataTest.class.getResource("/flexos-asplos22-nginx.csv").toURI());
        CsvMeasurements data = CsvMeasurements.read(file, flexos.explore.search.CsvLayout.byName()
                .withMetrics(java.util.Map.of("req", flexos.explore.search.CsvLayout.parseMetric(
                        "req=req_s_median:req/s").getValue())));
        assertEquals(80, data.configurations().size());
        assertEquals(16, data.repeatedRows());
        assertEquals(Set.of("req"), data.metricNames());
        Notation n = data.notation();
        assertEquals(java.util.List.of("nginx", "newlib", "uksched", "lwip"), n.libraries());
        // 1,1,2,3 and 1,1,3,2 are one partition: two samples of it.
        Configuration split = n.parse("N1 E1 U2 L3");
        assertEquals(split, n.parse("N1 E1 U3 L2"));
        assertEquals(2, data.samples().get(split).get("req").size());
        assertEquals(135_288.22, data.samples().get(n.parse("N1 E1 U1 L1")).get("req").getFirst(), 1e-6);
    }
}
