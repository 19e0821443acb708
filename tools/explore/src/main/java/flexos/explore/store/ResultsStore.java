package flexos.explore.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import flexos.explore.search.Measurement;
import flexos.explore.space.Configuration;
import flexos.explore.stats.Estimate;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A durable record of measurements in an embedded SQLite database: one row per measurement, holding the
 * configuration's {@linkplain Configuration#key() key}, the exact command, the machine, the time, the metrics and
 * the status (with the error of a failed one).
 *
 * <p>Durability: the database runs in WAL mode with {@code synchronous=FULL}, and every {@link #record} is its own
 * committed transaction, so a measurement is on disk before the next one starts. A process killed at any moment
 * (Ctrl-C, {@code kill -9}) loses at most the measurement in progress, and rerunning with the same file resumes
 * through {@link #find}. Not safe for use by several threads at once.
 */
public final class ResultsStore implements AutoCloseable {

    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS measurement (
              id          INTEGER PRIMARY KEY AUTOINCREMENT,
              config      TEXT    NOT NULL,
              notation    TEXT    NOT NULL,
              command     TEXT    NOT NULL,
              hostname    TEXT    NOT NULL,
              cores       INTEGER NOT NULL,
              started     TEXT    NOT NULL,
              duration_ms INTEGER NOT NULL,
              metrics     TEXT    NOT NULL,
              status      TEXT    NOT NULL CHECK (status IN ('ok', 'failed')),
              error       TEXT    NOT NULL,
              rounds      INTEGER NOT NULL DEFAULT 1
            )""";

    private static final String SUBMISSIONS = """
            CREATE TABLE IF NOT EXISTS slurm_task (
              job       TEXT    NOT NULL,
              task      INTEGER NOT NULL,
              config    TEXT    NOT NULL,
              command   TEXT    NOT NULL,
              round     INTEGER NOT NULL,
              result    TEXT    NOT NULL,
              submitted TEXT    NOT NULL,
              collected INTEGER NOT NULL DEFAULT 0,
              PRIMARY KEY (job, task)
            )""";

    /**
     * A measurement submitted to Slurm and not collected yet: which job array and task measures which
     * configuration, and the file its result goes to.
     */
    public record Submission(String job, int task, Configuration configuration, String command, int round,
                             Path result) {
    }

    /** Records that {@code s} was submitted, committed before returning (a resumed exploration finds it). */
    public void recordSubmission(Submission s) {
        String sql = "INSERT OR REPLACE INTO slurm_task (job, task, config, command, round, result, submitted) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement p = connection.prepareStatement(sql)) {
            p.setString(1, s.job());
            p.setInt(2, s.task());
            p.setString(3, s.configuration().key());
            p.setString(4, s.command());
            p.setInt(5, s.round());
            p.setString(6, s.result().toString());
            p.setString(7, Instant.now().toString());
            p.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot write to results database " + file + ": " + e.getMessage(), e);
        }
    }

    /** The latest submission of {@code configuration} by {@code command} for {@code round} not collected yet. */
    public Optional<Submission> pendingSubmission(Configuration configuration, String command, int round) {
        String sql = "SELECT * FROM slurm_task WHERE config = ? AND command = ? AND round = ? AND collected = 0 "
                + "ORDER BY submitted DESC LIMIT 1";
        try (PreparedStatement p = connection.prepareStatement(sql)) {
            p.setString(1, configuration.key());
            p.setString(2, command);
            p.setInt(3, round);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(new Submission(r.getString("job"), r.getInt("task"),
                        Configuration.fromKey(r.getString("config")), r.getString("command"), r.getInt("round"),
                        Path.of(r.getString("result")))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read results database " + file + ": " + e.getMessage(), e);
        }
    }

    /** Marks {@code s} collected: its measurement is in the store, or it is given up as failed. */
    public void collected(Submission s) {
        try (PreparedStatement p = connection.prepareStatement(
                "UPDATE slurm_task SET collected = 1 WHERE job = ? AND task = ?")) {
            p.setString(1, s.job());
            p.setInt(2, s.task());
            p.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot write to results database " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every submission, oldest first: what was sent to Slurm, for reports and tests. */
    public List<Submission> submissions() {
        List<Submission> out = new ArrayList<>();
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("SELECT * FROM slurm_task ORDER BY submitted, job, task")) {
            while (r.next()) {
                out.add(new Submission(r.getString("job"), r.getInt("task"),
                        Configuration.fromKey(r.getString("config")), r.getString("command"), r.getInt("round"),
                        Path.of(r.getString("result"))));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read results database " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    private final Path file;
    private final Connection connection;
    private final Machine machine;

    private ResultsStore(Path file, Connection connection, Machine machine) {
        this.file = file;
        this.connection = connection;
        this.machine = machine;
    }

    /**
     * Opens (creating if needed) the database at {@code file}; new rows are attributed to {@code machine}.
     *
     * @throws StoreException if the file cannot be opened as a results database
     */
    public static ResultsStore open(Path file, Machine machine) {
        try {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA busy_timeout=5000");
                s.execute(SCHEMA);
                s.execute(SUBMISSIONS);
                // Stores written before measurements could be refined have no rounds column: each row was one round.
                boolean hasRounds = false;
                try (ResultSet columns = s.executeQuery("PRAGMA table_info(measurement)")) {
                    while (columns.next()) {
                        hasRounds |= columns.getString("name").equals("rounds");
                    }
                }
                if (!hasRounds) {
                    s.execute("ALTER TABLE measurement ADD COLUMN rounds INTEGER NOT NULL DEFAULT 1");
                }
                s.execute("CREATE INDEX IF NOT EXISTS measurement_config ON measurement (config, command)");
            }
            return new ResultsStore(file, c, machine);
        } catch (SQLException e) {
            throw new StoreException("cannot open results database " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    /** Stores {@code m}, written in {@code notation}, made on this store's machine; commits before returning. */
    public void record(Measurement m, String notation) {
        record(m, notation, machine);
    }

    /** Stores {@code m}, written in {@code notation}, made on {@code madeOn}; commits before returning. */
    public void record(Measurement m, String notation, Machine madeOn) {
        String sql = "INSERT INTO measurement (config, notation, command, hostname, cores, started, duration_ms, "
                + "metrics, status, error, rounds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement p = connection.prepareStatement(sql)) {
            p.setString(1, m.configuration().key());
            p.setString(2, notation);
            p.setString(3, m.command());
            p.setString(4, madeOn.hostname());
            p.setInt(5, madeOn.cores());
            p.setString(6, m.started().toString());
            p.setLong(7, m.duration().toMillis());
            p.setString(8, MetricsText.write(m.estimates()));
            p.setString(9, m.ok() ? "ok" : "failed");
            p.setString(10, m.error());
            p.setInt(11, m.rounds());
            p.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot write to results database " + file + ": " + e.getMessage(), e);
        }
    }

    /** The latest stored measurement of {@code configuration} made by {@code command}, if any. */
    public Optional<Measurement> find(Configuration configuration, String command) {
        String sql = "SELECT * FROM measurement WHERE config = ? AND command = ? ORDER BY id DESC LIMIT 1";
        try (PreparedStatement p = connection.prepareStatement(sql)) {
            p.setString(1, configuration.key());
            p.setString(2, command);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(read(r)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read results database " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every stored measurement, oldest first. */
    public List<StoredMeasurement> all() {
        List<StoredMeasurement> out = new ArrayList<>();
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("SELECT * FROM measurement ORDER BY id")) {
            while (r.next()) {
                out.add(new StoredMeasurement(r.getLong("id"), read(r), r.getString("notation"),
                        new Machine(r.getString("hostname"), r.getInt("cores"))));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read results database " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static Measurement read(ResultSet r) throws SQLException {
        Configuration c = Configuration.fromKey(r.getString("config"));
        Map<String, Estimate> metrics = MetricsText.read(r.getString("metrics"));
        Measurement.Status status = r.getString("status").equals("ok")
                ? Measurement.Status.OK : Measurement.Status.FAILED;
        return new Measurement(c, status, new java.util.TreeMap<>(metrics), r.getString("error"), r.getString("command"),
                Instant.parse(r.getString("started")), Duration.ofMillis(r.getLong("duration_ms")),
                r.getInt("rounds"));
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close results database " + file + ": " + e.getMessage(), e);
        }
    }

    /** A stored row. */
    public record StoredMeasurement(long id, Measurement measurement, String notation, Machine machine) {
    }

    /**
     * Metrics as a JSON object readable by any SQLite client's JSON functions, one entry per metric with its
     * samples and interval: {@code {"get":{"mean":1.2E6,"low":1.1E6,"high":1.3E6,"confidence":0.95,
     * "samples":[...]}}}. Rows written before samples were stored hold a bare number per metric, read as one sample.
     */
    static final class MetricsText {
        private static final ObjectMapper JSON = new ObjectMapper();

        private MetricsText() {
        }

        static String write(Map<String, Estimate> estimates) {
            ObjectNode root = JSON.createObjectNode();
            estimates.forEach((metric, e) -> {
                ObjectNode node = root.putObject(metric);
                node.put("mean", e.mean());
                node.put("low", e.low());
                node.put("high", e.high());
                node.put("confidence", e.confidence());
                ArrayNode samples = node.putArray("samples");
                e.samples().forEach(samples::add);
            });
            return root.toString();
        }

        static Map<String, Estimate> read(String text) {
            Map<String, Estimate> out = new LinkedHashMap<>();
            JsonNode root;
            try {
                root = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                throw new StoreException("a stored row's metrics are not JSON: " + text, e);
            }
            for (Map.Entry<String, JsonNode> entry : root.properties()) {
                JsonNode value = entry.getValue();
                if (value.isNumber()) {
                    out.put(entry.getKey(), Estimate.of(List.of(value.asDouble())));
                    continue;
                }
                List<Double> samples = new ArrayList<>();
                value.path("samples").forEach(x -> samples.add(x.asDouble()));
                if (samples.isEmpty()) {
                    samples.add(value.path("mean").asDouble());
                }
                out.put(entry.getKey(), Estimate.of(samples, value.path("confidence")
                        .asDouble(Estimate.DEFAULT_CONFIDENCE)));
            }
            return out;
        }
    }
}
