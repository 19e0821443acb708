package flexos.explore.measure;

import java.util.List;
import java.util.Map;

/**
 * A real client run against a running image: the command line to run, and how to read its output into metrics.
 * Implementations are stateless; {@link ImageRunner} sizes each run to a duration, repeats runs and keeps each as
 * a sample.
 */
public interface Workload {

    /** The client's command line for {@code requests} requests per test against 127.0.0.1:{@code port}. */
    List<String> command(int port, long requests);

    /**
     * Reads one run's output into throughputs, in requests per second.
     *
     * @throws WorkloadException if the output holds no result (the message quotes it)
     */
    Map<String, Double> parse(String output) throws WorkloadException;

    /** The command as recorded in the results store, with {@code PORT} and {@code N} for the port and the count. */
    default String describe() {
        return String.join(" ", command(Integer.MIN_VALUE, Long.MIN_VALUE))
                .replace(Long.toString(Long.MIN_VALUE), "N").replace(Integer.toString(Integer.MIN_VALUE), "PORT");
    }
}
