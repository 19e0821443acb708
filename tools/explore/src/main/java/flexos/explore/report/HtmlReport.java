package flexos.explore.report;

import flexos.explore.Exploration;
import flexos.explore.Verification;
import flexos.explore.order.HasseDiagram;
import flexos.explore.order.PaperEdges;
import flexos.explore.order.Poset;
import flexos.explore.search.Measurement;
import flexos.explore.search.SearchResult;
import flexos.explore.space.Configuration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The exploration report: one self-contained HTML page (no external resources, no network) holding
 * <ul>
 *   <li>the answer and the search statistics;</li>
 *   <li>the Hasse diagram as inline SVG, safest at the top, nodes coloured by the budget's first metric (red =
 *       slowest measured, green = fastest, grey = not measured), the answer starred, failed configurations crossed;</li>
 *   <li>a chart of that metric against the safety rank, with the budget's limit;</li>
 *   <li>a sortable table of every configuration;</li>
 *   <li>the exact commands;</li>
 *   <li>optionally the paper's Fig. 8 edges and why its stars differ from the answer.</li>
 * </ul>
 *
 * @param title      the page's title
 * @param space      the configurations and their order
 * @param outcome    what the exploration found
 * @param notation   how to write a configuration
 * @param metric     the metric that colours nodes and fills the chart
 * @param commands   the exact commands that produced the numbers, and the command line of the exploration
 * @param paperEdges whether to add the paper's view
 */
