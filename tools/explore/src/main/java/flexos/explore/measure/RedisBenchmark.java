package flexos.explore.measure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A workload driven by {@code redis-benchmark -h 127.0.0.1 -p PORT ARGUMENTS -n N --csv}, where an application's
 * exploration profile gives the arguments (the paper's are {@code -t get,set -P 16 -c 30}). Metrics are the tests'
 * throughputs in requests per second, named after the tests in lower case ({@code get}, {@code set}).
 *
 * @param executable the redis-benchmark binary
 * @param arguments  its arguments besides host, port, request count and output format
 */
public record RedisBenchmark(Path executable, List<String> arguments) implements Workload {

    /** The client's name, as an exploration profile writes it. */
    public static final String CLIENT = "redis-benchmark";

    public RedisBenchmark {
        arguments = List.copyOf(arguments);
    }

    @Override
    public List<String> command(int port, long requests) {
        List<String> command = new ArrayList<>(List.of(executable.toString(), "-h", "127.0.0.1", "-p",
                Integer.toString(port)));
        command.addAll(arguments);
        command.addAll(List.of("-n", Long.toString(requests), "--csv"));
        return command;
    }

    /**
     * Reads {@code --csv} output: an optional header {@code "test","rps",...} and one line per test,
     * {@code "GET","1538461.50",...}.
     */
    @Override
    public Map<String, Double> parse(String output) throws WorkloadException {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (String line : output.split("\\R")) {
            List<String> fields = fields(line);
            if (fields.size() < 2 || fields.get(0).equalsIgnoreCase("test")) {
                continue;
            }
            try {
                metrics.put(fields.get(0).toLowerCase(Locale.ROOT), Double.parseDouble(fields.get(1)));
            } catch (NumberFormatException e) {
                // A progress or warning line, not a result.
            }
        }
        if (metrics.isEmpty()) {
            String tail = output.length() > 500 ? output.substring(output.length() - 500) : output;
            throw new WorkloadException("redis-benchmark printed no results; its output was: " + tail.strip());
        }
        return metrics;
    }

    private static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        for (String f : line.trim().split(",")) {
            out.add(f.trim().replace("\"", ""));
        }
        return out;
    }
}
