package flexos.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.analyze.coloring.DsaturBranchAndBoundColoringTest;
import flexos.core.metadata.ApiFunction;
import flexos.core.metadata.CallPolicy;
import flexos.core.metadata.FunctionRef;
import flexos.core.metadata.HostCapabilities;
import flexos.core.metadata.LibraryMetadata;
import flexos.core.metadata.MemoryAccess;
import flexos.core.metadata.MemoryScope;
import flexos.core.metadata.Permission;
import flexos.core.metadata.SourceLocation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.SimpleGraph;

/** On random metadata sets, the compartments are valid (no conflict inside one) and as few as brute force finds. */
class PlannerPropertiesTest {

    static List<LibraryMetadata> randomLibraries(int count, long seed) {
        Random random = new Random(seed);
        List<LibraryMetadata> libraries = new ArrayList<>();
        MemoryScope[] scopes = MemoryScope.values();
        for (int i = 0; i < count; i++) {
            Set<MemoryScope> reads = EnumSet.noneOf(MemoryScope.class);
            Set<MemoryScope> writes = EnumSet.noneOf(MemoryScope.class);
            for (MemoryScope s : scopes) {
                if (random.nextInt(3) == 0) {
                    reads.add(s);
                }
                if (random.nextInt(4) == 0) {
                    writes.add(s);
                }
            }
            CallPolicy calls;
            if (random.nextInt(5) == 0) {
                calls = new CallPolicy.Anything();
            } else {
                List<FunctionRef> refs = new ArrayList<>();
                for (int j = 0; j < count; j++) {
                    if (j != i && random.nextInt(3) == 0) {
                        refs.add(new FunctionRef("l" + j, random.nextBoolean() ? "f" : "g"));
                    }
                }
                calls = new CallPolicy.Only(refs);
            }
            Optional<List<Permission>> requires = Optional.empty();
            if (random.nextBoolean()) {
                List<Permission> permissions = new ArrayList<>();
                for (Permission.Action action : Permission.Action.values()) {
                    if (random.nextBoolean()) {
                        String object = action == Permission.Action.CALL
                                ? List.of("f", "g", "*").get(random.nextInt(3))
                                : scopes[random.nextInt(scopes.length)].syntax();
                        String subject = random.nextInt(4) == 0 ? "l" + random.nextInt(count) : "*";
                        permissions.add(new Permission(subject, action, object));
                    }
                }
                requires = Optional.of(permissions);
            }
            libraries.add(new LibraryMetadata("l" + i, new MemoryAccess(reads, writes), calls,
                    List.of(new ApiFunction("f", "..."), new ApiFunction("g", "...")), requires, HostCapabilities.NONE,
                    new SourceLocation(Path.of("l" + i + ".meta"), 1, 1)));
        }
        return libraries;
    }

    @Property(tries = 200)
    void everyPlanIsValidAndMinimal(@ForAll @IntRange(min = 0, max = 7) int count,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long seed) throws AnalysisException {
        List<LibraryMetadata> libraries = randomLibraries(count, seed);
        CompartmentPlanner planner = new CompartmentPlanner();
        CompartmentPlan plan = planner.plan(libraries, List.of());

        List<String> placed = plan.compartments().stream().flatMap(List::stream).sorted().toList();
        assertEquals(libraries.stream().map(LibraryMetadata::library).sorted().toList(), placed);
        Compatibility compatibility = new RequiresCompatibility();
        Graph<Integer, DefaultEdge> graph = new SimpleGraph<>(DefaultEdge.class);
        for (int i = 0; i < count; i++) {
            graph.addVertex(i);
        }
        for (int i = 0; i < count; i++) {
            for (int j = i + 1; j < count; j++) {
                boolean incompatible = !compatibility.conflicts(libraries.get(i), libraries.get(j)).isEmpty();
                if (incompatible) {
                    graph.addEdge(i, j);
                    assertTrue(plan.compartmentOf("l" + i) != plan.compartmentOf("l" + j),
                            "l" + i + " and l" + j + " share a compartment though they conflict");
                }
            }
        }
        assertEquals(DsaturBranchAndBoundColoringTest.bruteForceChromaticNumber(graph), plan.compartments().size());
    }

    @Property(tries = 100)
    void groupsThatMustShareDoShare(@ForAll @IntRange(min = 2, max = 6) int count,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long seed) {
        List<LibraryMetadata> libraries = randomLibraries(count, seed);
        Set<String> group = Set.of("l0", "l1");
        try {
            CompartmentPlan plan = new CompartmentPlanner().plan(libraries, List.of(group));
            assertEquals(plan.compartmentOf("l0"), plan.compartmentOf("l1"));
            assertTrue(new RequiresCompatibility().conflicts(libraries.get(0), libraries.get(1)).isEmpty());
        } catch (AnalysisException refused) {
            assertTrue(!new RequiresCompatibility().conflicts(libraries.get(0), libraries.get(1)).isEmpty(),
                    refused.getMessage());
        }
    }
}