public record HtmlReport(String title, Poset space, Exploration.Outcome outcome,
                         Function<Configuration, String> notation, String metric, List<String> commands,
                         boolean paperEdges) {

    private static final int NODE_W = 118;
    private static final int NODE_H = 22;
    private static final int ROW_H = 70;

    /** The page. */
    public String render() {
        SearchResult result = outcome.result();
        Map<Configuration, Measurement> measured = new HashMap<>();
        result.measurements().forEach(m -> measured.put(m.configuration(), m));
        HasseDiagram hasse = space.hasse();
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>\n<style>").append(STYLE).append("</style></head><body>\n");
        html.append("<h1>").append(esc(title)).append("</h1>\n");
        summary(html, result, measured);
        html.append("<h2>Hasse diagram</h2>\n<p class=\"note\">Safest at the top; an edge joins a configuration to one "
                + "it covers. Colour: ").append(esc(metric)).append(" from red (slowest measured) to green (fastest); "
                + "grey: not measured; &#9733;: the answer; &#10005;: failed.</p>\n");
        html.append("<div class=\"scroll\">").append(hasseSvg(hasse, measured, result, coverEdges(hasse), "hasse"))
                .append("</div>\n");
        html.append("<h2>").append(esc(metric)).append(" against safety rank</h2>\n");
        html.append(chartSvg(hasse, measured, result));
        table(html, hasse, measured, result);
        html.append("<h2>Commands</h2>\n<pre>");
        commands.forEach(c -> html.append(esc(c)).append('\n'));
        html.append("</pre>\n");
        if (paperEdges) {
            paperView(html, hasse, measured, result);
        }
        html.append("<script>").append(SORT_SCRIPT).append("</script>\n</body></html>\n");
        return html.toString();
    }

    private void summary(StringBuilder html, SearchResult result, Map<Configuration, Measurement> measured) {
        html.append("<table class=\"summary\">");
        row(html, "budget", result.budget().toString());
        row(html, "search", result.strategy());
        row(html, "configurations in the space", Integer.toString(result.spaceSize()));
        row(html, "measured", result.measuredCount() + " (" + percent(result.measuredCount(), result.spaceSize())
                + " of the space), " + result.failedCount() + " failed");
        row(html, "inferred without measuring", result.inferredFeasible().size() + " fast enough, "
                + result.inferredInfeasible().size() + " too slow");
        row(html, "measured and meeting the budget (whole interval)", Integer.toString(result.feasible().size()));
        row(html, "undecided (interval straddles the limit)", result.undecided().isEmpty() ? "none"
                : String.join(", ", result.undecided().stream().map(notation).toList()));
        StringBuilder answer = new StringBuilder();
        for (Configuration c : result.answer()) {
            answer.append(answer.isEmpty() ? "" : "; ").append(notation.apply(c)).append(" (")
                    .append(value(measured.get(c))).append(')');
        }
        row(html, "answer (safest that meet the budget)", answer.isEmpty() ? "none" : answer.toString());
        if (!Double.isNaN(outcome.confidence())) {
            row(html, "confidence", String.format(Locale.ROOT, "%.0f%% of %d bootstrap resamples of the measured "
                    + "samples give this answer", 100 * outcome.confidence(),
                    flexos.explore.search.AnswerConfidence.DEFAULT_RESAMPLES));
        }
        outcome.verification().ifPresent(v -> row(html, "verification against exhaustive", verification(v)));
        row(html, "wall time", outcome.wallTime().toMillis() / 1000.0 + " s");
        html.append("</table>\n");
    }

    private String verification(Verification v) {
        if (v.same()) {
            return "same answer as exhaustive measurement";
        }
        return "differs: missed " + v.missed().stream().map(notation).toList() + ", spurious "
                + v.spurious().stream().map(notation).toList();
    }

    private List<int[]> coverEdges(HasseDiagram hasse) {
        return hasse.covers().stream().map(c -> new int[] {c.upper(), c.lower()}).toList();
    }

    private String hasseSvg(HasseDiagram hasse, Map<Configuration, Measurement> measured, SearchResult result,
                            List<int[]> edges, String id) {
        HasseLayout layout = HasseLayout.of(hasse, edges, NODE_W, 12, ROW_H);
        double[][] pos = new double[hasse.classes().size()][];
        for (int c = 0; c < pos.length; c++) {
            pos[c] = new double[] {layout.x()[c], layout.y()[c]};
        }
        double width = layout.width();
        double height = layout.height();
        double[] range = range(measured);
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
                + "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"10\">",
                id, width, height, width, height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        for (int[] e : edges) {
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\" stroke-width=\"0.7\"/>",
                    pos[e[0]][0], pos[e[0]][1] + NODE_H / 2.0, pos[e[1]][0], pos[e[1]][1] - NODE_H / 2.0));
        }
        for (int c = 0; c < hasse.classes().size(); c++) {
            List<Configuration> members = hasse.classes().get(c);
            Measurement best = bestOf(members, measured);
            boolean failed = best == null && members.stream().anyMatch(m -> measured.containsKey(m));
            boolean answer = members.stream().anyMatch(result.answer()::contains);
            String fill = best == null ? "#dddddd" : colour(best.metrics().get(metric), range);
            double x = pos[c][0] - NODE_W / 2.0;
            double y = pos[c][1] - NODE_H / 2.0;
            String label = notation.apply(members.getFirst()) + (members.size() > 1 ? " +" + (members.size() - 1) : "");
            svg.append("<g class=\"node").append(answer ? " answer" : "").append(failed ? " failed" : "")
                    .append("\"><title>").append(esc(String.join("\n", members.stream().map(m ->
                            notation.apply(m) + ": " + value(measured.get(m))).toList()))).append("</title>");
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%d\" rx=\"4\" "
                    + "fill=\"%s\" stroke=\"%s\" stroke-width=\"%s\"/>", x, y, NODE_W, NODE_H, fill,
                    answer ? "#b8860b" : "#555", answer ? "2.5" : "0.6"));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>",
                    pos[c][0], pos[c][1] + 3.5, esc((answer ? "\u2605 " : "") + label)));
            if (failed) {
                svg.append(String.format(Locale.ROOT, "<path d=\"M%.1f %.1fl%d %dM%.1f %.1fl%d %d\" stroke=\"#c00\" "
                        + "stroke-width=\"2\"/>", x, y, NODE_W, NODE_H, x, y + NODE_H, NODE_W, -NODE_H));
            }
            svg.append("</g>");
        }
        return svg.append("</svg>").toString();
    }

    private String chartSvg(HasseDiagram hasse, Map<Configuration, Measurement> measured, SearchResult result) {
        int w = 640;
        int h = 320;
        int left = 70;
        int bottom = 40;
        double[] range = range(measured);
        double max = range[1] <= 0 ? 1 : range[1] * 1.05;
        int height = Math.max(1, hasse.height());
        StringBuilder svg = new StringBuilder();
        svg.append("<svg id=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"")
                .append(h).append("\" font-family=\"sans-serif\" font-size=\"10\">");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>"
                + "<line x1=\"%d\" y1=\"10\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>",
                left, h - bottom, w - 10, h - bottom, left, left, h - bottom));
        for (int r = 0; r <= height; r++) {
            double x = left + (w - left - 30.0) * r / height;
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>",
                    x, h - bottom + 14, r));
        }
        for (int t = 0; t <= 4; t++) {
            double v = max * t / 4;
            double y = (h - bottom) - (h - bottom - 10.0) * t / 4;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
                    left - 4, y + 3, esc(si(v))));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">safety rank</text>",
                (w + left) / 2, h - 8));
        result.budget().constraints().stream().filter(c -> c.metric().equals(metric))
                .filter(c -> c instanceof flexos.explore.budget.Budget.Absolute)
                .map(c -> ((flexos.explore.budget.Budget.Absolute) c).limit()).findFirst().ifPresent(limit -> {
                    double y = (h - bottom) - (h - bottom - 10.0) * limit / max;
                    svg.append(String.format(Locale.ROOT, "<line class=\"limit\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" "
                            + "y2=\"%.1f\" stroke=\"#06c\" stroke-dasharray=\"4 3\"/><text x=\"%d\" y=\"%.1f\" "
                            + "fill=\"#06c\">budget</text>", left, y, w - 10, y, w - 50, y - 4));
                });
        for (int c = 0; c < hasse.classes().size(); c++) {
            for (Configuration m : hasse.classes().get(c)) {
                Measurement mm = measured.get(m);
                if (mm == null || !mm.ok() || !mm.metrics().containsKey(metric)) {
                    continue;
                }
                double x = left + (w - left - 30.0) * hasse.ranks().get(c) / height;
                double y = (h - bottom) - (h - bottom - 10.0) * mm.metrics().get(metric) / max;
                boolean answer = result.answer().contains(m);
                boolean feasible = result.feasible().contains(m);
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%s\" fill=\"%s\">"
                        + "<title>%s</title></circle>", x, y, answer ? "6" : "3.5",
                        answer ? "#b8860b" : feasible ? "#2a2" : "#c33", esc(notation.apply(m) + ": "
                        + value(mm))));
            }
        }
        return svg.append("</svg>\n").toString();
    }

    private void table(StringBuilder html, HasseDiagram hasse, Map<Configuration, Measurement> measured,
                       SearchResult result) {
        List<String> metrics = measured.values().stream().flatMap(m -> m.metrics().keySet().stream()).distinct()
                .sorted().toList();
        html.append("<h2>Every configuration</h2>\n<p class=\"note\">Click a column header to sort.</p>\n");
        html.append("<table id=\"configurations\" class=\"sortable\"><thead><tr><th>configuration</th>"
                + "<th>rank</th><th>status</th>");
        metrics.forEach(m -> html.append("<th>").append(esc(m)).append("</th><th>").append(esc(m))
                .append(" interval</th><th>runs</th>"));
        html.append("<th>meets budget</th><th>answer</th><th>error</th></tr></thead><tbody>\n");
        for (int c = 0; c < hasse.classes().size(); c++) {
            for (Configuration conf : hasse.classes().get(c)) {
                Measurement m = measured.get(conf);
                String status = m != null ? (m.ok() ? "measured" : "failed")
                        : result.inferredFeasible().contains(conf) ? "inferred fast enough"
                        : result.inferredInfeasible().contains(conf) ? "inferred too slow" : "not measured";
                html.append("<tr><td title=\"").append(esc(conf.key())).append("\">")
                        .append(esc(notation.apply(conf))).append("</td><td>").append(hasse.ranks().get(c))
                        .append("</td><td>").append(status).append("</td>");
                for (String metricName : metrics) {
                    flexos.explore.stats.Estimate e = m == null ? null : m.estimates().get(metricName);
                    html.append("<td>").append(e == null ? "" : String.format(Locale.ROOT, "%.1f", e.mean()))
                            .append("</td><td>").append(e == null || !e.hasInterval() ? ""
                                    : String.format(Locale.ROOT, "%.1f to %.1f", e.low(), e.high()))
                            .append("</td><td>").append(e == null ? "" : Integer.toString(e.samples().size()))
                            .append("</td>");
                }
                html.append("<td>").append(result.feasible().contains(conf) ? "yes"
                        : result.undecided().contains(conf) ? "undecided" : m != null && m.ok() ? "no" : "")
                        .append("</td><td>").append(result.answer().contains(conf) ? "\u2605" : "")
                        .append("</td><td>").append(m == null ? "" : esc(m.error())).append("</td></tr>\n");
            }
        }
        html.append("</tbody></table>\n");
    }

    private void paperView(StringBuilder html, HasseDiagram hasse, Map<Configuration, Measurement> measured,
                           SearchResult result) {
        PaperEdges paper = new PaperEdges(space);
        List<int[]> classEdges = new ArrayList<>();
        for (int[] e : paper.edges()) {
            classEdges.add(new int[] {hasse.classOf(space.get(e[0])), hasse.classOf(space.get(e[1]))});
        }
        BitSet feasible = new BitSet();
        result.feasible().forEach(c -> feasible.set(space.indexOf(c)));
        List<Configuration> stars = paper.maximal(feasible).stream().mapToObj(space::get).toList();
        html.append("<h2>The paper's edges (Fig. 8)</h2>\n<p>The paper's hand-drawn poset joins different layouts "
                + "only between unhardened configurations. With only those edges, ").append(stars.size())
                .append(" configurations look maximal:</p><ul>");
        for (Configuration s : stars) {
            html.append("<li>").append(esc(notation.apply(s)));
            if (result.answer().contains(s)) {
                html.append(": also maximal under the complete order");
            } else {
                List<String> above = result.answer().stream()
                        .filter(a -> space.strictlySafer(space.indexOf(a), space.indexOf(s))).map(notation).toList();
                html.append(": refined by ").append(esc(String.join(", ", above)))
                        .append(", which is safer (an edge between hardened configurations of different layouts, "
                                + "which the paper does not draw) and also meets the budget");
            }
            html.append("</li>");
        }
        html.append("</ul>\n<div class=\"scroll\">")
                .append(hasseSvg(hasse, measured, new SearchResult(result.strategy(), result.spaceSize(),
                        result.measurements(), result.budget(), result.feasible(), stars, List.of(), List.of(),
                        List.of()),
                        classEdges, "paper"))
                .append("</div>\n");
    }

    private Measurement bestOf(List<Configuration> members, Map<Configuration, Measurement> measured) {
        Measurement best = null;
        for (Configuration c : members) {
            Measurement m = measured.get(c);
            if (m != null && m.ok() && m.metrics().containsKey(metric)
                    && (best == null || m.metrics().get(metric) > best.metrics().get(metric))) {
                best = m;
            }
        }
        return best;
    }

    private double[] range(Map<Configuration, Measurement> measured) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Measurement m : measured.values()) {
            Double v = m.ok() ? m.metrics().get(metric) : null;
            if (v != null) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        return lo > hi ? new double[] {0, 0} : new double[] {lo, hi};
    }

    private static String colour(Double v, double[] range) {
        if (v == null) {
            return "#dddddd";
        }
        double t = range[1] > range[0] ? (v - range[0]) / (range[1] - range[0]) : 1;
        return String.format(Locale.ROOT, "hsl(%.0f,70%%,70%%)", 120 * t);
    }

    private String value(Measurement m) {
        if (m == null) {
            return "not measured";
        }
        if (!m.ok()) {
            return "failed: " + m.error();
        }
        flexos.explore.stats.Estimate e = m.estimates().get(metric);
        return e == null ? "no " + metric : metric + " " + si(e.mean()) + "/s"
                + (e.hasInterval() ? " [" + si(e.low()) + ", " + si(e.high()) + "]" : "");
    }

    private static String si(double v) {
        return v >= 1e6 ? String.format(Locale.ROOT, "%.2fM", v / 1e6)
                : v >= 1e3 ? String.format(Locale.ROOT, "%.1fk", v / 1e3) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String percent(int part, int whole) {
        return whole == 0 ? "0%" : Math.round(100.0 * part / whole) + "%";
    }

    private static void row(StringBuilder html, String key, String value) {
        html.append("<tr><th>").append(esc(key)).append("</th><td>").append(esc(value)).append("</td></tr>");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static final String STYLE = """
            body{font-family:sans-serif;margin:1.5em;color:#222}
            table{border-collapse:collapse;margin:.5em 0}
            td,th{border:1px solid #ccc;padding:2px 6px;font-size:12px;text-align:left}
            table.sortable th{cursor:pointer;background:#eee}
            table.summary th{background:#f4f4f4}
            .scroll{overflow-x:auto;border:1px solid #eee}
            .note{color:#555;font-size:12px}
            pre{background:#f6f6f6;padding:.5em;white-space:pre-wrap}
            """;

    private static final String SORT_SCRIPT = """
            document.querySelectorAll('table.sortable th').forEach(function (th, col) {
              th.addEventListener('click', function () {
                var body = th.closest('table').tBodies[0];
                var rows = Array.prototype.slice.call(body.rows);
                var up = th.dataset.dir !== 'up';
                th.dataset.dir = up ? 'up' : 'down';
                rows.sort(function (a, b) {
                  var x = a.cells[col].textContent, y = b.cells[col].textContent;
                  var nx = parseFloat(x), ny = parseFloat(y);
                  var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
                  return up ? c : -c;
                });
                rows.forEach(function (r) { body.appendChild(r); });
              });
            });
            """;
}
