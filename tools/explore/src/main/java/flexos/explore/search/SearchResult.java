package flexos.explore.search;

import flexos.explore.budget.Budget;
import flexos.explore.space.Configuration;
import java.util.List;

/**
 * What a search found.
 *
 * @param strategy           the search's name
 * @param spaceSize          how many configurations the space holds
 * @param measurements       every measurement made, in order
 * @param budget             the budget with relative constraints resolved against the measurements
 * @param feasible           the measured configurations that meet the budget
 * @param answer             the maximal elements of {@code feasible} under the safety order
 * @param inferredFeasible   configurations not measured because a safer measured one met the budget clearly
 * @param inferredInfeasible configurations not measured because a less safe measured one missed it clearly
 */
public record SearchResult(String strategy, int spaceSize, List<Measurement> measurements, Budget budget,
                           List<Configuration> feasible, List<Configuration> answer,
                           List<Configuration> inferredFeasible, List<Configuration> inferredInfeasible) {

    public SearchResult {
        measurements = List.copyOf(measurements);
        feasible = List.copyOf(feasible);
        answer = List.copyOf(answer);
        inferredFeasible = List.copyOf(inferredFeasible);
        inferredInfeasible = List.copyOf(inferredInfeasible);
    }

    public int measuredCount() {
        return measurements.size();
    }

    public long failedCount() {
        return measurements.stream().filter(m -> !m.ok()).count();
    }
}
