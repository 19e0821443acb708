package flexos.explore.search;

import flexos.explore.budget.Budget;
import flexos.explore.measure.SamplingPlan;
import flexos.explore.order.Poset;
import flexos.explore.order.SafetyOrder;
import flexos.explore.space.Configuration;
import flexos.explore.space.ConfigurationSpace;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

/**
 * Seeded synthetic spaces of the paper's shape (4 libraries, 5 layouts, 16 hardening subsets, all MPK) with
 * realistic noise, to test the searches where the truth is known:
 * <ul>
 *   <li>a configuration's true throughput is 1.2M req/s times a cost per separated pair of libraries (0-15%) and
 *       a cost per hardened library (redis 30-55%, newlib 45-65%, uksched 5-30%, lwip 15-35%, around the
 *       paper's), times a perturbation of its own (normal, {@code inversion} standard deviation) that makes some
 *       safer configurations faster, as in the paper's 16 of 892 comparable pairs;</li>
 *   <li>each run of a measurement draws the true value times normal noise of {@code noise} standard deviation, the
 *       run-to-run noise of a warmed-up image; runs are taken by a {@link SamplingPlan}, and measuring again takes
 *       another round. Each configuration's runs come from a stream of its own, so two searches over one space see
 *       the same samples for the same configuration, as two searches over one results store do;</li>
 *   <li>the budget's limit is the true throughput at a random quantile between 10% and 90%.</li>
 * </ul>
 * {@link #main} prints the trade-off table of docs/explore.md.
 */
final class SyntheticSpaces {

    static final List<Configuration> SPACE = ConfigurationSpace.of(List.of("redis", "newlib", "uksched", "lwip"))
            .allPartitions().together(List.of("redis", "newlib")).mechanisms(List.of("mpk"))
            .hardeningOptions(List.of(CsvMeasurements.HARDENED)).configurations();
    static final Poset POSET = new Poset(SPACE, SafetyOrder.standard());

    private SyntheticSpaces() {
    }

    /** One synthetic space: true values, a noisy oracle over them, and a budget. */
    record Trial(long seed, double[] truth, Budget budget, double noise, SamplingPlan plan) {

        static Trial of(long seed, double inversion, double noise, SamplingPlan plan) {
            Random random = new Random(seed);
            double[] pairCost = new double[6];
            for (int p = 0; p < 6; p++) {
                pairCost[p] = 0.15 * random.nextDouble();
            }
            double[][] hardenRange = {{0.30, 0.55}, {0.45, 0.65}, {0.05, 0.30}, {0.15, 0.35}};
            double[] hardenCost = new double[4];
            for (int l = 0; l < 4; l++) {
                hardenCost[l] = hardenRange[l][0] + (hardenRange[l][1] - hardenRange[l][0]) * random.nextDouble();
            }
            double[] truth = new double[POSET.size()];
            for (int i = 0; i < truth.length; i++) {
                Configuration c = POSET.get(i);
                double v = 1_200_000;
                int p = 0;
                for (int a = 0; a < 4; a++) {
                    for (int b = a + 1; b < 4; b++, p++) {
                        if (c.compartmentAt(a) != c.compartmentAt(b)) {
                            v *= 1 - pairCost[p];
                        }
                    }
                    if (!c.hardening().get(a).isEmpty()) {
                        v *= 1 - hardenCost[a];
                    }
                }
                truth[i] = v * Math.max(0.2, 1 + inversion * random.nextGaussian());
            }
            double[] sorted = truth.clone();
            java.util.Arrays.sort(sorted);
            double quantile = 0.1 + 0.8 * random.nextDouble();
            double limit = sorted[(int) (quantile * (sorted.length - 1))] * (0.97 + 0.06 * random.nextDouble());
            return new Trial(seed, truth, Budget.parse("get>=" + (long) limit), noise, plan);
        }

        /** Comparable pairs whose safer configuration is truly faster. */
        int inversions() {
            int n = 0;
            for (int i = 0; i < truth.length; i++) {
                for (int j = 0; j < truth.length; j++) {
                    if (POSET.strictlySafer(i, j) && truth[i] > truth[j]) {
                        n++;
                    }
                }
            }
            return n;
        }

