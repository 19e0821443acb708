package flexos.analyze;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders an {@link AnalysisReport} for people. */
public final class ReportText {

    private ReportText() {
    }

    public static String render(AnalysisReport report) {
        StringBuilder out = new StringBuilder();
        out.append("Libraries: ").append(String.join(", ", report.libraries())).append("\n");
        for (Finding f : report.findings()) {
            out.append(f).append('\n');
        }
        out.append("\nCompatibility:\n");
        if (report.plan().conflicts().isEmpty()) {
            out.append("  every pair may share a compartment\n");
        }
        for (Conflict c : report.plan().conflicts()) {
            out.append("  ").append(c.guarded()).append(" / ").append(c.offender()).append(": ").append(c.reason())
                    .append('\n');
        }
        out.append("\nFewest compartments: ").append(report.plan().compartments().size()).append('\n');
        appendCompartments(out, "  ", report.plan(), Map.of());
        out.append("\nImage configuration:\n").append(report.imageConfig());
        report.sfi().ifPresent(sfi -> {
            out.append("\nSFI candidates: ");
            out.append(sfi.candidates().isEmpty() ? "none" : sfi.candidates().stream()
                    .map(c -> c.library() + " [" + String.join(", ", c.options()) + "]")
                    .collect(Collectors.joining(", ")));
            out.append('\n');
            sfi.notes().forEach(n -> out.append("  note: ").append(n).append('\n'));
            out.append("Deployments: ").append(sfi.deployments().size())
                    .append(" (for each number of compartments, the fewest libraries to harden)").append('\n');
            int i = 1;
            for (Deployment d : sfi.deployments()) {
                out.append("  ").append(i++).append(". ").append(d.plan().compartments().size())
                        .append(d.plan().compartments().size() == 1 ? " compartment" : " compartments")
                        .append(", hardening ").append(describe(d.hardenings())).append('\n');
                appendCompartments(out, "     ", d.plan(), d.cheapest());
            }
        });
        return out.toString();
    }

    private static String describe(List<Map<String, List<String>>> choices) {
        return choices.stream().map(ReportText::describe).collect(Collectors.joining(" or "));
    }

    private static String describe(Map<String, List<String>> choice) {
        return choice.isEmpty() ? "none" : choice.entrySet().stream()
                .map(e -> e.getKey() + "+" + String.join("+", e.getValue())).collect(Collectors.joining(" "));
    }

    private static void appendCompartments(StringBuilder out, String indent, CompartmentPlan plan,
            Map<String, List<String>> hardening) {
        for (int i = 0; i < plan.compartments().size(); i++) {
            out.append(indent).append("comp").append(i + 1).append(": ").append(plan.compartments().get(i).stream()
                    .map(l -> hardening.containsKey(l) ? l + " (" + String.join(", ", hardening.get(l)) + ")" : l)
                    .collect(Collectors.joining(", "))).append('\n');
        }
    }
}
