package flexos.analyze;

import flexos.analyze.bytecode.InferredBehaviour;
import flexos.core.metadata.LocatedMetadata;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What to analyse.
 *
 * @param libraries   the libraries' metadata
 * @param inferred    by library name, what its bytecode shows; libraries without bytecode are absent. Used for the
 *                    declared-against-inferred comparison and by {@code cfi}
 * @param apiMethods  by library name, the methods of the API interfaces it exports (for libraries with bytecode)
 * @param together    groups of libraries that must share a compartment
 * @param sfi         whether to enumerate the deployments that SFI hardening opens
 * @param strict      whether declared-against-inferred mismatches are errors rather than warnings
 * @param mechanism   the mechanism of the generated configuration's compartments when there are several
 * @param application the application to name in the generated configuration, if any
 */
public record AnalysisRequest(
        List<LocatedMetadata> libraries,
        Map<String, InferredBehaviour> inferred,
        Map<String, Set<String>> apiMethods,
        List<Set<String>> together,
        boolean sfi,
        boolean strict,
        String mechanism,
        Optional<String> application) {

    public AnalysisRequest {
        libraries = List.copyOf(libraries);
        inferred = Map.copyOf(inferred);
        apiMethods = Map.copyOf(apiMethods);
        together = together.stream().map(Set::copyOf).toList();
    }

    /** Metadata only: no bytecode, no constraints, no SFI. */
    public static AnalysisRequest of(List<LocatedMetadata> libraries) {
        return new AnalysisRequest(libraries, Map.of(), Map.of(), List.of(), false, false, "module", Optional.empty());
    }
}
