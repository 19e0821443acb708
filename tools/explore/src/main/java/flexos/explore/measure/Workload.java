package flexos.explore.measure;

import java.util.List;
import java.util.Map;

/**
 * A real client run against a running image: the command line to run, and how to read its output into metrics.
 * Implementations are stateless; {@link ImageRunner} runs them, repeats them and keeps each run as a sample.
 */
public interface Workload {

    /** The client's command line against an image listening on 127.0.0.1:{@code port}. */
    List<String> command(int port);

    /** A run of the same client that warms the image up; its output is ignored. */
    List<String> warmUpCommand(int port);

    /**
     * Reads one run's output.
     *
     * @throws WorkloadException if the output holds no result (the message quotes it)
     */
    Map<String, Double> parse(String output) throws WorkloadException;

    /** How many measured runs to make; each is a sample. */
    int repetitions();

    /** The command as recorded in the results store, with {@code PORT} for the port. */
    default String describe() {
        return String.join(" ", command(0)).replace(" 0 ", " PORT ") + " (x" + repetitions() + ")";
    }
}
