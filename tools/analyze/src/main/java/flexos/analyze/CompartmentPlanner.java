package flexos.analyze;

import flexos.analyze.coloring.DsaturBranchAndBoundColoring;
import flexos.core.metadata.LibraryMetadata;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.jgrapht.Graph;
import org.jgrapht.alg.interfaces.VertexColoringAlgorithm;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.SimpleGraph;

/**
 * Places libraries in the fewest compartments: one vertex per group of libraries that must stay together, an edge
 * for every incompatible pair (SPEC §6), and an exact minimum colouring, one compartment per colour.
 *
 * <p>The result is deterministic: libraries are considered in name order.
 */
public final class CompartmentPlanner {

    private final Compatibility compatibility;
    private final Function<Graph<String, DefaultEdge>, VertexColoringAlgorithm<String>> coloring;

    /** The SPEC §6 relation and the exact {@link DsaturBranchAndBoundColoring}. */
    public CompartmentPlanner() {
        this(new RequiresCompatibility(), DsaturBranchAndBoundColoring::new);
    }

    /**
     * @param coloring must return a minimum colouring for the fewest compartments to be the fewest
     */
    public CompartmentPlanner(Compatibility compatibility,
            Function<Graph<String, DefaultEdge>, VertexColoringAlgorithm<String>> coloring) {
        this.compatibility = compatibility;
        this.coloring = coloring;
    }

    /** All reasons, pair by pair in name order, why libraries of {@code libraries} may not share a compartment. */
    public List<Conflict> conflicts(List<LibraryMetadata> libraries) {
        List<LibraryMetadata> sorted = libraries.stream().sorted(Comparator.comparing(LibraryMetadata::library)).toList();
        List<Conflict> conflicts = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            for (int j = i + 1; j < sorted.size(); j++) {
                conflicts.addAll(compatibility.conflicts(sorted.get(i), sorted.get(j)));
            }
        }
        return conflicts;
    }

    /** Whether {@code a} and {@code b} may share a compartment. */
    public boolean compatible(LibraryMetadata a, LibraryMetadata b) {
        return compatibility.conflicts(a, b).isEmpty();
    }

    /**
     * @param together groups of libraries that must share a compartment (FlexOS keeps uksched and ukschedcoop
     *                 together); a name in no group is alone. Names not among {@code libraries} are an error.
     * @throws AnalysisException if a group names an unknown library, or holds two libraries that may not share
     */
    public CompartmentPlan plan(List<LibraryMetadata> libraries, List<Set<String>> together) throws AnalysisException {
        Map<String, LibraryMetadata> byName = new TreeMap<>();
        libraries.forEach(l -> byName.put(l.library(), l));
        List<Conflict> conflicts = conflicts(libraries);

        // Each library's vertex is the name of its group's first member.
        Map<String, String> vertexOf = new TreeMap<>();
        byName.keySet().forEach(name -> vertexOf.put(name, name));
        for (Set<String> group : together) {
            for (String name : group) {
                if (!byName.containsKey(name)) {
                    throw new AnalysisException("the group " + new TreeSet<>(group) + " that must share a compartment"
                            + " names " + name + ", which is not among the analysed libraries " + byName.keySet());
                }
            }
            Set<String> merged = new TreeSet<>();
            for (String name : group) {
                String vertex = vertexOf.get(name);
                vertexOf.forEach((library, v) -> {
                    if (v.equals(vertex)) {
                        merged.add(library);
                    }
                });
            }
            String vertex = merged.isEmpty() ? null : merged.iterator().next();
            for (String name : merged) {
                vertexOf.put(name, vertex);
            }
        }
        for (Conflict conflict : conflicts) {
            if (vertexOf.get(conflict.guarded()).equals(vertexOf.get(conflict.offender()))) {
                throw new AnalysisException(conflict.guarded() + " and " + conflict.offender()
                        + " must share a compartment but may not: " + conflict.reason());
            }
        }

        Graph<String, DefaultEdge> graph = new SimpleGraph<>(DefaultEdge.class);
        new TreeSet<>(vertexOf.values()).forEach(graph::addVertex);
        for (Conflict conflict : conflicts) {
            String a = vertexOf.get(conflict.guarded());
            String b = vertexOf.get(conflict.offender());
            if (!graph.containsEdge(a, b)) {
                graph.addEdge(a, b);
            }
        }
        Map<String, Integer> colours = coloring.apply(graph).getColoring().getColors();

        Map<Integer, Set<String>> byColour = new LinkedHashMap<>();
        vertexOf.forEach((library, vertex) ->
                byColour.computeIfAbsent(colours.get(vertex), c -> new TreeSet<>()).add(library));
        List<List<String>> compartments = byColour.values().stream().map(s -> (List<String>) new ArrayList<>(s))
                .sorted(Comparator.comparing(l -> l.get(0))).toList();
        return new CompartmentPlan(compartments, conflicts);
    }
}
