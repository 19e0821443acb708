package flexos.analyze;

import flexos.core.text.JsonText;

import java.util.List;
import java.util.Map;

/**
 * Renders an {@link AnalysisReport} as JSON for machines: {@code libraries}, {@code findings}, {@code conflicts},
 * {@code compartments}, {@code imageConfig} and, with SFI, {@code sfi}. Hand-written, to keep the tool free of a
 * JSON library.
 */
public final class ReportJson {

    private ReportJson() {
    }

    public static String render(AnalysisReport report) {
        StringBuilder out = new StringBuilder("{");
        out.append("\"libraries\":");
        strings(out, report.libraries());
        out.append(",\"findings\":[");
        for (int i = 0; i < report.findings().size(); i++) {
            Finding f = report.findings().get(i);
            out.append(i > 0 ? "," : "").append("{\"severity\":");
            string(out, f.severity().name().toLowerCase(java.util.Locale.ROOT));
            out.append(",\"library\":");
            string(out, f.library());
            out.append(",\"where\":");
            string(out, f.where().toString());
            out.append(",\"message\":");
            string(out, f.message());
            out.append('}');
        }
        out.append("],");
        plan(out, report.plan());
        out.append(",\"imageConfig\":");
        string(out, report.imageConfig());
        report.sfi().ifPresent(sfi -> {
            out.append(",\"sfi\":{\"candidates\":[");
            for (int i = 0; i < sfi.candidates().size(); i++) {
                out.append(i > 0 ? "," : "").append("{\"library\":");
                string(out, sfi.candidates().get(i).library());
                out.append(",\"options\":");
                strings(out, sfi.candidates().get(i).options());
                out.append('}');
            }
            out.append("],\"notes\":");
            strings(out, sfi.notes());
            out.append(",\"deployments\":[");
            for (int i = 0; i < sfi.deployments().size(); i++) {
                Deployment d = sfi.deployments().get(i);
                out.append(i > 0 ? "," : "").append("{\"hardenings\":[");
                for (int j = 0; j < d.hardenings().size(); j++) {
                    out.append(j > 0 ? "," : "");
                    hardening(out, d.hardenings().get(j));
                }
                out.append("],");
                plan(out, d.plan());
                out.append('}');
            }
            out.append("]}");
        });
        return out.append("}").toString();
    }

    private static void plan(StringBuilder out, CompartmentPlan plan) {
        out.append("\"conflicts\":[");
        for (int i = 0; i < plan.conflicts().size(); i++) {
            Conflict c = plan.conflicts().get(i);
            out.append(i > 0 ? "," : "").append("{\"guarded\":");
            string(out, c.guarded());
            out.append(",\"offender\":");
            string(out, c.offender());
            out.append(",\"reason\":");
            string(out, c.reason());
            out.append('}');
        }
        out.append("],\"compartments\":[");
        for (int i = 0; i < plan.compartments().size(); i++) {
            out.append(i > 0 ? "," : "");
            strings(out, plan.compartments().get(i));
        }
        out.append(']');
    }

    private static void hardening(StringBuilder out, Map<String, List<String>> choice) {
        out.append('{');
        int i = 0;
        for (var e : new java.util.TreeMap<>(choice).entrySet()) {
            out.append(i++ > 0 ? "," : "");
            string(out, e.getKey());
            out.append(':');
            strings(out, e.getValue());
        }
        out.append('}');
    }

    private static void strings(StringBuilder out, List<String> values) {
        out.append('[');
        for (int i = 0; i < values.size(); i++) {
            out.append(i > 0 ? "," : "");
            string(out, values.get(i));
        }
        out.append(']');
    }

    static void string(StringBuilder out, String value) {
        JsonText.appendQuoted(out, value);
    }
}
