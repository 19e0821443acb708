package flexos.explore.measure;

import flexos.explore.stats.Estimate;
import java.util.List;
import java.util.Map;

/**
 * When to stop taking samples of one configuration: after at least {@code minRuns} runs, once every metric's
 * confidence interval is within {@code precision} of its mean (0.02 = ±2%), or after {@code maxRuns} runs,
 * whichever comes first. A measurement measured again takes another round under the same plan.
 *
 * @param minRuns    the fewest runs, at least 2 (an interval needs two samples)
 * @param maxRuns    the most runs
 * @param precision  the relative half-width of the interval at which to stop
 * @param confidence the intervals' confidence level
 */
public record SamplingPlan(int minRuns, int maxRuns, double precision, double confidence) {

    public SamplingPlan {
        if (minRuns < 2 || maxRuns < minRuns) {
            throw new IllegalArgumentException("runs per measurement: need 2 <= min <= max, got " + minRuns + " and "
                    + maxRuns);
        }
        if (!(precision > 0)) {
            throw new IllegalArgumentException("the precision must be positive, got " + precision);
        }
    }

    /** At least 3 runs, at most 10, until ±2% at 95%. */
    public static SamplingPlan standard() {
        return new SamplingPlan(3, 10, 0.02, Estimate.DEFAULT_CONFIDENCE);
    }

    /** Whether {@code samples} (this round's, per metric) are enough. */
    public boolean enough(Map<String, List<Double>> samples) {
        int runs = samples.values().stream().mapToInt(List::size).min().orElse(0);
        if (runs < minRuns) {
            return false;
        }
        if (runs >= maxRuns) {
            return true;
        }
        for (List<Double> s : samples.values()) {
            if (Estimate.of(s, confidence).relativeHalfWidth() > precision) {
                return false;
            }
        }
        return true;
    }
}
