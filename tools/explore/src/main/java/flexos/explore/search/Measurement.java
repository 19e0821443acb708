package flexos.explore.search;

import flexos.explore.space.Configuration;
import flexos.explore.stats.Estimate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The outcome of measuring one configuration: an estimate per metric (its samples, mean and confidence interval),
 * or why it could not be measured.
 *
 * @param configuration the configuration measured
 * @param status        {@link Status#OK} with estimates, or {@link Status#FAILED} with an error
 * @param estimates     per metric, in the workload's units (throughput in requests per second); empty if failed
 * @param error         what went wrong, or the empty string
 * @param command       the exact command that produced the numbers (or the CSV file they came from)
 * @param started       when the measurement started
 * @param duration      how long it took
 * @param rounds        how many times it was measured: 1, or 2 once its samples were added to (a search measures a
 *                      configuration again at most once)
 */
public record Measurement(Configuration configuration, Status status, SortedMap<String, Estimate> estimates,
                          String error, String command, Instant started, Duration duration, int rounds) {

    /** Whether a measurement produced numbers. */
    public enum Status { OK, FAILED }

    public Measurement {
        estimates = Collections.unmodifiableSortedMap(new TreeMap<>(estimates));
        error = error == null ? "" : error;
        if (rounds < 1) {
            throw new IllegalArgumentException("a measurement is made at least once, got " + rounds + " rounds");
        }
    }

    /** Exact values, one sample each (a number read from a file). */
    public static Measurement ok(Configuration c, Map<String, Double> values, String command, Instant started,
                                 Duration duration) {
        SortedMap<String, Estimate> estimates = new TreeMap<>();
        values.forEach((metric, v) -> estimates.put(metric, Estimate.of(List.of(v))));
        return new Measurement(c, Status.OK, estimates, "", command, started, duration, 1);
    }

    /** Repeated samples of each metric, estimated at {@code confidence}. */
    public static Measurement sampled(Configuration c, Map<String, List<Double>> samples, double confidence,
                                      String command, Instant started, Duration duration) {
        SortedMap<String, Estimate> estimates = new TreeMap<>();
        samples.forEach((metric, s) -> estimates.put(metric, Estimate.of(s, confidence)));
        return new Measurement(c, Status.OK, estimates, "", command, started, duration, 1);
    }

    public static Measurement failed(Configuration c, String error, String command, Instant started,
                                     Duration duration) {
        return new Measurement(c, Status.FAILED, new TreeMap<>(), error, command, started, duration, 1);
    }

    public boolean ok() {
        return status == Status.OK;
    }

    /** Each metric's point estimate (the mean of its samples). */
    public Map<String, Double> metrics() {
        SortedMap<String, Double> out = new TreeMap<>();
        estimates.forEach((metric, e) -> out.put(metric, e.mean()));
        return Collections.unmodifiableMap(out);
    }

    /** The same measurement with {@code more} samples added to each metric (a re-measurement's). */
    public Measurement withMore(Map<String, List<Double>> more, Duration extra) {
        SortedMap<String, Estimate> merged = new TreeMap<>(estimates);
        more.forEach((metric, s) -> merged.merge(metric, Estimate.of(s), (a, b) -> a.with(s)));
        return new Measurement(configuration, status, merged, error, command, started, duration.plus(extra),
                rounds + 1);
    }
}
