package flexos.explore.search;

import flexos.explore.space.Configuration;
import flexos.explore.space.HardeningMap;
import flexos.explore.space.Notation;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Measurements read from a CSV file instead of made: the offline input of {@code flexos explore --from-csv}. The
 * file has a header, and its columns are mapped by name ({@link CsvLayout}):
 * <ul>
 *   <li><b>library columns</b>: one per library, holding its compartment label (any labels: {@code 1,1,2,3} and
 *       {@code 1,1,3,2} are the same partition);</li>
 *   <li>a <b>hardened column</b> ({@code hardened} unless named otherwise) listing the hardened libraries, joined by
 *       {@code +} (or spaces, commas, semicolons); empty for none;</li>
 *   <li><b>metric columns</b>, whose unit must be explicit: by the name's suffix ({@code get_kreq_s} is metric
 *       {@code get} in thousands of requests per second; {@code _req_s}, {@code _mreq_s}), or named with their unit
 *       ({@code --csv-metric req=req_s_median:req/s}). Values are converted to requests per second;</li>
 *   <li>an optional {@code config} column in the paper's notation ({@code R1H N1 S2H L3H}). It gives the notation's
 *       letters (its i-th token's letter is the i-th library column's) and is checked against the library and
 *       hardened columns on every row.</li>
 * </ul>
 * Rows of the same point (the same configuration, however its compartments are numbered) are repeated samples of
 * it. Every compartment uses the layout's mechanism, and a hardened library has the one option {@code hardened}.
 *
 * @param source         the file
 * @param notation       how to write the file's configurations
 * @param configurations the distinct configurations, in file order
 * @param samples        each configuration's samples per metric, in requests per second, in file order
 */
