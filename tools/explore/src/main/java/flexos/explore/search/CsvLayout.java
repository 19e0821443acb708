package flexos.explore.search;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How the columns of a measurements CSV map to configurations and metrics, by column name (see
 * {@link CsvMeasurements}).
 *
 * @param libraries      the library columns, each holding the library's compartment label; empty to take every column
 *                       that is not {@code config}, the hardened column, a metric or ignored
 * @param hardenedColumn the column listing the hardened libraries ({@code redis+lwip}); absent means none hardened
 * @param metrics        metric columns named explicitly, by metric name; columns whose name ends in a unit
 *                       ({@code get_kreq_s}) are metrics without being named
 * @param letters        each library's letter in the notation, or empty to take them from the {@code config} column
 *                       when there is one, else from the libraries' names
 * @param mechanism      the mechanism of every compartment (the CSV does not say; the paper's data is all MPK)
 * @param ignored        columns to skip
 */
public record CsvLayout(Optional<List<String>> libraries, String hardenedColumn, Map<String, MetricColumn> metrics,
                        Optional<Map<Character, String>> letters, String mechanism, Set<String> ignored) {

    /** Units a metric column may be in, by their names, each with its factor to the unit budgets are written in. */
    public static final Map<String, Double> UNITS = Map.of("req/s", 1.0, "kreq/s", 1e3, "Mreq/s", 1e6, "1", 1.0);

    /** Column-name suffixes that make a column a metric: {@code get_kreq_s} is metric {@code get} in kreq/s. */
    public static final Map<String, String> SUFFIXES = Map.of("_req_s", "req/s", "_kreq_s", "kreq/s",
            "_mreq_s", "Mreq/s");

    public CsvLayout {
        libraries = libraries.map(List::copyOf);
        metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        letters = letters.map(m -> java.util.Collections.unmodifiableMap(new LinkedHashMap<>(m)));
        ignored = Set.copyOf(ignored);
    }

    /**
     * A metric read from a column.
     *
     * @param column the column's name
     * @param unit   one of {@link #UNITS}
     */
    public record MetricColumn(String column, String unit) {
        public MetricColumn {
            if (!UNITS.containsKey(unit)) {
                throw new IllegalArgumentException("unknown unit '" + unit + "'; use one of " + UNITS.keySet());
            }
        }

        public double factor() {
            return UNITS.get(unit);
        }
    }

    /** Everything by name: libraries, letters and metrics found from the header; mechanism mpk. */
    public static CsvLayout byName() {
        return new CsvLayout(Optional.empty(), "hardened", Map.of(), Optional.empty(), "mpk", Set.of());
    }

    /**
     * Reads a metric mapping as written on the command line: {@code NAME=COLUMN:UNIT}, or {@code COLUMN:UNIT} for a
     * metric named like its column.
     *
     * @throws IllegalArgumentException saying what form is expected
     */
    public static Map.Entry<String, MetricColumn> parseMetric(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 1 || colon == text.length() - 1) {
            throw new IllegalArgumentException("cannot read metric column '" + text + "'; write NAME=COLUMN:UNIT "
                    + "(e.g. req=req_s_median:req/s) or COLUMN:UNIT, with UNIT one of " + UNITS.keySet());
        }
        String unit = text.substring(colon + 1).trim();
        String left = text.substring(0, colon).trim();
        int eq = left.indexOf('=');
        String name = eq < 0 ? left : left.substring(0, eq).trim();
        String column = eq < 0 ? left : left.substring(eq + 1).trim();
        String known = UNITS.keySet().stream().filter(u -> u.equalsIgnoreCase(unit)).findFirst().orElse(unit);
        return Map.entry(name, new MetricColumn(column, known));
    }

    public CsvLayout withLibraries(List<String> columns) {
        return new CsvLayout(Optional.of(columns), hardenedColumn, metrics, letters, mechanism, ignored);
    }

    public CsvLayout withHardenedColumn(String column) {
        return new CsvLayout(libraries, column, metrics, letters, mechanism, ignored);
    }

    public CsvLayout withMetrics(Map<String, MetricColumn> named) {
        return new CsvLayout(libraries, hardenedColumn, named, letters, mechanism, ignored);
    }

    public CsvLayout withLetters(Map<Character, String> map) {
        return new CsvLayout(libraries, hardenedColumn, metrics, Optional.of(map), mechanism, ignored);
    }

    public CsvLayout withMechanism(String name) {
        return new CsvLayout(libraries, hardenedColumn, metrics, letters, name, ignored);
    }

    public CsvLayout withIgnored(Set<String> columns) {
        return new CsvLayout(libraries, hardenedColumn, metrics, letters, mechanism, columns);
    }
}
