package flexos.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.core.metadata.LibraryMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * The SFI enumeration shows, for each number of compartments, exactly the minimal hardening sets (checked against
 * colouring every one of the 2^n combinations), and scales to sets with many candidates.
 */
class SfiEnumerationTest {

    final CompartmentPlanner planner = new CompartmentPlanner();
    final DeploymentEnumerator enumerator = new DeploymentEnumerator(planner, List.of(new AsanTransformation()));

    /** The Pareto front by brute force: (set, k) with k = fewest compartments, no subset fitting in k or fewer. */
    Set<Map.Entry<Set<String>, Integer>> bruteForce(List<LibraryMetadata> libraries) throws Exception {
        List<DeploymentEnumerator.Candidate> candidates = enumerator.candidates(libraries);
        Map<Set<String>, Integer> fewest = new HashMap<>();
        for (int mask = 0; mask < 1 << candidates.size(); mask++) {
            Set<String> hardened = new HashSet<>();
            for (int c = 0; c < candidates.size(); c++) {
                if ((mask & 1 << c) != 0) {
                    hardened.add(candidates.get(c).library());
                }
            }
            List<LibraryMetadata> version = new ArrayList<>();
            for (LibraryMetadata l : libraries) {
                version.add(hardened.contains(l.library()) ? candidates.stream()
                        .filter(c -> c.library().equals(l.library())).findFirst().orElseThrow().hardened() : l);
            }
            fewest.put(hardened, planner.plan(version, List.of()).compartments().size());
        }
        Set<Map.Entry<Set<String>, Integer>> front = new HashSet<>();
        for (Map.Entry<Set<String>, Integer> e : fewest.entrySet()) {
            boolean dominated = fewest.entrySet().stream().anyMatch(o -> !o.getKey().equals(e.getKey())
                    && e.getKey().containsAll(o.getKey()) && o.getValue() <= e.getValue());
            if (!dominated) {
                front.add(Map.entry(e.getKey(), e.getValue()));
            }
        }
        return front;
    }

    Set<Map.Entry<Set<String>, Integer>> enumerated(List<LibraryMetadata> libraries) throws Exception {
        Set<Map.Entry<Set<String>, Integer>> out = new HashSet<>();
        for (Deployment d : enumerator.enumerate(libraries, List.of())) {
            out.add(Map.entry(d.cheapest().keySet(), d.plan().compartments().size()));
        }
        return out;
    }

    @Property(tries = 60)
    void theDeploymentsShownAreExactlyTheUndominatedOnes(@ForAll @IntRange(min = 3, max = 12) int libraries,
                                                         @ForAll @IntRange(min = 1, max = 9) int candidates,
                                                         @ForAll @IntRange(min = 0, max = 3) int guards,
                                                         @ForAll @LongRange(min = 1, max = 1_000_000) long seed)
            throws Exception {
        int c = Math.min(candidates, libraries - Math.min(guards, libraries));
        List<LibraryMetadata> set = SyntheticLibraries.of(libraries, c, Math.min(guards, libraries), seed);
        Set<Map.Entry<Set<String>, Integer>> front = bruteForce(set);
        Set<Map.Entry<Set<String>, Integer>> shown = enumerated(set);
        assertTrue(front.containsAll(shown), "only undominated deployments are shown: " + shown + " vs " + front);
        Set<Integer> counts = new HashSet<>();
        front.forEach(e -> counts.add(e.getValue()));
        Set<Integer> shownCounts = new HashSet<>();
        shown.forEach(e -> shownCounts.add(e.getValue()));
        assertEquals(counts, shownCounts, "every number of compartments has a deployment");
        if (enumerator.truncated().isEmpty()) {
            assertEquals(front, shown);
        } else {
            for (int k : enumerator.truncated()) {
                long ofK = shown.stream().filter(e -> e.getValue() == k).count();
                assertTrue(ofK <= DeploymentEnumerator.MAX_PER_COUNT, "k=" + k + ": " + ofK);
            }
        }
    }

    @Test
    void fortyLibrariesWithTwentyFourCandidatesAnswerWithoutColouringEveryCombination() throws Exception {
        List<LibraryMetadata> set = SyntheticLibraries.of(40, 24, 6, 40);
        assertEquals(24, enumerator.candidates(set).size());
        // A hang detector, not a timing: the timings are in docs/analyze.md.
        List<Deployment> deployments = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> enumerator.enumerate(set, List.of()));
        assertTrue(deployments.size() >= 2, deployments.toString());
        int fewest = deployments.getFirst().plan().compartments().size();
        int most = deployments.getLast().plan().compartments().size();
        assertTrue(fewest < most, "hardening opens deployments with fewer compartments");
        assertTrue(deployments.getLast().cheapest().isEmpty(), "the unhardened deployment comes last");
    }
}
