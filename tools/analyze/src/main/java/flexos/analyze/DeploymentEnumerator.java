package flexos.analyze;

import flexos.core.metadata.LibraryMetadata;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Enumerates the deployments SFI opens (SPEC §6): every library that some transformation changes is a candidate
 * that exists hardened and unhardened; every combination of versions is coloured, and combinations with the same
 * incompatibility graph (hence the same compartments) are reported once.
 */
public final class DeploymentEnumerator {

    /** Above this many candidates the 2^n combinations are too many to colour one by one. */
    public static final int MAX_CANDIDATES = 16;

    private final CompartmentPlanner planner;
    private final List<MetadataTransformation> transformations;

    public DeploymentEnumerator(CompartmentPlanner planner, List<MetadataTransformation> transformations) {
        this.planner = planner;
        this.transformations = List.copyOf(transformations);
    }

    /** A candidate: its hardened metadata and the options that produced it. */
    public record Candidate(String library, LibraryMetadata hardened, List<String> options) {
    }

    /** The libraries some transformation changes, in name order, each with all its applicable options applied. */
    public List<Candidate> candidates(List<LibraryMetadata> libraries) {
        List<Candidate> candidates = new ArrayList<>();
        for (LibraryMetadata library : libraries.stream().sorted(Comparator.comparing(LibraryMetadata::library)).toList()) {
            LibraryMetadata current = library;
            List<String> options = new ArrayList<>();
            for (MetadataTransformation t : transformations) {
                Optional<LibraryMetadata> hardened = t.apply(current);
                if (hardened.isPresent()) {
                    current = hardened.get();
                    options.add(t.name());
                }
            }
            if (!options.isEmpty()) {
                candidates.add(new Candidate(library.library(), current, options));
            }
        }
        return candidates;
    }

    /** Why some would-be candidates cannot be hardened. */
    public List<String> notes(List<LibraryMetadata> libraries) {
        List<String> notes = new ArrayList<>();
        for (LibraryMetadata library : libraries) {
            for (MetadataTransformation t : transformations) {
                t.whyNot(library).ifPresent(notes::add);
            }
        }
        return notes;
    }

    /**
     * The deployments, fewest compartments first. Combinations whose libraries cannot honour the {@code together}
     * constraints are left out.
     *
     * @throws AnalysisException if there are more than {@link #MAX_CANDIDATES} candidates
     */
    public List<Deployment> enumerate(List<LibraryMetadata> libraries, List<Set<String>> together)
            throws AnalysisException {
        List<Candidate> candidates = candidates(libraries);
        if (candidates.size() > MAX_CANDIDATES) {
            throw new AnalysisException(candidates.size() + " libraries are SFI candidates; enumerating 2^"
                    + candidates.size() + " combinations is limited to " + MAX_CANDIDATES + " candidates");
        }
        Map<String, Candidate> byName = new TreeMap<>();
        candidates.forEach(c -> byName.put(c.library(), c));
        Map<Set<String>, List<Map<String, List<String>>>> choicesByGraph = new LinkedHashMap<>();
        Map<Set<String>, CompartmentPlan> planByGraph = new LinkedHashMap<>();
        // Masks in order of hardened count, so each deployment's first choice hardens the fewest libraries.
        List<Integer> masks = new ArrayList<>();
        for (int mask = 0; mask < (1 << candidates.size()); mask++) {
            masks.add(mask);
        }
        masks.sort(Comparator.comparingInt(Integer::bitCount).thenComparingInt(m -> m));
        for (int mask : masks) {
            Map<String, List<String>> choice = new TreeMap<>();
            for (int i = 0; i < candidates.size(); i++) {
                if ((mask & (1 << i)) != 0) {
                    choice.put(candidates.get(i).library(), candidates.get(i).options());
                }
            }
            List<LibraryMetadata> version = libraries.stream()
                    .map(l -> choice.containsKey(l.library()) ? byName.get(l.library()).hardened() : l).toList();
            Set<String> graph = new TreeSet<>();
            for (Conflict c : planner.conflicts(version)) {
                graph.add(c.guarded().compareTo(c.offender()) < 0 ? c.guarded() + "|" + c.offender()
                        : c.offender() + "|" + c.guarded());
            }
            if (!planByGraph.containsKey(graph)) {
                try {
                    planByGraph.put(graph, planner.plan(version, together));
                } catch (AnalysisException infeasible) {
                    continue;
                }
            }
            choicesByGraph.computeIfAbsent(graph, g -> new ArrayList<>()).add(choice);
        }
        List<Deployment> deployments = new ArrayList<>();
        choicesByGraph.forEach((graph, choices) -> deployments.add(new Deployment(choices, planByGraph.get(graph))));
        deployments.sort(Comparator.comparingInt((Deployment d) -> d.plan().compartments().size())
                .thenComparingInt(d -> d.cheapest().size()));
        return deployments;
    }
}
