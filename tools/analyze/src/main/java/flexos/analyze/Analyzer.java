package flexos.analyze;

import flexos.analyze.bytecode.InferredBehaviour;
import flexos.core.metadata.FunctionRef;
import flexos.core.metadata.LibraryMetadata;
import flexos.core.metadata.LocatedMetadata;
import flexos.core.metadata.MetadataException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs the whole analysis of {@code flexos analyze}: cross-library checks, declared against inferred metadata,
 * compatibility with reasons, the fewest compartments with a configuration using them, and the SFI enumeration.
 */
public final class Analyzer {

    private final CompartmentPlanner planner;

    public Analyzer() {
        this(new CompartmentPlanner());
    }

    public Analyzer(CompartmentPlanner planner) {
        this.planner = planner;
    }

    /**
     * @throws MetadataException if a {@code [Call]} names a library or function that does not exist (the first such
     *                           place; {@link CrossLibraryCheck#errors} lists them all), or two libraries share a name
     * @throws AnalysisException if the libraries cannot be placed, for example libraries that must share a
     *                           compartment may not
     */
    public AnalysisReport analyze(AnalysisRequest request) throws MetadataException, AnalysisException {
        Map<String, LocatedMetadata> seen = new HashMap<>();
        for (LocatedMetadata library : request.libraries()) {
            LocatedMetadata previous = seen.putIfAbsent(library.metadata().library(), library);
            if (previous != null) {
                throw new MetadataException(library.metadata().source(), "a second metadata file for library '"
                        + library.metadata().library() + "' (the first is " + previous.metadata().source().file() + ")",
                        "one metadata file per library");
            }
        }
        List<MetadataException> errors = CrossLibraryCheck.errors(request.libraries());
        if (!errors.isEmpty()) {
            throw errors.get(0);
        }
        List<Finding> findings = new ArrayList<>(CrossLibraryCheck.warnings(request.libraries()));
        for (LocatedMetadata library : request.libraries()) {
            InferredBehaviour inferred = request.inferred().get(library.metadata().library());
            if (inferred != null) {
                List<Finding> mismatches = DeclaredInferredComparison.compare(library, inferred,
                        request.apiMethods().getOrDefault(library.metadata().library(), Set.of()));
                mismatches.forEach(f -> findings.add(request.strict() ? f.asError() : f));
            }
        }

        List<LibraryMetadata> metadata = request.libraries().stream().map(LocatedMetadata::metadata).toList();
        CompartmentPlan plan = planner.plan(metadata, request.together());
        String yaml = ImageConfigYaml.write(Optional.empty(), request.application(), plan, request.mechanism(),
                Map.of());

        Optional<AnalysisReport.SfiReport> sfi = Optional.empty();
        if (request.sfi()) {
            Map<String, Set<FunctionRef>> calls = new HashMap<>();
            request.inferred().forEach((name, inferred) -> calls.put(name, inferred.calls().keySet()));
            DeploymentEnumerator enumerator = new DeploymentEnumerator(planner,
                    List.of(new AsanTransformation(), new CfiTransformation(calls)));
            List<Deployment> deployments = enumerator.enumerate(metadata, request.together());
            List<String> notes = new ArrayList<>(enumerator.notes(metadata));
            for (int k : enumerator.truncated()) {
                notes.add("for " + k + " compartment" + (k == 1 ? "" : "s") + " there may be more minimal hardening "
                        + "sets than shown: at most " + DeploymentEnumerator.MAX_PER_COUNT + " are shown, and the "
                        + "search colours at most " + DeploymentEnumerator.MAX_COLOURINGS + " graphs per count");
            }
            sfi = Optional.of(new AnalysisReport.SfiReport(enumerator.candidates(metadata), notes, deployments));
        }
        List<String> names = new ArrayList<>(new TreeSet<>(seen.keySet()));
        return new AnalysisReport(names, findings, plan, yaml, sfi);
    }
}
