package flexos.explore.search;

import flexos.explore.budget.Budget;
import flexos.explore.space.Configuration;
import java.util.List;

/**
 * What a search found. A measured configuration meets the budget only when its whole confidence interval clears
 * the limit; one whose interval still straddles the limit after it was measured again is undecided, and neither
 * in {@code feasible} nor excluded from it for certain.
 *
 * @param strategy           the search's name
 * @param spaceSize          how many configurations the space holds
 * @param measurements       every configuration's last measurement, in the order first measured
 * @param budget             the budget with relative constraints resolved against the measurements
 * @param feasible           the measured configurations that meet the budget
 * @param answer             the maximal elements of {@code feasible} under the safety order
 * @param undecided          the measured configurations whose interval straddles the limit
 * @param inferredFeasible   configurations not measured because a safer measured one met the budget clearly
 * @param inferredInfeasible configurations not measured because a less safe measured one missed it clearly
 */
public record SearchResult(String strategy, int spaceSize, List<Measurement> measurements, Budget budget,
                           List<Configuration> feasible, List<Configuration> answer, List<Configuration> undecided,
                           List<Configuration> inferredFeasible, List<Configuration> inferredInfeasible) {

    public SearchResult {
        measurements = List.copyOf(measurements);
        feasible = List.copyOf(feasible);
        answer = List.copyOf(answer);
        undecided = List.copyOf(undecided);
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
