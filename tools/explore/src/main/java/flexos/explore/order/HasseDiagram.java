package flexos.explore.order;

import flexos.explore.space.Configuration;
import java.util.List;

/**
 * The cover relation of a set of configurations under the safety order.
 *
 * @param classes the nodes: each a class of equally safe configurations
 * @param covers  the edges, {@code upper} covering {@code lower}, as indexes into {@code classes}
 * @param ranks   each class's safety rank: the longest chain of covers below it (0 for the least safe)
 */
public record HasseDiagram(List<List<Configuration>> classes, List<Cover> covers, List<Integer> ranks) {

    public HasseDiagram {
        classes = classes.stream().map(List::copyOf).toList();
        covers = List.copyOf(covers);
        ranks = List.copyOf(ranks);
    }

    /** {@code upper} covers {@code lower}: it is strictly safer and nothing lies strictly between. */
    public record Cover(int upper, int lower) {
    }

    /** The class holding {@code configuration}, or -1. */
    public int classOf(Configuration configuration) {
        for (int c = 0; c < classes.size(); c++) {
            if (classes.get(c).contains(configuration)) {
                return c;
            }
        }
        return -1;
    }

    /** The highest rank. */
    public int height() {
        return ranks.stream().mapToInt(Integer::intValue).max().orElse(0);
    }
}
