package flexos.explore.report;

import flexos.explore.order.HasseDiagram;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where to draw each node of a Hasse diagram: one row per rank, the safest at the top, and each row ordered by the
 * mean horizontal position of its nodes' lower neighbours (the barycentre heuristic of Sugiyama, Tagawa and Toda,
 * "Methods for visual understanding of hierarchical system structures", IEEE SMC 11(2), 1981, one downward pass),
 * which keeps most edges short. O(nodes · edges) time.
 *
 * @param x        each class's horizontal centre
 * @param y        each class's vertical centre
 * @param width    the drawing's width
 * @param height   the drawing's height
 */
public record HasseLayout(double[] x, double[] y, double width, double height) {

    /**
     * Lays out {@code hasse}, whose drawn edges are {@code edges} ({upper, lower} class indexes), with nodes
     * {@code nodeWidth} wide, {@code gap} apart and rows {@code rowHeight} apart.
     */
    public static HasseLayout of(HasseDiagram hasse, List<int[]> edges, double nodeWidth, double gap,
                                 double rowHeight) {
        int k = hasse.classes().size();
        int height = hasse.height();
        List<List<Integer>> rows = new ArrayList<>();
        for (int r = 0; r <= height; r++) {
            rows.add(new ArrayList<>());
        }
        for (int c = 0; c < k; c++) {
            rows.get(hasse.ranks().get(c)).add(c);
        }
        int widest = rows.stream().mapToInt(List::size).max().orElse(1);
        double width = widest * (nodeWidth + gap) + 40;
        double[] x = new double[k];
        double[] y = new double[k];
        for (int r = 0; r <= height; r++) {
            List<Integer> row = rows.get(r);
            if (r > 0) {
                Map<Integer, Double> key = new HashMap<>();
                for (int c : row) {
                    double sum = 0;
                    int n = 0;
                    for (int[] e : edges) {
                        if (e[0] == c) {
                            sum += x[e[1]];
                            n++;
                        }
                    }
                    key.put(c, n == 0 ? width / 2 : sum / n);
                }
                row.sort(Comparator.comparingDouble(key::get));
            }
            double step = width / (row.size() + 1);
            for (int i = 0; i < row.size(); i++) {
                x[row.get(i)] = step * (i + 1);
                y[row.get(i)] = 30 + (height - r) * rowHeight;
            }
        }
        double drawnWidth = 40;
        for (double cx : x) {
            drawnWidth = Math.max(drawnWidth, cx + nodeWidth / 2 + 20);
        }
        return new HasseLayout(x, y, drawnWidth, 60 + height * rowHeight);
    }
}
