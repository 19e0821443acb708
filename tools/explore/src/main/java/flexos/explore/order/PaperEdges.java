package flexos.explore.order;

import flexos.explore.space.Configuration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The cover relation as the ASPLOS'22 paper drew it (Fig. 8): within one layout, hardening covers; across layouts,
 * only between unhardened configurations. The paper's drawing leaves out every cross-layout edge between hardened
 * configurations, so under its edges more configurations look maximal: on the paper's data with a 500k req/s
 * budget it stars 5, of which 3 are refined, under the complete order, by the 2 true maximal elements.
 */
public final class PaperEdges {

    private final Poset poset;
    private final List<int[]> edges = new ArrayList<>(); // {upper, lower}

    public PaperEdges(Poset poset) {
        this.poset = poset;
        for (int lower = 0; lower < poset.size(); lower++) {
            BitSet covers = poset.covering(lower);
            for (int upper = covers.nextSetBit(0); upper >= 0; upper = covers.nextSetBit(upper + 1)) {
                Configuration a = poset.get(upper);
                Configuration b = poset.get(lower);
                boolean sameLayout = a.compartmentOf().equals(b.compartmentOf())
                        && a.mechanisms().equals(b.mechanisms());
                if (sameLayout || unhardened(a) && unhardened(b)) {
                    edges.add(new int[] {upper, lower});
                }
            }
        }
    }

    private static boolean unhardened(Configuration c) {
        return c.hardening().stream().allMatch(java.util.Set::isEmpty);
    }

    /** The drawn edges as {upper, lower} element indexes. */
    public List<int[]> edges() {
        return edges.stream().map(int[]::clone).toList();
    }

    /** The elements of {@code among} from which no drawn upward path reaches another element of {@code among}. */
    public BitSet maximal(BitSet among) {
        BitSet out = new BitSet();
        for (int i = among.nextSetBit(0); i >= 0; i = among.nextSetBit(i + 1)) {
            if (!reachableAbove(i).intersects(among)) {
                out.set(i);
            }
        }
        return out;
    }

    private BitSet reachableAbove(int start) {
        BitSet seen = new BitSet(poset.size());
        List<Integer> stack = new ArrayList<>(List.of(start));
        while (!stack.isEmpty()) {
            int x = stack.removeLast();
            for (int[] e : edges) {
                if (e[1] == x && !seen.get(e[0])) {
                    seen.set(e[0]);
                    stack.add(e[0]);
                }
            }
        }
        return seen;
    }
}
