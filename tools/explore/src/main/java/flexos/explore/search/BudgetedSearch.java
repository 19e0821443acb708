package flexos.explore.search;

import flexos.explore.budget.Budget;
import flexos.explore.order.Poset;
import flexos.explore.space.Configuration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * A search that measures only part of the space, using the safety order to infer the rest.
 *
 * <p>The heuristic rests on "safer is usually slower" (SPEC §7), which is only probabilistically true:
 * <ol>
 *   <li>While some configuration is undecided, measure the undecided one that splits the undecided set best:
 *       the one maximising min(undecided strictly above it, undecided strictly below it), as a binary search
 *       would (ties: the larger sum, then the earlier one).</li>
 *   <li>If it misses the budget by more than the {@code margin} (say 10%), everything strictly safer is
 *       inferred to miss it too and is not measured. If it meets the budget with more than the margin to spare,
 *       everything strictly less safe is inferred to meet it; those are never maximal, so they need no
 *       measurement. A result within the margin of the limit implies nothing: near the limit, noise and the
 *       order's exceptions decide.</li>
 *   <li>A failed measurement implies nothing: failing is not a performance.</li>
 *   <li>Frontier check: once everything is decided, each configuration that covers an answer (one step safer,
 *       in the Hasse diagram) and was only inferred is measured. If one of them meets the budget after all,
 *       the inferences above it are withdrawn and the search resumes.</li>
 * </ol>
 * The answer is the maximal elements of the measured configurations that meet the budget. An inference can be
 * wrong when a safer configuration is faster further than one step away; {@code --verify} compares the answer
 * with exhaustive measurement. On the paper's data (80 configurations, 16 order-violating pairs) it measures 28
 * and finds the exhaustive answer.
 *
 * <p>A relative budget needs its reference first: the baseline if one is named, otherwise the least safe
 * configurations (the minimal elements), which are expected to be the fastest; the limit is recomputed from
 * everything measured after each measurement.
 */
public final class BudgetedSearch implements Search {

    private static final int UNKNOWN = 0;
    private static final int MEASURED = 1;
    private static final int INFERRED_FEASIBLE = 2;
    private static final int INFERRED_INFEASIBLE = 3;

    private final double margin;
    private final boolean frontierCheck;

    /**
     * @param margin        the relative distance from the limit within which a measurement implies nothing
     * @param frontierCheck whether to measure the inferred configurations covering the answer
     */
    public BudgetedSearch(double margin, boolean frontierCheck) {
        if (!(margin >= 0) || margin >= 1) {
            throw new IllegalArgumentException("the margin must be in [0, 1), got " + margin);
        }
        this.margin = margin;
        this.frontierCheck = frontierCheck;
    }

    /** Margin 10%, with the frontier check. */
    public BudgetedSearch() {
        this(0.10, true);
    }

    @Override
    public String name() {
        return "budgeted";
    }

    @Override
    public SearchResult search(Poset space, Budget budget, Optional<Configuration> baseline, MeasurementOracle oracle,
                               SearchObserver observer) {
        Run run = new Run(space, budget, baseline, oracle, observer);
        if (baseline.isPresent()) {
            int b = space.indexOf(baseline.get());
            if (b < 0) {
                run.measurements.add(oracle.measure(baseline.get()));
            } else {
                run.measure(b);
            }
        } else if (budget.isRelative()) {
            BitSet all = new BitSet();
            all.set(0, space.size());
            BitSet minimal = new BitSet();
            for (int i = 0; i < space.size(); i++) {
                if (!space.strictlyBelow(i).intersects(all)) {
                    minimal.set(i);
                }
            }
            minimal.stream().forEach(run::measure);
        }
        run.decideAll();
        while (frontierCheck && run.checkFrontier()) {
            run.decideAll();
        }
        List<Configuration> inferredFeasible = new ArrayList<>();
        List<Configuration> inferredInfeasible = new ArrayList<>();
        for (int i = 0; i < space.size(); i++) {
            if (run.state[i] == INFERRED_FEASIBLE) {
                inferredFeasible.add(space.get(i));
            } else if (run.state[i] == INFERRED_INFEASIBLE) {
                inferredInfeasible.add(space.get(i));
            }
        }
        return ExhaustiveSearch.result(name(), space, budget, baseline, run.measurements, inferredFeasible,
                inferredInfeasible);
    }

