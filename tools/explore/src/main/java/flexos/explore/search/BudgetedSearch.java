package flexos.explore.search;

import flexos.explore.budget.Budget;
import flexos.explore.order.Poset;
import flexos.explore.space.Configuration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * A search that measures only part of the space, using the safety order to infer the rest, and that infers
 * nothing from noise.
 *
 * <p>The heuristic rests on "safer is usually slower" (SPEC §7), which is only probabilistically true:
 * <ol>
 *   <li>While some configuration is undecided, measure the undecided one that splits the undecided set best:
 *       the one maximising min(undecided strictly above it, undecided strictly below it), as a binary search
 *       would (ties: the larger sum, then the earlier one).</li>
 *   <li>A measurement whose confidence interval straddles the budget's limit is measured again, once (more
 *       samples narrow the interval). Inference uses the interval's ends: if even its best end misses the budget
 *       by more than the {@code margin} (say 10%), everything strictly safer is inferred to miss it too; if even
 *       its worst end meets it with more than the margin to spare, everything strictly less safe is inferred to
 *       meet it (those are never maximal, so they need no measurement). Nearer the limit nothing is inferred:
 *       noise and the order's exceptions live there. A failed measurement implies nothing.</li>
 *   <li>Frontier check: once everything is decided, each configuration that covers an answer (one step safer, in
 *       the Hasse diagram) and was only inferred is measured, unless the inference rests on a measurement that
 *       missed by more than {@code strongEvidence} (an inversion that large is not what the order's exceptions
 *       look like). If one of them meets the budget after all, or cannot be decided, the inferences above it are
 *       withdrawn and the search resumes.</li>
 * </ol>
 * The answer is the maximal elements of the measured configurations whose whole interval meets the budget;
 * configurations whose interval still straddles the limit are reported as undecided. An inference can still be
 * wrong when a safer configuration is faster by more than the margin; {@code --verify} compares the answer with
 * exhaustive measurement, and docs/explore.md gives the trade-off between margin, measured fraction and errors on
 * synthetic spaces with noise and inversions.
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
    private final double strongEvidence;

    /**
     * @param margin         the relative distance from the limit within which a measurement implies nothing
     * @param frontierCheck  whether to measure the inferred configurations covering the answer
     * @param strongEvidence how far below the limit (relative) a measurement must be for the frontier check to trust
     *                       the inferences it made without measuring them; at least {@code margin}
     */
    public BudgetedSearch(double margin, boolean frontierCheck, double strongEvidence) {
        if (!(margin >= 0) || margin >= 1) {
            throw new IllegalArgumentException("the margin must be in [0, 1), got " + margin);
        }
        if (!(strongEvidence >= margin)) {
            throw new IllegalArgumentException("strong evidence must be at least the margin, got " + strongEvidence);
        }
        this.margin = margin;
        this.frontierCheck = frontierCheck;
        this.strongEvidence = strongEvidence;
    }

    /** With the frontier check, trusting inferences from measurements three margins below the limit. */
    public BudgetedSearch(double margin, boolean frontierCheck) {
        this(margin, frontierCheck, 3 * margin);
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
                run.extra.add(oracle.measure(baseline.get()));
            } else {
                run.measure(b);
            }
        } else if (budget.isRelative()) {
            BitSet all = new BitSet();
            all.set(0, space.size());
            for (int i = 0; i < space.size(); i++) {
                if (!space.strictlyBelow(i).intersects(all)) {
                    run.measure(i);
                }
            }
        }
        run.decideAll();
        while (frontierCheck && run.checkFrontier()) {
            run.decideAll();
        }
        run.remeasureStraddlers();
        List<Configuration> inferredFeasible = new ArrayList<>();
        List<Configuration> inferredInfeasible = new ArrayList<>();
        for (int i = 0; i < space.size(); i++) {
            if (run.state[i] == INFERRED_FEASIBLE) {
                inferredFeasible.add(space.get(i));
            } else if (run.state[i] == INFERRED_INFEASIBLE) {
                inferredInfeasible.add(space.get(i));
            }
        }
        return ExhaustiveSearch.result(name(), space, budget, baseline, run.measurements(), inferredFeasible,
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
        /** For an inferred configuration, the strongest slack behind its inference (most negative or positive). */
        final double[] evidence;
        final List<Integer> order = new ArrayList<>();
        final List<Measurement> extra = new ArrayList<>();

        Run(Poset space, Budget budget, Optional<Configuration> baseline, MeasurementOracle oracle,
            SearchObserver observer) {
            this.space = space;
            this.budget = budget;
            this.baseline = baseline;
            this.oracle = oracle;
            this.observer = observer;
            this.state = new int[space.size()];
            this.byIndex = new Measurement[space.size()];
            this.evidence = new double[space.size()];
            Arrays.fill(evidence, Double.NaN);
        }

        List<Measurement> measurements() {
            List<Measurement> out = new ArrayList<>(extra);
            order.forEach(i -> out.add(byIndex[i]));
            return out;
        }

        Optional<Budget> absolute() {
            return ResolvedBudget.of(budget, measurements(), baseline);
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
            order.add(i);
            Optional<Budget> absolute = absolute();
            if (m.ok() && absolute.isPresent() && m.rounds() == 1
                    && absolute.get().verdict(m.estimates()) == Budget.Verdict.UNDECIDED) {
                m = oracle.remeasure(m);
                byIndex[i] = m;
                absolute = absolute();
            }
            if (m.ok() && absolute.isPresent()) {
                double best = absolute.get().slack(m.estimates(), false);
                double worst = absolute.get().slack(m.estimates(), true);
                if (best < -margin) {
                    infer(space.strictlyAbove(i), INFERRED_INFEASIBLE, best);
                } else if (worst >= margin) {
                    infer(space.strictlyBelow(i), INFERRED_FEASIBLE, worst);
                }
            }
            observer.measured(m, order.size() + extra.size(), undecided().cardinality());
        }

        void infer(BitSet targets, int verdict, double slack) {
            for (int j = targets.nextSetBit(0); j >= 0; j = targets.nextSetBit(j + 1)) {
                if (state[j] == UNKNOWN) {
                    state[j] = verdict;
                    evidence[j] = slack;
                } else if (state[j] == verdict) {
                    evidence[j] = verdict == INFERRED_INFEASIBLE ? Math.min(evidence[j], slack)
                            : Math.max(evidence[j], slack);
                }
            }
        }

        /** Measures the covers of the current answer that were only inferred, weakly; true if it measured any. */
        boolean checkFrontier() {
            Optional<Budget> absolute = absolute();
            if (absolute.isEmpty()) {
                return false;
            }
            BitSet feasible = new BitSet();
            for (int i : order) {
                if (byIndex[i].ok() && absolute.get().verdict(byIndex[i].estimates()) == Budget.Verdict.MEETS) {
                    feasible.set(i);
                }
            }
            BitSet toCheck = new BitSet();
            BitSet answer = space.maximal(feasible);
            for (int a = answer.nextSetBit(0); a >= 0; a = answer.nextSetBit(a + 1)) {
                BitSet covers = space.covering(a);
                for (int j = covers.nextSetBit(0); j >= 0; j = covers.nextSetBit(j + 1)) {
                    boolean trusted = state[j] == INFERRED_INFEASIBLE && evidence[j] < -strongEvidence;
                    if (state[j] != MEASURED && !trusted) {
                        toCheck.set(j);
                    }
                }
            }
            for (int j = toCheck.nextSetBit(0); j >= 0; j = toCheck.nextSetBit(j + 1)) {
                state[j] = UNKNOWN;
                measure(j);
                Optional<Budget> now = absolute();
                if (byIndex[j].ok() && now.isPresent()
                        && now.get().verdict(byIndex[j].estimates()) != Budget.Verdict.MISSES) {
                    // The order was violated here, or noise hides whether it was: look again above it.
                    BitSet above = space.strictlyAbove(j);
                    for (int k = above.nextSetBit(0); k >= 0; k = above.nextSetBit(k + 1)) {
                        if (state[k] == INFERRED_INFEASIBLE) {
                            state[k] = UNKNOWN;
                        }
                    }
                }
            }
            return !toCheck.isEmpty();
        }

        /** Under the final budget, measures again, once, each measurement whose interval straddles the limit. */
        void remeasureStraddlers() {
            Optional<Budget> absolute = absolute();
            if (absolute.isEmpty()) {
                return;
            }
            for (int i : order) {
                Measurement m = byIndex[i];
                if (m.ok() && m.rounds() == 1 && absolute.get().verdict(m.estimates()) == Budget.Verdict.UNDECIDED) {
                    byIndex[i] = oracle.remeasure(m);
                }
            }
        }
    }
}
