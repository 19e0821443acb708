package flexos.explore.search;

import flexos.explore.space.Configuration;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of measuring one configuration: its metrics, or why it could not be measured.
 *
 * @param configuration the configuration measured
 * @param status        {@link Status#OK} with metrics, or {@link Status#FAILED} with an error
 * @param metrics       metric values in the workload's units (throughput in requests per second); empty if failed
 * @param error         what went wrong, or the empty string
 * @param command       the exact command that produced the numbers (or the CSV file they came from)
 * @param started       when the measurement started
 * @param duration      how long it took
 */
public record Measurement(Configuration configuration, Status status, Map<String, Double> metrics, String error,
                          String command, Instant started, Duration duration) {

    /** Whether a measurement produced numbers. */
    public enum Status { OK, FAILED }

    public Measurement {
        metrics = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(metrics));
        error = error == null ? "" : error;
    }

    public static Measurement ok(Configuration c, Map<String, Double> metrics, String command, Instant started,
                                 Duration duration) {
        return new Measurement(c, Status.OK, metrics, "", command, started, duration);
    }

    public static Measurement failed(Configuration c, String error, String command, Instant started,
                                     Duration duration) {
        return new Measurement(c, Status.FAILED, Map.of(), error, command, started, duration);
    }

    public boolean ok() {
        return status == Status.OK;
    }
}
