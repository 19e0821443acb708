package flexos.analyze;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders an {@link AnalysisReport} as JSON for machines: {@code libraries}, {@code findings}, {@code conflicts},
 * {@code compartments}, {@code imageConfig} and, with SFI, {@code sfi}.
 */
public final class ReportJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportJson() {
    }

    public static String render(AnalysisReport report) {
        ObjectNode root = JSON.createObjectNode();
        strings(root.putArray("libraries"), report.libraries());
        ArrayNode findings = root.putArray("findings");
        for (Finding f : report.findings()) {
            ObjectNode item = findings.addObject();
            item.put("severity", f.severity().name().toLowerCase(Locale.ROOT));
            item.put("library", f.library());
            item.put("where", f.where().toString());
            item.put("message", f.message());
        }
        plan(root, report.plan());
        root.put("imageConfig", report.imageConfig());
        report.sfi().ifPresent(sfi -> {
            ObjectNode node = root.putObject("sfi");
            ArrayNode candidates = node.putArray("candidates");
            for (DeploymentEnumerator.Candidate c : sfi.candidates()) {
                ObjectNode item = candidates.addObject();
                item.put("library", c.library());
                strings(item.putArray("options"), c.options());
            }
            strings(node.putArray("notes"), sfi.notes());
            ArrayNode deployments = node.putArray("deployments");
            for (Deployment d : sfi.deployments()) {
                ObjectNode item = deployments.addObject();
                ArrayNode hardenings = item.putArray("hardenings");
                d.hardenings().forEach(choice -> hardening(hardenings.addObject(), choice));
                plan(item, d.plan());
            }
        });
        return root.toString();
    }

    private static void plan(ObjectNode into, CompartmentPlan plan) {
        ArrayNode conflicts = into.putArray("conflicts");
        for (Conflict c : plan.conflicts()) {
            ObjectNode item = conflicts.addObject();
            item.put("guarded", c.guarded());
            item.put("offender", c.offender());
            item.put("reason", c.reason());
        }
        ArrayNode compartments = into.putArray("compartments");
        plan.compartments().forEach(c -> strings(compartments.addArray(), c));
    }

    private static void hardening(ObjectNode into, Map<String, List<String>> choice) {
        new TreeMap<>(choice).forEach((library, options) -> strings(into.putArray(library), options));
    }

    private static void strings(ArrayNode into, List<String> values) {
        values.forEach(into::add);
    }
}
