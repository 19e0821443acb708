package flexos.explore.search;

import flexos.explore.budget.Budget;
import flexos.explore.budget.BudgetException;
import flexos.explore.space.Configuration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Resolves a budget's relative constraints against measurements: the best one, or a named baseline's. */
final class ResolvedBudget {

    private ResolvedBudget() {
    }

    /**
     * The absolute budget, or empty when it is relative and nothing it refers to is measured yet.
     *
     * @throws BudgetException if the baseline was measured and failed
     */
    static Optional<Budget> of(Budget budget, Collection<Measurement> measurements, Optional<Configuration> baseline) {
        if (!budget.isRelative()) {
            return Optional.of(budget);
        }
        if (baseline.isPresent()) {
            for (Measurement m : measurements) {
                if (m.configuration().equals(baseline.get())) {
                    if (!m.ok()) {
                        throw new BudgetException("the budget is relative to baseline " + baseline.get()
                                + ", which failed: " + m.error());
                    }
                    return Optional.of(budget.resolve(List.of(m.metrics())));
                }
            }
            return Optional.empty();
        }
        List<java.util.Map<String, Double>> ok = measurements.stream().filter(Measurement::ok)
                .map(Measurement::metrics).toList();
        for (String metric : budget.metrics()) {
            if (ok.stream().noneMatch(m -> m.containsKey(metric))) {
                return Optional.empty();
            }
        }
        return Optional.of(budget.resolve(ok));
    }
}
