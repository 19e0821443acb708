package flexos.analyze.coloring;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jgrapht.Graph;
import org.jgrapht.Graphs;
import org.jgrapht.alg.interfaces.VertexColoringAlgorithm;

/**
 * An exact minimum vertex colouring: DSATUR branch and bound.
 *
 * <p>D. Brélaz, "New methods to color the vertices of a graph", Communications of the ACM 22(4), 1979, turned into an
 * exact algorithm by branching on the colour of the most saturated vertex; the lower bound is a large clique
 * (coloured first, which also removes the symmetry of permuting its colours) and the first upper bound is greedy
 * DSATUR. See also E. C. Sewell, "An improved algorithm for exact graph coloring", DIMACS Series 26, 1996.
 *
 * <p>The result is always a proper colouring with the fewest colours; its colours are {@code 0..k-1}. Unlike
 * JGraphT's {@code BrownBacktrackColoring}, graphs of zero or one vertex are fine. Self-loops cannot be coloured
 * and are rejected. The colouring is deterministic: the same graph (with the same vertex iteration order) gives the
 * same colours. Exponential in the worst case, as the problem is NP-hard; see docs/analyze.md for measured times.
 *
 * @param <V> the vertex type
 * @param <E> the edge type
 */
public final class DsaturBranchAndBoundColoring<V, E> implements VertexColoringAlgorithm<V> {

    private final Graph<V, E> graph;
    private Coloring<V> result;

    public DsaturBranchAndBoundColoring(Graph<V, E> graph) {
        this.graph = graph;
    }

    @Override
    public Coloring<V> getColoring() {
        if (result == null) {
            List<V> vertices = new ArrayList<>(graph.vertexSet());
            Map<V, Integer> index = new HashMap<>();
            for (int i = 0; i < vertices.size(); i++) {
                index.put(vertices.get(i), i);
            }
            boolean[][] adjacent = new boolean[vertices.size()][vertices.size()];
            for (E edge : graph.edgeSet()) {
                int a = index.get(graph.getEdgeSource(edge));
                int b = index.get(Graphs.getOppositeVertex(graph, edge, graph.getEdgeSource(edge)));
                if (a == b) {
                    throw new IllegalArgumentException("a vertex adjacent to itself cannot be coloured: "
                            + vertices.get(a));
                }
                adjacent[a][b] = true;
                adjacent[b][a] = true;
            }
            int[] colours = new Search(adjacent).minimumColouring();
            Map<V, Integer> byVertex = new HashMap<>();
            int count = 0;
            for (int i = 0; i < colours.length; i++) {
                byVertex.put(vertices.get(i), colours[i]);
                count = Math.max(count, colours[i] + 1);
            }
            result = new ColoringImpl<>(byVertex, count);
        }
        return result;
    }

    /**
     * A minimum colouring of the graph whose adjacency matrix is {@code adjacent} (symmetric, no self-loops): each
     * vertex's colour, {@code 0..k-1}. For callers that colour many small graphs and need no JGraphT graph.
     */
    public static int[] minimumColouring(boolean[][] adjacent) {
        return new Search(adjacent).minimumColouring();
    }

    /** The search on vertex indices; adjacency as bit sets so that the inner loops are word operations. */
    static final class Search {
        private final int n;
        private final long[][] adjacency;
        private final int[] degree;
        private final int[] colour;
        private final int[][] neighbourColourCount;
        private final int[] saturation;
        private final int[] uncolouredDegree;
        private int[] best;
        private int bestCount;
        private int lowerBound;

