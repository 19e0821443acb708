package flexos.explore.search;

import flexos.explore.budget.Budget;
import flexos.explore.budget.BudgetException;
import flexos.explore.order.Poset;
import flexos.explore.space.Configuration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Measures every configuration, measures again each one whose interval straddles the budget's limit, then takes
 * the maximal ones among those that meet the budget.
 */
public final class ExhaustiveSearch implements Search {

    @Override
    public String name() {
        return "exhaustive";
    }

    @Override
    public SearchResult search(Poset space, Budget budget, Optional<Configuration> baseline, MeasurementOracle oracle,
                               SearchObserver observer) {
        Map<Configuration, Measurement> measurements = new LinkedHashMap<>();
        if (baseline.isPresent() && space.indexOf(baseline.get()) < 0) {
            measurements.put(baseline.get(), oracle.measure(baseline.get()));
        }
        for (int i = 0; i < space.size(); i++) {
            Measurement m = oracle.measure(space.get(i));
            measurements.put(m.configuration(), m);
            observer.measured(m, measurements.size(), space.size() - i - 1);
        }
        remeasureStraddlers(budget, baseline, oracle, measurements);
        return result(name(), space, budget, baseline, List.copyOf(measurements.values()), List.of(), List.of());
    }

    /**
     * Measures again, once (a measurement that was measured again is not), every measurement whose interval
     * straddles the limit of {@code budget} resolved against
     * all of them, replacing it in {@code measurements}.
     */
    static void remeasureStraddlers(Budget budget, Optional<Configuration> baseline, MeasurementOracle oracle,
                                    Map<Configuration, Measurement> measurements) {
        Optional<Budget> absolute = ResolvedBudget.of(budget, measurements.values(), baseline);
        if (absolute.isEmpty()) {
            return;
        }
        for (Measurement m : List.copyOf(measurements.values())) {
            if (m.ok() && m.rounds() == 1 && absolute.get().verdict(m.estimates()) == Budget.Verdict.UNDECIDED) {
                measurements.put(m.configuration(), oracle.remeasure(m));
            }
        }
    }

    /** The result of a search that measured {@code measurements}: the feasible ones and their maximal elements. */
    static SearchResult result(String strategy, Poset space, Budget budget, Optional<Configuration> baseline,
                               List<Measurement> measurements, List<Configuration> inferredFeasible,
                               List<Configuration> inferredInfeasible) {
        Budget absolute = ResolvedBudget.of(budget, measurements, baseline).orElseThrow(() -> new BudgetException(
                "the budget " + budget + " is relative, but no configuration it refers to was measured successfully"));
        BitSet feasible = new BitSet();
        List<Configuration> undecided = new ArrayList<>();
        for (Measurement m : measurements) {
            int i = space.indexOf(m.configuration());
            if (i < 0 || !m.ok()) {
                continue;
            }
            switch (absolute.verdict(m.estimates())) {
                case MEETS -> feasible.set(i);
                case UNDECIDED -> undecided.add(m.configuration());
                case MISSES -> { }
            }
        }
        List<Configuration> feasibleList = feasible.stream().mapToObj(space::get).toList();
        List<Configuration> answer = space.maximal(feasible).stream().mapToObj(space::get).toList();
        return new SearchResult(strategy, space.size(), measurements, absolute, feasibleList, answer, undecided,
                inferredFeasible, inferredInfeasible);
    }
}
