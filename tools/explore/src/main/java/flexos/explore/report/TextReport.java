package flexos.explore.report;

import flexos.explore.Exploration;
import flexos.explore.Verification;
import flexos.explore.order.Poset;
import flexos.explore.search.AnswerConfidence;
import flexos.explore.search.Measurement;
import flexos.explore.search.SearchResult;
import flexos.explore.space.Configuration;
import flexos.explore.stats.Estimate;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The exploration's answer for people, as {@code flexos explore} prints it: the budget, how much was measured, and
 * the answer one point per line (equally safe configurations together) with each metric's mean and confidence
 * interval.
 *
 * @param space    the configurations and their order
 * @param outcome  what the exploration found
 * @param notation how to write a configuration
 */
public record TextReport(Poset space, Exploration.Outcome outcome, Function<Configuration, String> notation) {

    public void print(PrintWriter out) {
        SearchResult r = outcome.result();
        Map<Configuration, Measurement> byConfig = byConfiguration(r);
        out.printf(Locale.ROOT, "budget: %s%n", r.budget());
        out.printf(Locale.ROOT, "search: %s, measured %d of %d configurations (%d failed), inferred %d%n",
                r.strategy(), r.measuredCount(), r.spaceSize(), r.failedCount(),
                r.inferredFeasible().size() + r.inferredInfeasible().size());
        out.printf(Locale.ROOT, "feasible (measured, meeting the budget): %d%n", r.feasible().size());
        List<List<Configuration>> points = AnswerPoints.of(space, r.answer());
        out.printf(Locale.ROOT, "answer (%d maximal%s):%n", points.size(),
                points.size() == r.answer().size() ? "" : (points.size() == 1 ? " point, " : " points, ")
                        + r.answer().size() + " configurations");
        for (List<Configuration> point : points) {
            Configuration first = point.getFirst();
            out.printf(Locale.ROOT, "  %s  %s%s%n", notation.apply(first), metrics(byConfig.get(first)),
                    point.size() == 1 ? "" : "  (as safe: " + String.join(", ",
                            point.subList(1, point.size()).stream().map(notation).toList()) + ")");
        }
        if (!r.undecided().isEmpty()) {
            out.printf(Locale.ROOT, "undecided (interval straddles the limit after a second measurement): %s%n",
                    String.join(", ", r.undecided().stream().map(c -> notation.apply(c) + "  "
                            + metrics(byConfig.get(c))).toList()));
        }
        if (!Double.isNaN(outcome.confidence())) {
            out.printf(Locale.ROOT, "confidence: %.0f%% of %d bootstrap resamples of the measured samples give this "
                    + "answer%n", 100 * outcome.confidence(), AnswerConfidence.DEFAULT_RESAMPLES);
        }
        outcome.verification().ifPresent(v -> out.println("verify: " + verification(v)));
        out.printf(Locale.ROOT, "wall time: %.1f s%n", outcome.wallTime().toMillis() / 1000.0);
    }

    String verification(Verification v) {
        return v.same() ? "same answer as exhaustive measurement"
                : "differs from exhaustive measurement: missed " + v.missed().stream().map(notation).toList()
                        + ", spurious " + v.spurious().stream().map(notation).toList();
    }

    static Map<Configuration, Measurement> byConfiguration(SearchResult r) {
        Map<Configuration, Measurement> out = new HashMap<>();
        r.measurements().forEach(m -> out.put(m.configuration(), m));
        return out;
    }

    /** {@code get=510600/s}, or with an interval {@code get=1195219/s [1170122, 1220316] n=5}. */
    static String metrics(Measurement m) {
        if (m == null) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Estimate> e : m.estimates().entrySet()) {
            Estimate x = e.getValue();
            parts.add(x.hasInterval()
                    ? String.format(Locale.ROOT, "%s=%.0f/s [%.0f, %.0f] n=%d", e.getKey(), x.mean(), x.low(),
                            x.high(), x.samples().size())
                    : String.format(Locale.ROOT, "%s=%.0f/s", e.getKey(), x.mean()));
        }
        return String.join(" ", parts);
    }
}
