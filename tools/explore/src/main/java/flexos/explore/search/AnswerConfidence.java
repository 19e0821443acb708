package flexos.explore.search;

import flexos.explore.budget.Budget;
import flexos.explore.order.Poset;
import flexos.explore.space.Configuration;
import flexos.explore.stats.Estimate;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * How sure an answer is: the fraction of bootstrap resamples of the stored samples that give the same answer
 * (B. Efron, "Bootstrap methods: another look at the jackknife", Annals of Statistics 7(1), 1979). Each resample
 * draws every measured configuration's samples again with replacement, takes their means, resolves a relative
 * budget against them, and takes the maximal configurations whose mean meets it. Only the measured
 * configurations take part: what the search inferred without measuring has no samples to resample.
 *
 * <p>Deterministic for a given seed. A space read from a file with one sample per configuration resamples to the
 * same values every time, so its confidence is 1: the file says nothing of its noise. O(resamples · (samples +
 * measured²)) time.
 */
public final class AnswerConfidence {

    /** Resamples taken unless another count is asked for. */
    public static final int DEFAULT_RESAMPLES = 1000;

    private AnswerConfidence() {
    }

    /**
     * @param budget   the budget as the user wrote it (relative constraints are resolved per resample)
     * @param answer   the answer whose confidence is wanted
     */
    public static double of(Poset space, Budget budget, Optional<Configuration> baseline,
                            List<Measurement> measurements, List<Configuration> answer, int resamples, long seed) {
        List<Measurement> ok = measurements.stream().filter(Measurement::ok).toList();
        if (ok.isEmpty() || resamples < 1) {
            return Double.NaN;
        }
        SplittableRandom random = new SplittableRandom(seed);
        HashSet<Configuration> wanted = new HashSet<>(answer);
        int same = 0;
        for (int r = 0; r < resamples; r++) {
            List<Measurement> drawn = new ArrayList<>(ok.size());
            for (Measurement m : ok) {
                TreeMap<String, Estimate> means = new TreeMap<>();
                for (Map.Entry<String, Estimate> e : m.estimates().entrySet()) {
                    List<Double> samples = e.getValue().samples();
                    double sum = 0;
                    for (int k = 0; k < samples.size(); k++) {
                        sum += samples.get(random.nextInt(samples.size()));
                    }
                    means.put(e.getKey(), Estimate.of(List.of(sum / samples.size())));
                }
                drawn.add(new Measurement(m.configuration(), m.status(), means, "", m.command(), m.started(),
                        m.duration(), m.rounds()));
            }
            Optional<Budget> absolute = ResolvedBudget.of(budget, drawn, baseline);
            if (absolute.isEmpty()) {
                continue;
            }
            BitSet feasible = new BitSet();
            for (Measurement m : drawn) {
                int i = space.indexOf(m.configuration());
                if (i >= 0 && absolute.get().meets(m.metrics())) {
                    feasible.set(i);
                }
            }
            HashSet<Configuration> found = new HashSet<>();
            space.maximal(feasible).stream().forEach(i -> found.add(space.get(i)));
            if (found.equals(wanted)) {
                same++;
            }
        }
        return (double) same / resamples;
    }
}
