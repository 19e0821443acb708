package flexos.explore.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import flexos.explore.search.Measurement;
import flexos.explore.space.Configuration;
import java.time.Duration;
import java.time.Instant;
import java.util.TreeMap;

/**
 * A measurement as one JSON object, with the machine that made it: how a Slurm task hands its measurement to the
 * exploring process. {@code {"config":KEY,"status":"ok","metrics":{...},"error":"","command":...,"started":...,
 * "duration_ms":...,"rounds":1,"hostname":...,"cores":...}}, metrics as in the results store.
 */
public final class MeasurementJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private MeasurementJson() {
    }

    public static String write(Measurement m, Machine machine) {
        ObjectNode root = JSON.createObjectNode();
        root.put("config", m.configuration().key());
        root.put("status", m.ok() ? "ok" : "failed");
        root.set("metrics", readTree(ResultsStore.MetricsText.write(m.estimates())));
        root.put("error", m.error());
        root.put("command", m.command());
        root.put("started", m.started().toString());
        root.put("duration_ms", m.duration().toMillis());
        root.put("rounds", m.rounds());
        root.put("hostname", machine.hostname());
        root.put("cores", machine.cores());
        return root.toString();
    }

    /** A measurement and where it was made. */
    public record Made(Measurement measurement, Machine machine) {
    }

    /**
     * @throws StoreException if {@code text} is not such an object
     */
    public static Made read(String text) {
        JsonNode root = readTree(text);
        try {
            Measurement m = new Measurement(Configuration.fromKey(root.path("config").asText()),
                    root.path("status").asText().equals("ok") ? Measurement.Status.OK : Measurement.Status.FAILED,
                    new TreeMap<>(ResultsStore.MetricsText.read(root.path("metrics").toString())),
                    root.path("error").asText(), root.path("command").asText(),
                    Instant.parse(root.path("started").asText()), Duration.ofMillis(root.path("duration_ms").asLong()),
                    root.path("rounds").asInt(1));
            return new Made(m, new Machine(root.path("hostname").asText("unknown"), root.path("cores").asInt(0)));
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
            throw new StoreException("not a measurement: " + e.getMessage() + ": " + text, e);
        }
    }

    private static JsonNode readTree(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new StoreException("not JSON: " + text, e);
        }
    }
}
