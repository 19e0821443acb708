package flexos.explore.report;

import flexos.explore.order.Poset;
import flexos.explore.space.Configuration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The answer as points: configurations that are equally safe (each at least as safe as the other, SPEC §7) are one
 * point of the design space, so the reports list them together, the first in the answer's order standing for the
 * point.
 */
final class AnswerPoints {

    private AnswerPoints() {
    }

    /** {@code answer} grouped into points, in the order each point's first member appears. */
    static List<List<Configuration>> of(Poset space, List<Configuration> answer) {
        List<List<Configuration>> points = new ArrayList<>();
        BitSet placed = new BitSet();
        for (int a = 0; a < answer.size(); a++) {
            if (placed.get(a)) {
                continue;
            }
            int i = space.indexOf(answer.get(a));
            List<Configuration> point = new ArrayList<>();
            for (int b = a; b < answer.size(); b++) {
                int j = space.indexOf(answer.get(b));
                boolean same = b == a || i >= 0 && j >= 0 && space.equivalentTo(i).get(j);
                if (!placed.get(b) && same) {
                    placed.set(b);
                    point.add(answer.get(b));
                }
            }
            points.add(point);
        }
        return points;
    }
}
