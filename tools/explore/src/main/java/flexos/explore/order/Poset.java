package flexos.explore.order;

import flexos.explore.space.Configuration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A finite set of configurations with the safety order between every pair precomputed, addressed by index. The
 * searches use it to find up-sets and down-sets quickly, and the report uses its {@link #hasse() Hasse diagram}.
 * Building it costs n² comparisons.
 */
public final class Poset {

    private final List<Configuration> elements;
    private final Map<Configuration, Integer> index = new HashMap<>();
    private final BitSet[] strictlyAbove; // strictlyAbove[i] = the elements strictly safer than i
    private final BitSet[] strictlyBelow;
    private final BitSet[] equivalent;

    public Poset(List<Configuration> configurations, SafetyOrder order) {
        this.elements = List.copyOf(new java.util.LinkedHashSet<>(configurations));
        int n = elements.size();
        strictlyAbove = new BitSet[n];
        strictlyBelow = new BitSet[n];
        equivalent = new BitSet[n];
        for (int i = 0; i < n; i++) {
            index.put(elements.get(i), i);
            strictlyAbove[i] = new BitSet(n);
            strictlyBelow[i] = new BitSet(n);
            equivalent[i] = new BitSet(n);
        }
        boolean[][] geq = new boolean[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                geq[i][j] = i == j || order.atLeastAsSafe(elements.get(i), elements.get(j));
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (geq[i][j] && geq[j][i]) {
                    equivalent[i].set(j);
                } else if (geq[i][j]) {
                    strictlyBelow[i].set(j);
                    strictlyAbove[j].set(i);
                }
            }
        }
    }

    public int size() {
        return elements.size();
    }

    public List<Configuration> elements() {
        return elements;
    }

    public Configuration get(int i) {
        return elements.get(i);
    }

    /** The index of {@code configuration}, or -1. */
    public int indexOf(Configuration configuration) {
        return index.getOrDefault(configuration, -1);
    }

    /** Whether element {@code i} is strictly safer than element {@code j}. */
    public boolean strictlySafer(int i, int j) {
        return strictlyBelow[i].get(j);
    }

    /** A copy of the set of elements strictly safer than {@code i}. */
    public BitSet strictlyAbove(int i) {
        return (BitSet) strictlyAbove[i].clone();
    }

    /** A copy of the set of elements strictly less safe than {@code i}. */
    public BitSet strictlyBelow(int i) {
        return (BitSet) strictlyBelow[i].clone();
    }

    /** A copy of the set of elements as safe as {@code i}, {@code i} included. */
    public BitSet equivalentTo(int i) {
        return (BitSet) equivalent[i].clone();
    }

    /**
     * The elements that cover {@code i}: strictly safer than it, with no element strictly between (its upper
     * neighbours in the Hasse diagram, counted element by element).
     */
    public BitSet covering(int i) {
        BitSet out = new BitSet();
        BitSet above = strictlyAbove[i];
        for (int j = above.nextSetBit(0); j >= 0; j = above.nextSetBit(j + 1)) {
            if (!strictlyBelow[j].intersects(above)) {
                out.set(j);
            }
        }
        return out;
    }

    /** The elements of {@code among} that no element of {@code among} is strictly safer than. */
    public BitSet maximal(BitSet among) {
        BitSet out = new BitSet();
        for (int i = among.nextSetBit(0); i >= 0; i = among.nextSetBit(i + 1)) {
            if (!strictlyAbove[i].intersects(among)) {
                out.set(i);
            }
        }
        return out;
    }

    /** The configurations of {@code among} that no other of them is strictly safer than. */
    public List<Configuration> maximal(Collection<Configuration> among) {
        BitSet set = new BitSet();
        for (Configuration c : among) {
            int i = indexOf(c);
            if (i < 0) {
                throw new IllegalArgumentException("not an element of this poset: " + c);
            }
            set.set(i);
        }
        return maximal(set).stream().mapToObj(elements::get).toList();
    }

    /**
     * The Hasse diagram: nodes are classes of equally safe configurations, edges the cover relation (a class covers
     * another when it is strictly safer and no class lies strictly between), and each class's rank is the length of
     * the longest chain of covers below it.
     */
    public HasseDiagram hasse() {
        int n = elements.size();
        int[] classOf = new int[n];
        java.util.Arrays.fill(classOf, -1);
        List<List<Configuration>> classes = new ArrayList<>();
        List<Integer> representative = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (classOf[i] >= 0) {
                continue;
            }
            List<Configuration> members = new ArrayList<>();
            for (int j = equivalent[i].nextSetBit(0); j >= 0; j = equivalent[i].nextSetBit(j + 1)) {
                classOf[j] = classes.size();
                members.add(elements.get(j));
            }
            classes.add(members);
            representative.add(i);
        }
        int k = classes.size();
        List<HasseDiagram.Cover> covers = new ArrayList<>();
        for (int lo = 0; lo < k; lo++) {
            BitSet above = strictlyAbove[representative.get(lo)];
            for (int hi = above.nextSetBit(0); hi >= 0; hi = above.nextSetBit(hi + 1)) {
                if (representative.get(classOf[hi]) != hi) {
                    continue;
                }
                BitSet between = strictlyBelow[hi].get(0, n);
                between.and(above);
                if (between.isEmpty()) {
                    covers.add(new HasseDiagram.Cover(classOf[hi], lo));
                }
            }
        }
        int[] rank = new int[k];
        // Classes sorted by how many elements lie below them are in a topological order.
        List<Integer> topological = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            topological.add(c);
        }
        topological.sort(java.util.Comparator.comparingInt(c -> strictlyBelow[representative.get(c)].cardinality()));
        for (int c : topological) {
            for (HasseDiagram.Cover cover : covers) {
                if (cover.upper() == c) {
                    rank[c] = Math.max(rank[c], rank[cover.lower()] + 1);
                }
            }
        }
        List<Integer> ranks = new ArrayList<>();
        for (int r : rank) {
            ranks.add(r);
        }
        return new HasseDiagram(classes, covers, ranks);
    }
}