        Search(boolean[][] adjacent) {
            n = adjacent.length;
            int words = (n + 63) >>> 6;
            adjacency = new long[n][words];
            degree = new int[n];
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    if (adjacent[a][b]) {
                        adjacency[a][b >>> 6] |= 1L << b;
                        degree[a]++;
                    }
                }
            }
            colour = new int[n];
            neighbourColourCount = new int[n][n + 1];
            saturation = new int[n];
            uncolouredDegree = degree.clone();
        }

        int[] minimumColouring() {
            if (n == 0) {
                return new int[0];
            }
            best = greedyDsatur();
            bestCount = count(best);
            int[] clique = largeClique();
            lowerBound = clique.length;
            if (bestCount > lowerBound) {
                java.util.Arrays.fill(colour, -1);
                for (int c = 0; c < clique.length; c++) {
                    assign(clique[c], c);
                }
                branch(clique.length, clique.length);
            }
            return best;
        }

        private static int count(int[] colours) {
            int max = -1;
            for (int c : colours) {
                max = Math.max(max, c);
            }
            return max + 1;
        }

        private boolean adjacent(int a, int b) {
            return (adjacency[a][b >>> 6] & (1L << b)) != 0;
        }

        private void assign(int v, int c) {
            colour[v] = c;
            long[] row = adjacency[v];
            for (int w = 0; w < row.length; w++) {
                long bits = row[w];
                while (bits != 0) {
                    int u = (w << 6) + Long.numberOfTrailingZeros(bits);
                    bits &= bits - 1;
                    uncolouredDegree[u]--;
                    if (neighbourColourCount[u][c]++ == 0) {
                        saturation[u]++;
                    }
                }
            }
        }

        private void unassign(int v) {
            int c = colour[v];
            colour[v] = -1;
            long[] row = adjacency[v];
            for (int w = 0; w < row.length; w++) {
                long bits = row[w];
                while (bits != 0) {
                    int u = (w << 6) + Long.numberOfTrailingZeros(bits);
                    bits &= bits - 1;
                    uncolouredDegree[u]++;
                    if (--neighbourColourCount[u][c] == 0) {
                        saturation[u]--;
                    }
                }
            }
        }

        // Ties on saturation go to the vertex with the most uncoloured neighbours (Brélaz's rule).
        private int mostSaturated() {
            int chosen = -1;
            for (int v = 0; v < n; v++) {
                if (colour[v] < 0 && (chosen < 0 || saturation[v] > saturation[chosen]
                        || (saturation[v] == saturation[chosen] && uncolouredDegree[v] > uncolouredDegree[chosen]))) {
                    chosen = v;
                }
            }
            return chosen;
        }

        /** Colours the rest, {@code coloured} vertices being coloured with {@code used} colours. */
        private void branch(int coloured, int used) {
            if (coloured == n) {
                best = colour.clone();
                bestCount = used;
                return;
            }
            int v = mostSaturated();
            // Every colour v could take: an existing one its neighbours lack, or one new colour if that still beats the best.
            int limit = Math.min(used, bestCount - 1);
            for (int c = 0; c < limit && bestCount > lowerBound; c++) {
                if (neighbourColourCount[v][c] == 0) {
                    assign(v, c);
                    branch(coloured + 1, used);
                    unassign(v);
                }
            }
            if (used + 1 < bestCount && bestCount > lowerBound) {
                assign(v, used);
                branch(coloured + 1, used + 1);
                unassign(v);
            }
        }

        private int[] greedyDsatur() {
            java.util.Arrays.fill(colour, -1);
            for (int step = 0; step < n; step++) {
                int v = mostSaturated();
                int c = 0;
                while (neighbourColourCount[v][c] > 0) {
                    c++;
                }
                assign(v, c);
            }
            int[] found = colour.clone();
            for (int v = 0; v < n; v++) {
                unassign(v);
            }
            return found;
        }

        /**
         * A maximum clique, by branch and bound with a greedy-colouring bound (Tomita and Seki's MCQ, 2003): a lower
         * bound on the colours that is tight on most incompatibility graphs, and cheap next to the colouring search.
         */
        private int[] largeClique() {
            long[] all = new long[(n + 63) >>> 6];
            for (int v = 0; v < n; v++) {
                all[v >>> 6] |= 1L << v;
            }
            cliqueBest = new int[0];
            cliqueCurrent = new int[n];
            expandClique(all, 0);
            return cliqueBest;
        }

        private int[] cliqueBest;
        private int[] cliqueCurrent;

        private void expandClique(long[] candidates, int size) {
            int count = 0;
            for (long word : candidates) {
                count += Long.bitCount(word);
            }
            if (count == 0) {
                if (size > cliqueBest.length) {
                    cliqueBest = java.util.Arrays.copyOf(cliqueCurrent, size);
                }
                return;
            }
            // Greedy colour classes of the candidates: a clique takes at most one vertex per class.
            int[] order = new int[count];
            int[] bound = new int[count];
            long[] uncoloured = candidates.clone();
            int placed = 0;
            int classes = 0;
            while (placed < count) {
                classes++;
                long[] available = uncoloured.clone();
                for (int w = 0; w < available.length; w++) {
                    while (available[w] != 0) {
                        int v = (w << 6) + Long.numberOfTrailingZeros(available[w]);
                        uncoloured[w] &= ~(1L << v);
                        for (int x = 0; x < available.length; x++) {
                            available[x] &= ~adjacency[v][x];
                        }
                        available[w] &= ~(1L << v);
                        order[placed] = v;
                        bound[placed] = classes;
                        placed++;
                    }
                }
            }
            long[] remaining = candidates.clone();
            for (int i = count - 1; i >= 0; i--) {
                if (size + bound[i] <= cliqueBest.length) {
                    return;
                }
                int v = order[i];
                cliqueCurrent[size] = v;
                long[] next = new long[remaining.length];
                for (int x = 0; x < next.length; x++) {
                    next[x] = remaining[x] & adjacency[v][x];
                }
                expandClique(next, size + 1);
                remaining[v >>> 6] &= ~(1L << v);
            }
        }

        boolean isProper(int[] colours) {
            for (int a = 0; a < n; a++) {
                for (int b = a + 1; b < n; b++) {
                    if (adjacent(a, b) && colours[a] == colours[b]) {
                        return false;
                    }
                }
            }
            return true;
        }
    }
}
