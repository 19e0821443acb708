package flexos.explore.search;

import flexos.explore.space.Configuration;
import flexos.explore.space.Notation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Measurements read from a CSV file instead of made: the offline input of {@code flexos explore --from-csv}.
 *
 * <p>The file has a header. The {@code config} column holds each configuration in a {@link Notation}. The columns
 * named after the notation's libraries and a {@code hardened} column, if present, repeat what {@code config} says and
 * are ignored. Every other column is a metric, and its unit must be explicit:
 * <ul>
 *   <li>by its name's suffix: {@code get_kreq_s} is metric {@code get} in thousands of requests per second,
 *       {@code get_mreq_s} in millions, {@code get_req_s} in requests per second; or</li>
 *   <li>by {@code unit} ({@code --csv-unit}), which applies to every metric column: {@code req/s}, {@code kreq/s}
 *       or {@code Mreq/s}.</li>
 * </ul>
 * Values are converted to requests per second, the unit budgets are written in.
 *
 * @param source         the file
 * @param configurations the configurations, in file order
 * @param metrics        each configuration's metrics, in requests per second
 */
public record CsvMeasurements(Path source, List<Configuration> configurations,
                              Map<Configuration, Map<String, Double>> metrics) {

    private static final Map<String, Double> SUFFIXES = Map.of("_req_s", 1.0, "_kreq_s", 1e3, "_mreq_s", 1e6);
    private static final Map<String, Double> UNITS = Map.of("req/s", 1.0, "kreq/s", 1e3, "Mreq/s", 1e6);

    public CsvMeasurements {
        configurations = List.copyOf(configurations);
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /**
     * Reads {@code file}.
     *
     * @throws IOException              if it cannot be read
     * @throws IllegalArgumentException naming {@code file:line} and what is wrong
     */
    public static CsvMeasurements read(Path file, Notation notation, Optional<String> unit) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(file + ":1: error: empty CSV file; expected a header with a config column");
        }
        List<String> header = split(lines.get(0));
        int configColumn = header.indexOf("config");
        if (configColumn < 0) {
            throw new IllegalArgumentException(file + ":1: error: no 'config' column in header " + header);
        }
        Double override = null;
        if (unit.isPresent()) {
            override = UNITS.get(unit.get());
            if (override == null) {
                throw new IllegalArgumentException("unknown CSV unit '" + unit.get() + "'; use one of "
                        + UNITS.keySet());
            }
        }
        Set<String> ignored = new java.util.HashSet<>(notation.libraries());
        ignored.add("config");
        ignored.add("hardened");
        Map<Integer, String> metricOf = new LinkedHashMap<>();
        Map<Integer, Double> scaleOf = new LinkedHashMap<>();
        for (int c = 0; c < header.size(); c++) {
            String name = header.get(c);
            if (ignored.contains(name)) {
                continue;
            }
            String metric = name;
            Double scale = null;
            for (Map.Entry<String, Double> s : SUFFIXES.entrySet()) {
                if (name.endsWith(s.getKey())) {
                    metric = name.substring(0, name.length() - s.getKey().length());
                    scale = s.getValue();
                }
            }
            if (override != null) {
                if (scale != null && !scale.equals(override)) {
                    throw new IllegalArgumentException(file + ":1: error: column " + name
                            + " names its unit, which contradicts --csv-unit " + unit.get());
                }
                scale = override;
            }
            if (scale == null) {
                throw new IllegalArgumentException(file + ":1: error: column '" + name + "' has no unit; name it "
                        + name + "_kreq_s (or _req_s, _mreq_s), or pass --csv-unit kreq/s");
            }
            metricOf.put(c, metric);
            scaleOf.put(c, scale);
        }
        if (metricOf.isEmpty()) {
            throw new IllegalArgumentException(file + ":1: error: no metric column; add one such as get_kreq_s");
        }
        List<Configuration> configurations = new ArrayList<>();
        Map<Configuration, Map<String, Double>> metrics = new LinkedHashMap<>();
        for (int line = 1; line < lines.size(); line++) {
            if (lines.get(line).isBlank()) {
                continue;
            }
            List<String> row = split(lines.get(line));
            String where = file + ":" + (line + 1);
            if (row.size() != header.size()) {
                throw new IllegalArgumentException(where + ": error: " + row.size() + " fields, the header has "
                        + header.size());
            }
            Configuration configuration;
            try {
                configuration = notation.parse(row.get(configColumn));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": error: " + e.getMessage(), e);
            }
            if (metrics.containsKey(configuration)) {
                throw new IllegalArgumentException(where + ": error: configuration " + row.get(configColumn)
                        + " appears twice (perhaps with its compartments numbered differently)");
            }
            Map<String, Double> values = new LinkedHashMap<>();
            for (Map.Entry<Integer, String> m : metricOf.entrySet()) {
                String text = row.get(m.getKey()).trim();
                if (text.isEmpty()) {
                    continue;
                }
                try {
                    values.put(m.getValue(), Double.parseDouble(text) * scaleOf.get(m.getKey()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(where + ": error: '" + text + "' in column "
                            + header.get(m.getKey()) + " is not a number", e);
                }
            }
            configurations.add(configuration);
            metrics.put(configuration, values);
        }
        return new CsvMeasurements(file, configurations, metrics);
    }

    /** The metrics the file reports. */
    public Set<String> metricNames() {
        Set<String> names = new java.util.TreeSet<>();
        metrics.values().forEach(m -> names.addAll(m.keySet()));
        return names;
    }

    /** An oracle that looks configurations up in this file; one not in it fails. */
    public MeasurementOracle oracle() {
        String command = "csv:" + source;
        return new MeasurementOracle() {
            @Override
            public Measurement measure(Configuration configuration) {
                Map<String, Double> values = metrics.get(configuration);
                Instant now = Instant.now();
                if (values == null || values.isEmpty()) {
                    return Measurement.failed(configuration, "not in " + source, command, now, Duration.ZERO);
                }
                return Measurement.ok(configuration, values, command, now, Duration.ZERO);
            }

            @Override
            public String command() {
                return command;
            }
        };
    }

    private static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    field.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(ch);
            }
        }
        out.add(field.toString());
        return out;
    }
}
