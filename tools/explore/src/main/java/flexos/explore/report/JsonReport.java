package flexos.explore.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import flexos.explore.Exploration;
import flexos.explore.order.Poset;
import flexos.explore.search.Measurement;
import flexos.explore.search.SearchResult;
import flexos.explore.space.Configuration;
import flexos.explore.stats.Estimate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The exploration's answer for machines, as {@code flexos explore --json} prints it:
 * <pre>
 * {"budget":"get>=500000","search":"budgeted","space":80,"measured":28,"failed":0,"feasible":28,
 *  "answer":[{"config":"R1H N1 S1H L2H","key":"...","as_safe":[],"metrics":{"get":510600.0},
 *             "intervals":{"get":{"low":...,"high":...,"confidence":0.95,"samples":1}}}],
 *  "undecided":[],"confidence":1.0,"verify":{"same":true,"missed":[],"spurious":[]},"wall_seconds":0.1}
 * </pre>
 * One {@code answer} entry per point: equally safe configurations are listed under {@code as_safe}.
 *
 * @param space    the configurations and their order
 * @param outcome  what the exploration found
 * @param notation how to write a configuration
 */
public record JsonReport(Poset space, Exploration.Outcome outcome, Function<Configuration, String> notation) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The report as one line of JSON. */
    public String render() {
        return tree().toString();
    }

    ObjectNode tree() {
        SearchResult r = outcome.result();
        Map<Configuration, Measurement> byConfig = TextReport.byConfiguration(r);
        ObjectNode root = JSON.createObjectNode();
        root.put("budget", r.budget().toString());
        root.put("search", r.strategy());
        root.put("space", r.spaceSize());
        root.put("measured", r.measuredCount());
        root.put("failed", r.failedCount());
        root.put("feasible", r.feasible().size());
        ArrayNode answer = root.putArray("answer");
        for (List<Configuration> point : AnswerPoints.of(space, r.answer())) {
            Configuration first = point.getFirst();
            ObjectNode item = answer.addObject();
            item.put("config", notation.apply(first));
            item.put("key", first.key());
            ArrayNode same = item.putArray("as_safe");
            point.subList(1, point.size()).forEach(c -> same.add(notation.apply(c)));
            ObjectNode metrics = item.putObject("metrics");
            ObjectNode intervals = item.putObject("intervals");
            Measurement m = byConfig.get(first);
            if (m != null) {
                for (Map.Entry<String, Estimate> e : m.estimates().entrySet()) {
                    metrics.put(e.getKey(), e.getValue().mean());
                    ObjectNode interval = intervals.putObject(e.getKey());
                    interval.put("low", e.getValue().low());
                    interval.put("high", e.getValue().high());
                    interval.put("confidence", e.getValue().confidence());
                    interval.put("samples", e.getValue().samples().size());
                }
            }
        }
        names(root.putArray("undecided"), r.undecided());
        if (!Double.isNaN(outcome.confidence())) {
            root.put("confidence", outcome.confidence());
        }
        outcome.verification().ifPresent(v -> {
            ObjectNode verify = root.putObject("verify");
            verify.put("same", v.same());
            names(verify.putArray("missed"), v.missed());
            names(verify.putArray("spurious"), v.spurious());
        });
        root.put("wall_seconds", outcome.wallTime().toMillis() / 1000.0);
        return root;
    }

    private void names(ArrayNode into, List<Configuration> configurations) {
        new LinkedHashSet<>(configurations.stream().map(notation).toList()).forEach(into::add);
    }
}