        MeasurementOracle oracle() {
            return new MeasurementOracle() {
                @Override
                public Measurement measure(Configuration c) {
                    return Measurement.sampled(c, Map.of("get", round(c, 0)), plan.confidence(), command(),
                            Instant.EPOCH, Duration.ZERO);
                }

                @Override
                public Measurement remeasure(Measurement previous) {
                    return previous.withMore(Map.of("get", round(previous.configuration(), previous.rounds())),
                            Duration.ZERO);
                }

                @Override
                public String command() {
                    return "synthetic " + seed;
                }
            };
        }

        /** Round {@code round} of a configuration's runs: its own stream, so it is the same whoever asks. */
        List<Double> round(Configuration c, int round) {
            int i = POSET.indexOf(c);
            Random random = new Random(seed * 1_000_003L + i * 7919L + round * 104_729L);
            Map<String, List<Double>> samples = new TreeMap<>();
            List<Double> runs = new ArrayList<>();
            samples.put("get", runs);
            do {
                runs.add(truth[i] * (1 + noise * random.nextGaussian()));
            } while (!plan.enough(samples));
            return runs;
        }
    }

    /** How a search did over many trials. */
    record Score(int trials, int errors, double meanMeasured, double minMeasured, double maxMeasured,
                 double meanInversions) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d of %d differ, measured %.1f%% on average (%.0f-%.0f%%), "
                    + "%.1f inversions per space", errors, trials, 100 * meanMeasured, 100 * minMeasured,
                    100 * maxMeasured, meanInversions);
        }
    }

    static Score score(BudgetedSearch search, int trials, long firstSeed, double inversion, double noise,
                       SamplingPlan plan) {
        int errors = 0;
        double sum = 0;
        double min = 1;
        double max = 0;
        double inversions = 0;
        for (int t = 0; t < trials; t++) {
            Trial trial = Trial.of(firstSeed + t, inversion, noise, plan);
            MeasurementOracle oracle = trial.oracle();
            SearchResult exhaustive = new ExhaustiveSearch().search(POSET, trial.budget(), Optional.empty(), oracle,
                    SearchObserver.NONE);
            SearchResult budgeted = search.search(POSET, trial.budget(), Optional.empty(), oracle,
                    SearchObserver.NONE);
            if (!new HashSet<>(exhaustive.answer()).equals(new HashSet<>(budgeted.answer()))) {
                errors++;
            }
            double measured = (double) budgeted.measuredCount() / POSET.size();
            sum += measured;
            min = Math.min(min, measured);
            max = Math.max(max, measured);
            inversions += trial.inversions();
        }
        return new Score(trials, errors, sum / trials, min, max, inversions / trials);
    }

    /** The trade-off table: {@code mvn -pl tools/explore -am test-compile} then run this class (docs/explore.md). */
    public static void main(String[] args) {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        SamplingPlan plan = SamplingPlan.standard();
        System.out.println("| margin | frontier check | strong evidence | errors | measured (mean, range) |");
        System.out.println("|---|---|---|---|---|");
        for (double margin : new double[] {0.02, 0.05, 0.08, 0.10, 0.15}) {
            for (boolean frontier : new boolean[] {false, true}) {
                for (double strong : frontier ? new double[] {margin, 2 * margin, 3 * margin, 1.0}
                        : new double[] {margin}) {
                    Score s = score(new BudgetedSearch(margin, frontier, strong), trials, 1, 0.09, 0.03, plan);
                    System.out.printf(Locale.ROOT, "| %.2f | %s | %s | %d of %d | %.1f%% (%.0f-%.0f%%) |%n", margin,
                            frontier ? "yes" : "no", frontier ? (strong >= 1 ? "never" : String.format(
                                    Locale.ROOT, "%.2f", strong)) : "-", s.errors(), s.trials(),
                            100 * s.meanMeasured(), 100 * s.minMeasured(), 100 * s.maxMeasured());
                }
            }
        }
        System.out.println(score(new BudgetedSearch(), trials, 1, 0.09, 0.03, plan));
    }
}
