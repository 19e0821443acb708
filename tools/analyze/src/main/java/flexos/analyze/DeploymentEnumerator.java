package flexos.analyze;

import flexos.core.metadata.LibraryMetadata;
import flexos.analyze.coloring.DsaturBranchAndBoundColoring;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Enumerates the deployments worth showing that SFI opens (SPEC §6): every library that some transformation changes
 * is a candidate that exists hardened and unhardened, and for each number of compartments k the enumerator finds
 * the <em>minimal</em> sets of hardened candidates with which the libraries fit in k compartments. A combination
 * that hardens a superset of another for the same or more compartments is dominated and not shown; nor is a set
 * that is minimal for k but already fits in fewer (it is shown there).
 *
 * <p>How, without colouring all 2^n combinations:
 * <ul>
 *   <li>Whether two libraries may share depends on the two libraries' versions only, so the incompatibility graph
 *       of every combination comes from a table of each pair's four version combinations. A candidate whose
 *       hardening changes no pair is left out.</li>
 *   <li>Hardening removes behaviour, so it only removes edges: "fits in k compartments" is monotone in the set
 *       hardened. Its minimal sets are found by backtracking over the candidates (each out, then in), pruning a
 *       branch when even hardening every undecided candidate does not fit in k, and stopping a branch as soon as
 *       its hardened set fits (supersets are not minimal). Each leaf is checked for minimality.</li>
 *   <li>"Fits in k" is an exact colouring ({@link DsaturBranchAndBoundColoring}) of the graph with
 *       {@code together} groups merged, remembered per graph, since many combinations share one.</li>
 * </ul>
 * The search can still be exponential where there are very many minimal sets (C-like libraries that guard their
 * own memory against each other), so per number of compartments it reports at most {@link #MAX_PER_COUNT} sets and
 * colours at most {@link #MAX_COLOURINGS} graphs, then says it stopped ({@link #truncated()}); the first set of each
 * count is found greedily with at most one colouring per candidate, so every count has one.
 */
public final class DeploymentEnumerator {

    /** The most minimal hardening sets reported for one number of compartments. */
    public static final int MAX_PER_COUNT = 8;

    /**
     * The most graphs coloured while looking for the minimal sets of one number of compartments. A set with many
     * guarded C-like libraries can have very many minimal sets; past this the search stops, and says so, after
     * showing the ones it found (always at least one, found greedily).
     */
    public static final int MAX_COLOURINGS = 2_000;

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
     * The deployments, fewest compartments first, then fewest hardened libraries: for each number of compartments
     * the libraries can fit in, each minimal hardening set that makes them fit (and does not fit them in fewer).
     * Combinations whose libraries cannot honour the {@code together} constraints are left out.
     *
     * @throws AnalysisException if no combination honours the {@code together} constraints
     */
    public List<Deployment> enumerate(List<LibraryMetadata> libraries, List<Set<String>> together)
            throws AnalysisException {
        List<Candidate> candidates = candidates(libraries);
        Graphs graphs = new Graphs(libraries, candidates, together);
        List<Integer> relevant = graphs.relevantCandidates();
        BitSet all = new BitSet();
        relevant.forEach(all::set);
        int fewest = graphs.chromatic(all);
        int most = graphs.chromatic(new BitSet());
        if (fewest == Graphs.INFEASIBLE) {
            // Some together group cannot share even with everything hardened: let the planner say why.
            planner.plan(graphs.version(all), together);
            throw new AnalysisException("the libraries cannot honour the groups " + together);
        }
        List<Deployment> deployments = new ArrayList<>();
        for (int k = fewest; k <= (most == Graphs.INFEASIBLE ? libraries.size() : most); k++) {
            List<BitSet> minimal = graphs.minimalSets(relevant, k, MAX_PER_COUNT + 1);
            for (BitSet set : minimal.subList(0, Math.min(minimal.size(), MAX_PER_COUNT))) {
                if (graphs.chromatic(set) != k) {
                    continue; // it fits in fewer: it is shown there
                }
                Map<String, List<String>> choice = new TreeMap<>();
                set.stream().forEach(c -> choice.put(candidates.get(c).library(), candidates.get(c).options()));
                deployments.add(new Deployment(List.of(choice), planner.plan(graphs.version(set), together)));
            }
            if (minimal.size() > MAX_PER_COUNT || graphs.stopped) {
                truncated.add(k);
            }
        }
        deployments.sort(Comparator.comparingInt((Deployment d) -> d.plan().compartments().size())
                .thenComparingInt(d -> d.cheapest().size()));
        return deployments;
    }

    private final List<Integer> truncated = new ArrayList<>();

    /**
     * The numbers of compartments for which the last {@link #enumerate} showed only some of the minimal sets
     * (more than {@link #MAX_PER_COUNT}, or the search stopped at {@link #MAX_COLOURINGS}).
     */
    public List<Integer> truncated() {
        return List.copyOf(truncated);
    }

    /** The incompatibility graphs of every combination, from a table of pair verdicts. */
    private final class Graphs {
        static final int INFEASIBLE = Integer.MAX_VALUE;

        final List<LibraryMetadata> libraries;
        final List<Candidate> candidates;
        final int n;
        final int[] candidateOf; // library index -> candidate index, or -1
        final int[] vertexOf;    // library index -> merged vertex
        final int vertices;
        /** conflict[a][b][ha][hb]: whether libraries a and b, hardened or not, may not share. */
        final boolean[][][][] conflict;
        final Map<BitSet, Integer> chromaticByGraph = new HashMap<>();

        Graphs(List<LibraryMetadata> libraries, List<Candidate> candidates, List<Set<String>> together)
                throws AnalysisException {
            this.libraries = List.copyOf(libraries);
            this.candidates = candidates;
            this.n = libraries.size();
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < n; i++) {
                index.put(libraries.get(i).library(), i);
            }
            candidateOf = new int[n];
            java.util.Arrays.fill(candidateOf, -1);
            for (int c = 0; c < candidates.size(); c++) {
                candidateOf[index.get(candidates.get(c).library())] = c;
            }
            // Merge each together group into one vertex (union-find over library indexes).
            int[] parent = new int[n];
            for (int i = 0; i < n; i++) {
                parent[i] = i;
            }
            for (Set<String> group : together) {
                Integer first = null;
                for (String name : group) {
                    Integer i = index.get(name);
                    if (i == null) {
                        throw new AnalysisException("the group " + new TreeSet<>(group) + " that must share a "
                                + "compartment names " + name + ", which is not among the analysed libraries "
                                + new TreeSet<>(index.keySet()));
                    }
                    if (first != null) {
                        parent[find(parent, i)] = find(parent, first);
                    }
                    first = i;
                }
            }
            vertexOf = new int[n];
            Map<Integer, Integer> roots = new HashMap<>();
            for (int i = 0; i < n; i++) {
                vertexOf[i] = roots.computeIfAbsent(find(parent, i), r -> roots.size());
            }
            vertices = roots.size();
            conflict = new boolean[n][n][2][2];
            for (int a = 0; a < n; a++) {
                for (int b = a + 1; b < n; b++) {
                    for (int ha = 0; ha < (candidateOf[a] >= 0 ? 2 : 1); ha++) {
                        for (int hb = 0; hb < (candidateOf[b] >= 0 ? 2 : 1); hb++) {
                            boolean c = !planner.compatible(version(a, ha == 1), version(b, hb == 1));
                            conflict[a][b][ha][hb] = c;
                            conflict[b][a][hb][ha] = c;
                        }
                    }
                }
            }
        }

        private static int find(int[] parent, int i) {
            while (parent[i] != i) {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            return i;
        }

        LibraryMetadata version(int library, boolean hardened) {
            return hardened ? candidates.get(candidateOf[library]).hardened() : libraries.get(library);
        }

        List<LibraryMetadata> version(BitSet hardened) {
            List<LibraryMetadata> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(version(i, candidateOf[i] >= 0 && hardened.get(candidateOf[i])));
            }
            return out;
        }

        /** The candidates whose hardening changes some pair, most changes first. */
        List<Integer> relevantCandidates() {
            Map<Integer, Integer> changes = new TreeMap<>();
            for (int a = 0; a < n; a++) {
                if (candidateOf[a] < 0) {
                    continue;
                }
                int count = 0;
                for (int b = 0; b < n; b++) {
                    if (b == a) {
                        continue;
                    }
                    for (int hb = 0; hb < (candidateOf[b] >= 0 ? 2 : 1); hb++) {
                        if (conflict[a][b][0][hb] != conflict[a][b][1][hb]) {
                            count++;
                        }
                    }
                }
                if (count > 0) {
                    changes.put(candidateOf[a], count);
                }
            }
            List<Integer> out = new ArrayList<>(changes.keySet());
            out.sort(Comparator.comparingInt((Integer c) -> -changes.get(c)).thenComparingInt(c -> c));
            return out;
        }

        /** The fewest compartments with {@code hardened} hardened, or {@link #INFEASIBLE} if a group conflicts. */
        int chromatic(BitSet hardened) {
            boolean[][] adjacent = new boolean[vertices][vertices];
            BitSet key = new BitSet();
            for (int a = 0; a < n; a++) {
                int ha = candidateOf[a] >= 0 && hardened.get(candidateOf[a]) ? 1 : 0;
                for (int b = a + 1; b < n; b++) {
                    int hb = candidateOf[b] >= 0 && hardened.get(candidateOf[b]) ? 1 : 0;
                    if (conflict[a][b][ha][hb]) {
                        int va = vertexOf[a];
                        int vb = vertexOf[b];
                        if (va == vb) {
                            return INFEASIBLE;
                        }
                        adjacent[va][vb] = true;
                        adjacent[vb][va] = true;
                        key.set(Math.min(va, vb) * vertices + Math.max(va, vb));
                    }
                }
            }
            Integer known = chromaticByGraph.get(key);
            if (known == null) {
                int[] colours = DsaturBranchAndBoundColoring.minimumColouring(adjacent);
                known = java.util.Arrays.stream(colours).max().orElse(-1) + 1;
                chromaticByGraph.put(key, known);
            }
            return known;
        }

        boolean fits(BitSet hardened, int k) {
            return chromatic(hardened) <= k;
        }

        /** Whether the last {@link #minimalSets} stopped at {@link #MAX_COLOURINGS}. */
        boolean stopped;
        private int colouringsAtStart;

        /**
         * Up to {@code limit} minimal sets of {@code order}'s candidates with which the libraries fit in {@code k}
         * compartments and no fewer (k must be possible with all of them): one found greedily (unharden each candidate, least useful
         * first, while the rest still fits), then the others by backtracking, within {@link #MAX_COLOURINGS}.
         */
        List<BitSet> minimalSets(List<Integer> order, int k, int limit) {
            List<BitSet> found = new ArrayList<>();
            BitSet greedy = new BitSet();
            order.forEach(greedy::set);
            for (int i = order.size() - 1; i >= 0; i--) {
                greedy.clear(order.get(i));
                if (!fits(greedy, k)) {
                    greedy.set(order.get(i));
                }
            }
            if (chromatic(greedy) == k) {
                found.add(greedy);
            }
            stopped = false;
            colouringsAtStart = chromaticByGraph.size();
            BitSet undecided = new BitSet();
            order.forEach(undecided::set);
            search(order, 0, new BitSet(), undecided, k, limit, found);
            found.sort(Comparator.comparingInt(BitSet::cardinality).thenComparing(BitSet::toString));
            return found;
        }

        private void search(List<Integer> order, int next, BitSet in, BitSet undecided, int k, int limit,
                            List<BitSet> found) {
            if (found.size() >= limit || stopped) {
                return;
            }
            if (chromaticByGraph.size() - colouringsAtStart > MAX_COLOURINGS) {
                stopped = true;
                return;
            }
            BitSet most = (BitSet) in.clone();
            most.or(undecided);
            if (!fits(most, k)) {
                return;
            }
            if (fits(in, k)) {
                for (int x = in.nextSetBit(0); x >= 0; x = in.nextSetBit(x + 1)) {
                    BitSet without = (BitSet) in.clone();
                    without.clear(x);
                    if (fits(without, k)) {
                        return; // not minimal: a smaller set is found on another branch
                    }
                }
                if (chromatic(in) == k && !found.contains(in)) {
                    found.add((BitSet) in.clone());
                }
                return;
            }
            if (next == order.size()) {
                return;
            }
            int x = order.get(next);
            BitSet rest = (BitSet) undecided.clone();
            rest.clear(x);
            search(order, next + 1, in, rest, k, limit, found);
            BitSet with = (BitSet) in.clone();
            with.set(x);
            search(order, next + 1, with, rest, k, limit, found);
        }
    }
}
