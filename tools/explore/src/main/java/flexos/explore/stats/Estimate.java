package flexos.explore.stats;

import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * A metric estimated from repeated samples: the mean and its two-sided Student-t confidence interval,
 * {@code mean ± t(confidence, n-1) · s / √n}. Run-to-run throughput of a warmed-up server is close enough to normal
 * for this to be the interval benchmarking tools use (JMH reports the same).
 *
 * <p>One sample has no spread to estimate: its interval is the sample itself and {@link #hasInterval()} is false,
 * so a caller can tell an exact value (a number read from a file) from a measured one.
 *
 * @param samples    the samples, in the order taken
 * @param mean       their mean
 * @param low        the interval's lower end
 * @param high       the interval's upper end
 * @param confidence the interval's confidence level, e.g. 0.95
 */
public record Estimate(List<Double> samples, double mean, double low, double high, double confidence) {

    /** The confidence level used unless another is asked for. */
    public static final double DEFAULT_CONFIDENCE = 0.95;

    public Estimate {
        samples = List.copyOf(samples);
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("an estimate needs at least one sample");
        }
    }

    /** The estimate of {@code samples} at {@link #DEFAULT_CONFIDENCE}. */
    public static Estimate of(List<Double> samples) {
        return of(samples, DEFAULT_CONFIDENCE);
    }

    /** The estimate of {@code samples} at {@code confidence}. */
    public static Estimate of(List<Double> samples, double confidence) {
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("the confidence level must be in (0, 1), got " + confidence);
        }
        int n = samples.size();
        if (n == 0) {
            throw new IllegalArgumentException("an estimate needs at least one sample");
        }
        double mean = samples.stream().mapToDouble(Double::doubleValue).sum() / n;
        if (n == 1) {
            return new Estimate(samples, mean, mean, mean, confidence);
        }
        double squares = 0;
        for (double x : samples) {
            squares += (x - mean) * (x - mean);
        }
        double sd = Math.sqrt(squares / (n - 1));
        double t = new TDistribution(null, n - 1).inverseCumulativeProbability(1 - (1 - confidence) / 2);
        double half = t * sd / Math.sqrt(n);
        return new Estimate(samples, mean, mean - half, mean + half, confidence);
    }

    /** The same samples and more, re-estimated at the same confidence. */
    public Estimate with(List<Double> more) {
        List<Double> all = new java.util.ArrayList<>(samples);
        all.addAll(more);
        return of(all, confidence);
    }

    /** Whether there is an interval: at least two samples. */
    public boolean hasInterval() {
        return samples.size() > 1;
    }

    /** Half the interval's width relative to the mean: 0.02 is ±2%. Zero for one sample. */
    public double relativeHalfWidth() {
        return mean == 0 ? (high - low == 0 ? 0 : Double.POSITIVE_INFINITY) : (high - low) / 2 / Math.abs(mean);
    }

    @Override
    public String toString() {
        return hasInterval() ? String.format(java.util.Locale.ROOT, "%.6g [%.6g, %.6g] (n=%d)", mean, low, high,
                samples.size()) : String.format(java.util.Locale.ROOT, "%.6g (n=1)", mean);
    }
}
