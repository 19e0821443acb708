package flexos.explore;

import flexos.explore.budget.Budget;
import flexos.explore.order.Poset;
import flexos.explore.search.AnswerConfidence;
import flexos.explore.search.ExhaustiveSearch;
import flexos.explore.search.MeasurementOracle;
import flexos.explore.search.Search;
import flexos.explore.search.SearchObserver;
import flexos.explore.search.SearchResult;
import flexos.explore.space.Configuration;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One exploration: a search over a space under a budget, optionally verified against exhaustive measurement.
 * Verification measures the whole space with the same oracle, so when the oracle is backed by a results store,
 * what the search measured is not measured again.
 *
 * @param space    the configurations and their order
 * @param budget   the performance budget
 * @param baseline what relative budgets refer to, if not the best measured configuration
 * @param search   the search strategy
 */
public record Exploration(Poset space, Budget budget, Optional<Configuration> baseline, Search search) {

    /**
     * What an exploration found.
     *
     * @param confidence the fraction of bootstrap resamples of the measured samples that give the same answer
     *                   ({@link AnswerConfidence}); NaN when nothing was measured
     */
    public record Outcome(SearchResult result, Optional<Verification> verification, Duration wallTime,
                          double confidence) {
    }

    public Outcome run(MeasurementOracle oracle, SearchObserver observer, boolean verify) {
        long start = System.nanoTime();
        SearchResult result = search.search(space, budget, baseline, oracle, observer);
        Optional<Verification> verification = Optional.empty();
        if (verify) {
            SearchResult exhaustive = new ExhaustiveSearch().search(space, budget, baseline, oracle,
                    SearchObserver.NONE);
            List<Configuration> missed = exhaustive.answer().stream()
                    .filter(c -> !result.answer().contains(c)).toList();
            List<Configuration> spurious = result.answer().stream()
                    .filter(c -> !exhaustive.answer().contains(c)).toList();
            verification = Optional.of(new Verification(exhaustive.answer(), missed, spurious));
        }
        double confidence = AnswerConfidence.of(space, budget, baseline, result.measurements(), result.answer(),
                AnswerConfidence.DEFAULT_RESAMPLES, 15);
        return new Outcome(result, verification, Duration.ofNanos(System.nanoTime() - start), confidence);
    }
}
