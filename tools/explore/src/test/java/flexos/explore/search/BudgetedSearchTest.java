package flexos.explore.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.explore.budget.Budget;
import flexos.explore.order.Poset;
import flexos.explore.order.SafetyOrder;
import flexos.explore.space.Configuration;
import flexos.explore.space.ConfigurationSpace;
import flexos.explore.space.Notation;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;

class BudgetedSearchTest {

    static final List<Configuration> SPACE = ConfigurationSpace.of(flexos.explore.TestNotations.paper().libraries()).allPartitions()
            .together(List.of("redis", "newlib")).mechanisms(List.of("mpk")).hardeningOptions(List.of(flexos.explore.search.CsvMeasurements.HARDENED))
            .configurations();
    static final Poset POSET = new Poset(SPACE, SafetyOrder.standard());

    /** Throughput that strictly falls with each separated pair and each hardened library: exactly monotone. */
    static MeasurementOracle monotone(List<Double> pairCost, List<Double> hardenCost) {
        return new MeasurementOracle() {
            @Override
            public Measurement measure(Configuration c) {
                double v = 1_200_000;
                int k = 0;
                for (int i = 0; i < 4; i++) {
                    for (int j = i + 1; j < 4; j++, k++) {
                        if (c.compartmentAt(i) != c.compartmentAt(j)) {
                            v *= 1 - pairCost.get(k);
                        }
                    }
                    if (!c.hardening().get(i).isEmpty()) {
                        v *= 1 - hardenCost.get(i);
                    }
                }
                return Measurement.ok(c, Map.of("get", v), "model", Instant.now(), Duration.ZERO);
            }

            @Override
            public String command() {
                return "model";
            }
        };
    }

    @Property(tries = 40)
    void onExactlyMonotoneDataTheBudgetedAnswerIsTheExhaustiveOne(
            @ForAll @Size(6) List<@DoubleRange(min = 0.01, max = 0.4) Double> pairCost,
            @ForAll @Size(4) List<@DoubleRange(min = 0.01, max = 0.6) Double> hardenCost,
            @ForAll @DoubleRange(min = 100_000, max = 1_300_000) double limit) {
        MeasurementOracle oracle = monotone(pairCost, hardenCost);
        Budget budget = Budget.parse("get>=" + (long) limit);
        SearchResult exhaustive = new ExhaustiveSearch().search(POSET, budget, Optional.empty(), oracle,
                (m, d, r) -> { });
        SearchResult budgeted = new BudgetedSearch().search(POSET, budget, Optional.empty(), oracle, (m, d, r) -> { });
        assertEquals(new HashSet<>(exhaustive.answer()), new HashSet<>(budgeted.answer()));
        assertTrue(budgeted.measuredCount() <= POSET.size());
    }

    @Property(tries = 20)
    void relativeBudgetsWorkWithoutMeasuringEverything(
            @ForAll @Size(6) List<@DoubleRange(min = 0.05, max = 0.3) Double> pairCost,
            @ForAll @Size(4) List<@DoubleRange(min = 0.05, max = 0.5) Double> hardenCost) {
        MeasurementOracle oracle = monotone(pairCost, hardenCost);
        Budget budget = Budget.parse("get>=0.5x");
        SearchResult exhaustive = new ExhaustiveSearch().search(POSET, budget, Optional.empty(), oracle,
                (m, d, r) -> { });
        SearchResult budgeted = new BudgetedSearch().search(POSET, budget, Optional.empty(), oracle, (m, d, r) -> { });
        assertEquals(new HashSet<>(exhaustive.answer()), new HashSet<>(budgeted.answer()));
        assertEquals(exhaustive.budget(), budgeted.budget());
    }
}