    private final class Run {
        final Poset space;
        final Budget budget;
        final Optional<Configuration> baseline;
        final MeasurementOracle oracle;
        final SearchObserver observer;
        final int[] state;
        final Measurement[] byIndex;
        final List<Measurement> measurements = new ArrayList<>();

        Run(Poset space, Budget budget, Optional<Configuration> baseline, MeasurementOracle oracle,
            SearchObserver observer) {
            this.space = space;
            this.budget = budget;
            this.baseline = baseline;
            this.oracle = oracle;
            this.observer = observer;
            this.state = new int[space.size()];
            this.byIndex = new Measurement[space.size()];
        }

        void decideAll() {
            int next;
            while ((next = pick()) >= 0) {
                measure(next);
            }
        }

        int pick() {
            BitSet undecided = undecided();
            int best = -1;
            long bestScore = -1;
            for (int i = undecided.nextSetBit(0); i >= 0; i = undecided.nextSetBit(i + 1)) {
                BitSet up = space.strictlyAbove(i);
                up.and(undecided);
                BitSet down = space.strictlyBelow(i);
                down.and(undecided);
                long score = (long) Math.min(up.cardinality(), down.cardinality()) * 100_000
                        + up.cardinality() + down.cardinality();
                if (score > bestScore) {
                    best = i;
                    bestScore = score;
                }
            }
            return best;
        }

        BitSet undecided() {
            BitSet out = new BitSet();
            for (int i = 0; i < state.length; i++) {
                if (state[i] == UNKNOWN) {
                    out.set(i);
                }
            }
            return out;
        }

        void measure(int i) {
            if (state[i] == MEASURED) {
                return;
            }
            Measurement m = oracle.measure(space.get(i));
            state[i] = MEASURED;
            byIndex[i] = m;
            measurements.add(m);
            Optional<Budget> absolute = ResolvedBudget.of(budget, measurements, baseline);
            if (m.ok() && absolute.isPresent()) {
                double slack = absolute.get().slack(m.metrics());
                if (slack < -margin) {
                    infer(space.strictlyAbove(i), INFERRED_INFEASIBLE);
                } else if (slack >= margin) {
                    infer(space.strictlyBelow(i), INFERRED_FEASIBLE);
                }
            }
            observer.measured(m, measurements.size(), undecided().cardinality());
        }

        void infer(BitSet targets, int verdict) {
            for (int j = targets.nextSetBit(0); j >= 0; j = targets.nextSetBit(j + 1)) {
                if (state[j] == UNKNOWN) {
                    state[j] = verdict;
                }
            }
        }

        /** Measures the unmeasured covers of the current answer; true if it measured any. */
        boolean checkFrontier() {
            Optional<Budget> absolute = ResolvedBudget.of(budget, measurements, baseline);
            if (absolute.isEmpty()) {
                return false;
            }
            BitSet feasible = new BitSet();
            for (int i = 0; i < state.length; i++) {
                if (state[i] == MEASURED && byIndex[i].ok() && absolute.get().meets(byIndex[i].metrics())) {
                    feasible.set(i);
                }
            }
            BitSet toCheck = new BitSet();
            BitSet answer = space.maximal(feasible);
            for (int a = answer.nextSetBit(0); a >= 0; a = answer.nextSetBit(a + 1)) {
                BitSet covers = space.covering(a);
                for (int j = covers.nextSetBit(0); j >= 0; j = covers.nextSetBit(j + 1)) {
                    if (state[j] != MEASURED) {
                        toCheck.set(j);
                    }
                }
            }
            for (int j = toCheck.nextSetBit(0); j >= 0; j = toCheck.nextSetBit(j + 1)) {
                state[j] = UNKNOWN;
                measure(j);
                Optional<Budget> now = ResolvedBudget.of(budget, measurements, baseline);
                if (byIndex[j].ok() && now.isPresent() && now.get().meets(byIndex[j].metrics())) {
                    // The order was violated here: withdraw the "too slow" inferences above and look again.
                    BitSet above = space.strictlyAbove(j);
                    for (int k = above.nextSetBit(0); k >= 0; k = above.nextSetBit(k + 1)) {
                        if (state[k] == INFERRED_INFEASIBLE) {
                            state[k] = UNKNOWN;
                        }
                    }
                }
            }
            // The answer may have changed; the caller checks the new frontier until nothing is left to check.
            return !toCheck.isEmpty();
        }
    }
}
