package flexos.analyze;

import java.util.List;

/**
 * Everything {@code flexos analyze} found.
 *
 * @param libraries   the analysed libraries, sorted
 * @param findings    declared-against-inferred mismatches and other findings, errors under {@code --strict}
 * @param plan        the fewest compartments (with every conflict and its reason)
 * @param imageConfig a configuration using the plan's compartments
 * @param sfi         the SFI enumeration, when requested
 */
public record AnalysisReport(
        List<String> libraries,
        List<Finding> findings,
        CompartmentPlan plan,
        String imageConfig,
        java.util.Optional<SfiReport> sfi) {

    public AnalysisReport {
        libraries = List.copyOf(libraries);
        findings = List.copyOf(findings);
    }

    /** Whether any finding is an error. */
    public boolean hasErrors() {
        return findings.stream().anyMatch(f -> f.severity() == Finding.Severity.ERROR);
    }

    /**
     * The SFI enumeration.
     *
     * @param candidates  each candidate library with the options that harden it
     * @param notes       why some would-be candidates cannot be hardened
     * @param deployments the deployments, fewest compartments first
     */
    public record SfiReport(List<DeploymentEnumerator.Candidate> candidates, List<String> notes,
            List<Deployment> deployments) {
        public SfiReport {
            candidates = List.copyOf(candidates);
            notes = List.copyOf(notes);
            deployments = List.copyOf(deployments);
        }
    }
}
