package flexos.explore.search;

import flexos.explore.budget.Budget;
import flexos.explore.budget.BudgetException;
import flexos.explore.order.Poset;
import flexos.explore.space.Configuration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/** Measures every configuration, then takes the maximal ones among those that meet the budget. */
public final class ExhaustiveSearch implements Search {

    @Override
    public String name() {
        return "exhaustive";
    }

    @Override
    public SearchResult search(Poset space, Budget budget, Optional<Configuration> baseline, MeasurementOracle oracle,
                               SearchObserver observer) {
        List<Measurement> measurements = new ArrayList<>();
        if (baseline.isPresent() && space.indexOf(baseline.get()) < 0) {
            measurements.add(oracle.measure(baseline.get()));
        }
        for (int i = 0; i < space.size(); i++) {
            Measurement m = oracle.measure(space.get(i));
            measurements.add(m);
            observer.measured(m, measurements.size(), space.size() - i - 1);
        }
        return result(name(), space, budget, baseline, measurements, List.of(), List.of());
    }

    /** The result of a search that measured {@code measurements}: the feasible ones and their maximal elements. */
    static SearchResult result(String strategy, Poset space, Budget budget, Optional<Configuration> baseline,
                               List<Measurement> measurements, List<Configuration> inferredFeasible,
                               List<Configuration> inferredInfeasible) {
        Budget absolute = ResolvedBudget.of(budget, measurements, baseline).orElseThrow(() -> new BudgetException(
                "the budget " + budget + " is relative, but no configuration it refers to was measured successfully"));
        BitSet feasible = new BitSet();
        for (Measurement m : measurements) {
            int i = space.indexOf(m.configuration());
            if (i >= 0 && m.ok() && absolute.meets(m.metrics())) {
                feasible.set(i);
            }
        }
        List<Configuration> feasibleList = feasible.stream().mapToObj(space::get).toList();
        List<Configuration> answer = space.maximal(feasible).stream().mapToObj(space::get).toList();
        return new SearchResult(strategy, space.size(), measurements, absolute, feasibleList, answer,
                inferredFeasible, inferredInfeasible);
    }
}
