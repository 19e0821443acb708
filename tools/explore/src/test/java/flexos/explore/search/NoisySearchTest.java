package flexos.explore.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.explore.budget.Budget;
import flexos.explore.measure.SamplingPlan;
import flexos.explore.stats.Estimate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The budgeted search against exhaustive measurement on 500 seeded synthetic spaces of the paper's shape, with
 * 3% run-to-run noise and about 17 of 892 comparable pairs inverted (the paper's data has 16). The seeds are not
 * those the margins were chosen on (docs/explore.md's table uses seeds 1-500).
 */
class NoisySearchTest {

    @Test
    void theBudgetedAnswerIsTheExhaustiveOneIn99PercentOfSpacesMeasuringAtMost45Percent() {
        SyntheticSpaces.Score score = SyntheticSpaces.score(new BudgetedSearch(), 500, 20_001, 0.09, 0.03,
                SamplingPlan.standard());
        assertTrue(score.meanInversions() > 12 && score.meanInversions() < 24, score.toString());
        assertTrue(score.errors() <= 5, score.toString());
        assertTrue(score.meanMeasured() <= 0.45, score.toString());
    }

    @Test
    void aMeasurementWhoseIntervalStraddlesTheLimitIsMeasuredAgainAndStaysUndecidedIfItStillDoes() {
        var c = SyntheticSpaces.SPACE.getFirst();
        int[] rounds = {0};
        MeasurementOracle straddling = new MeasurementOracle() {
            @Override
            public Measurement measure(flexos.explore.space.Configuration configuration) {
                rounds[0]++;
                return Measurement.sampled(configuration, Map.of("get", List.of(90.0, 110.0, 100.0)),
                        Estimate.DEFAULT_CONFIDENCE, command(), Instant.EPOCH, Duration.ZERO);
            }

            @Override
            public Measurement remeasure(Measurement previous) {
                rounds[0]++;
                return previous.withMore(Map.of("get", List.of(95.0, 105.0, 100.0)), Duration.ZERO);
            }

            @Override
            public String command() {
                return "straddling";
            }
        };
        var space = new flexos.explore.order.Poset(List.of(c), flexos.explore.order.SafetyOrder.standard());
        SearchResult r = new BudgetedSearch().search(space, Budget.parse("get>=100"), Optional.empty(), straddling,
                SearchObserver.NONE);
        assertEquals(2, rounds[0], "measured once, then once more");
        assertEquals(List.of(c), r.undecided());
        assertTrue(r.answer().isEmpty() && r.feasible().isEmpty(), "an undecided configuration does not meet");
        assertEquals(6, r.measurements().getFirst().estimates().get("get").samples().size());
    }

    @Test
    void aConfigurationMeetsOnlyWhenItsWholeIntervalClearsTheLimit() {
        var c = SyntheticSpaces.SPACE.getFirst();
        Budget limit = Budget.parse("get>=100");
        assertEquals(Budget.Verdict.MEETS, limit.verdict(Map.of("get", Estimate.of(List.of(110.0, 111.0, 112.0)))));
        assertEquals(Budget.Verdict.UNDECIDED, limit.verdict(Map.of("get", Estimate.of(List.of(99.0, 102.0, 105.0)))));
        assertEquals(Budget.Verdict.MISSES, limit.verdict(Map.of("get", Estimate.of(List.of(90.0, 91.0, 92.0)))));
        assertEquals(Budget.Verdict.MEETS, limit.verdict(Map.of("get", Estimate.of(List.of(100.0)))),
                "one sample is an exact value");
        assertTrue(c.libraries().size() == 4);
    }
}
