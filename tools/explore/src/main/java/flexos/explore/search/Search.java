package flexos.explore.search;

import flexos.explore.budget.Budget;
import flexos.explore.order.Poset;
import flexos.explore.space.Configuration;
import java.util.Optional;

/**
 * Finds the safest configurations that meet a budget: the maximal elements, under the safety order, of the
 * configurations whose measurements meet it. Implementations differ in which configurations they measure.
 */
public interface Search {

    /**
     * @param space    the configurations and their order
     * @param budget   the budget; relative constraints are resolved against the best measured value, or against
     *                 {@code baseline}'s measurement when present
     * @param baseline the configuration relative budgets refer to, if not the best measured
     * @param oracle   how to measure a configuration
     * @param observer hears about each measurement
     */
    SearchResult search(Poset space, Budget budget, Optional<Configuration> baseline, MeasurementOracle oracle,
                        SearchObserver observer);

    String name();
}