public record CsvMeasurements(Path source, Notation notation, List<Configuration> configurations,
                              Map<Configuration, Map<String, List<Double>>> samples) {

    /** The option a CSV's hardened library has: the file says only that it is hardened. */
    public static final String HARDENED = "hardened";

    public CsvMeasurements {
        configurations = List.copyOf(configurations);
        samples = Collections.unmodifiableMap(new LinkedHashMap<>(samples));
    }

    /**
     * Reads {@code file}.
     *
     * @throws IOException              if it cannot be read
     * @throws IllegalArgumentException naming {@code file:line} and what is wrong, with the fix
     */
    public static CsvMeasurements read(Path file, CsvLayout layout) throws IOException {
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
                .setIgnoreEmptyLines(true).get();
        try (Reader reader = Files.newBufferedReader(file); CSVParser parser = format.parse(reader)) {
            List<String> header = parser.getHeaderNames();
            if (header.isEmpty()) {
                throw new IllegalArgumentException(file + ":1: error: empty CSV file; expected a header naming one "
                        + "column per library, a hardened column and metric columns such as get_kreq_s");
            }
            List<CSVRecord> rows = new ArrayList<>();
            List<Long> lines = new ArrayList<>();
            for (CSVRecord row : parser) {
                rows.add(row);
                lines.add(parser.getCurrentLineNumber());
            }
            Columns columns = Columns.of(file, header, layout, rows.isEmpty() ? null : rows.getFirst());
            Map<Configuration, Map<String, List<Double>>> samples = new LinkedHashMap<>();
            for (int r = 0; r < rows.size(); r++) {
                CSVRecord row = rows.get(r);
                String where = file + ":" + lines.get(r);
                if (!row.isConsistent()) {
                    throw new IllegalArgumentException(where + ": error: " + row.size() + " fields, the header has "
                            + header.size());
                }
                Configuration c = columns.configuration(row, where);
                Map<String, List<Double>> metrics = samples.computeIfAbsent(c, k -> new LinkedHashMap<>());
                for (Map.Entry<String, CsvLayout.MetricColumn> m : columns.metrics.entrySet()) {
                    String text = row.get(m.getValue().column());
                    if (text.isEmpty()) {
                        continue;
                    }
                    try {
                        metrics.computeIfAbsent(m.getKey(), k -> new ArrayList<>())
                                .add(Double.parseDouble(text) * m.getValue().factor());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(where + ": error: '" + text + "' in column "
                                + m.getValue().column() + " is not a number", e);
                    }
                }
            }
            return new CsvMeasurements(file, columns.notation, List.copyOf(samples.keySet()), samples);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(file + ": error: not a CSV file: " + e.getMessage(), e);
        }
    }

    /** The column roles of one file. */
    private record Columns(List<String> libraries, String hardened, Map<String, CsvLayout.MetricColumn> metrics,
                           String config, Notation notation, String mechanism) {

        static Columns of(Path file, List<String> header, CsvLayout layout, CSVRecord first) {
            String where = file + ":1";
            Map<String, CsvLayout.MetricColumn> metrics = new LinkedHashMap<>(layout.metrics());
            Set<String> claimed = new java.util.HashSet<>(layout.ignored());
            metrics.values().forEach(m -> {
                if (!header.contains(m.column())) {
                    throw new IllegalArgumentException(where + ": error: no column '" + m.column() + "'; the "
                            + "columns are " + header);
                }
                claimed.add(m.column());
            });
            for (String name : header) {
                for (Map.Entry<String, String> suffix : CsvLayout.SUFFIXES.entrySet()) {
                    if (!claimed.contains(name) && name.endsWith(suffix.getKey())
                            && name.length() > suffix.getKey().length()) {
                        metrics.put(name.substring(0, name.length() - suffix.getKey().length()),
                                new CsvLayout.MetricColumn(name, suffix.getValue()));
                        claimed.add(name);
                    }
                }
            }
            String config = header.contains("config") && !claimed.contains("config") ? "config" : null;
            claimed.add("config");
            String hardened = header.contains(layout.hardenedColumn()) ? layout.hardenedColumn() : null;
            claimed.add(layout.hardenedColumn());
            List<String> libraries;
            if (layout.libraries().isPresent()) {
                libraries = layout.libraries().get();
                for (String library : libraries) {
                    if (!header.contains(library)) {
                        throw new IllegalArgumentException(where + ": error: no library column '" + library
                                + "'; the columns are " + header);
                    }
                }
            } else {
                libraries = header.stream().filter(h -> !claimed.contains(h)).toList();
            }
            if (libraries.isEmpty()) {
                throw new IllegalArgumentException(where + ": error: no library column; add one column per library "
                        + "holding its compartment number (as redis,newlib,uksched,lwip)");
            }
            if (metrics.isEmpty()) {
                throw new IllegalArgumentException(where + ": error: no metric column (the columns " + libraries
                        + " were read as libraries); name a metric's unit by its suffix, as get_kreq_s, or with "
                        + "--csv-metric NAME=COLUMN:UNIT, e.g. --csv-metric get=" + libraries.getLast() + ":kreq/s");
            }
            Map<Character, String> letters = layout.letters().orElseGet(() -> config != null && first != null
                    && first.isConsistent() ? lettersOf(first.get(config), libraries, where)
                    : letters(libraries, where));
            if (!Set.copyOf(letters.values()).equals(Set.copyOf(libraries))) {
                throw new IllegalArgumentException(where + ": error: the letters " + letters + " do not name the "
                        + "library columns " + libraries + " one each");
            }
            HardeningMap hardening = HardeningMap.uniform(libraries, Set.of(HARDENED));
            Notation notation = new Notation(letters, hardening, layout.mechanism());
            return new Columns(libraries, hardened, metrics, config, notation, layout.mechanism());
        }

        /** Letters by the first letter of each name, the next unused letter of the name where two collide. */
        private static Map<Character, String> letters(List<String> libraries, String where) {
            Map<Character, String> letters = new LinkedHashMap<>();
            for (String library : libraries) {
                Character chosen = null;
                for (char ch : library.toUpperCase(java.util.Locale.ROOT).toCharArray()) {
                    if (Character.isLetter(ch) && ch != 'H' && !letters.containsKey(ch)) {
                        chosen = ch;
                        break;
                    }
                }
                if (chosen == null) {
                    throw new IllegalArgumentException(where + ": error: no letter left for library " + library
                            + "; give the letters with --letters, e.g. R=redis,N=newlib");
                }
                letters.put(chosen, library);
            }
            return letters;
        }

        /** The letters of a {@code config} value: its i-th library token's letter is the i-th library column's. */
        private static Map<Character, String> lettersOf(String config, List<String> libraries, String where) {
            List<Character> tokens = new ArrayList<>();
            for (String token : config.trim().split("\\s+")) {
                if (!token.isEmpty() && Character.isLetter(token.charAt(0))) {
                    tokens.add(token.charAt(0));
                }
            }
            if (tokens.size() != libraries.size() || Set.copyOf(tokens).size() != tokens.size()) {
                throw new IllegalArgumentException(where + ": error: the config column's '" + config + "' has not one "
                        + "letter per library column " + libraries + "; give the letters with --letters");
            }
            Map<Character, String> letters = new LinkedHashMap<>();
            for (int i = 0; i < tokens.size(); i++) {
                letters.put(tokens.get(i), libraries.get(i));
            }
            return letters;
        }

        Configuration configuration(CSVRecord row, String where) {
            Map<String, String> label = new HashMap<>();
            for (String library : libraries) {
                String value = row.get(library);
                if (value.isEmpty()) {
                    throw new IllegalArgumentException(where + ": error: library " + library
                            + " has no compartment");
                }
                label.put(library, value);
            }
            Map<String, List<String>> hardening = new HashMap<>();
            if (hardened != null) {
                for (String name : row.get(hardened).split("[+,;\\s]+")) {
                    if (name.isEmpty() || name.equals("none")) {
                        continue;
                    }
                    if (!libraries.contains(name)) {
                        throw new IllegalArgumentException(where + ": error: column " + hardened + " names "
                                + name + ", which is not a library column " + libraries);
                    }
                    hardening.put(name, List.of(HARDENED));
                }
            }
            Map<String, String> mechanismOf = new HashMap<>();
            label.values().forEach(l -> mechanismOf.put(l, mechanism));
            Configuration c = Configuration.of(notation.libraries(), label, mechanismOf, hardening);
            if (config != null && !row.get(config).isEmpty()) {
                Configuration written;
                try {
                    written = notation.parse(row.get(config));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ": error: " + e.getMessage(), e);
                }
                if (!written.equals(c)) {
                    throw new IllegalArgumentException(where + ": error: config '" + row.get(config) + "' says "
                            + notation.format(written) + ", but the library and hardened columns say "
                            + notation.format(c));
                }
            }
            return c;
        }

    }

    /** The metrics the file reports. */
    public Set<String> metricNames() {
        Set<String> names = new TreeSet<>();
        samples.values().forEach(m -> names.addAll(m.keySet()));
        return names;
    }

    /** How many rows were repeated samples of a point already read. */
    public int repeatedRows() {
        int rows = 0;
        for (Map<String, List<Double>> m : samples.values()) {
            rows += m.values().stream().mapToInt(List::size).max().orElse(1) - 1;
        }
        return rows;
    }

    /** An oracle that looks configurations up in this file; one not in it fails. */
    public MeasurementOracle oracle(double confidence) {
        String command = "csv:" + source;
        return new MeasurementOracle() {
            @Override
            public Measurement measure(Configuration configuration) {
                Map<String, List<Double>> values = samples.get(configuration);
                Instant now = Instant.now();
                if (values == null || values.isEmpty()) {
                    return Measurement.failed(configuration, "not in " + source, command, now, Duration.ZERO);
                }
                return Measurement.sampled(configuration, values, confidence, command, now, Duration.ZERO);
            }

            @Override
            public String command() {
                return command;
            }
        };
    }
}
