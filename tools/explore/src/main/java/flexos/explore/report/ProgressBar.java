package flexos.explore.report;

import flexos.explore.search.Measurement;
import flexos.explore.search.SearchObserver;
import java.io.PrintStream;
import java.time.Duration;

/**
 * A one-line progress bar with an ETA for long explorations, redrawn in place on a terminal stream (stderr):
 * {@code [#########...........] 12 measured, <=40 to go, ETA 3m12s}. The ETA assumes every undecided
 * configuration will be measured, so for the budgeted search it is an upper bound.
 */
public final class ProgressBar implements SearchObserver {

    private static final int WIDTH = 30;
    private final PrintStream out;
    private final long start = System.nanoTime();
    private int failed;

    public ProgressBar(PrintStream out) {
        this.out = out;
    }

    @Override
    public void measured(Measurement measurement, int measured, int remaining) {
        if (!measurement.ok()) {
            failed++;
        }
        out.print("\r" + line(measured, remaining, Duration.ofNanos(System.nanoTime() - start), failed));
        if (remaining == 0) {
            out.println();
        }
        out.flush();
    }

    /** The bar for {@code measured} done and {@code remaining} to go after {@code elapsed}. */
    static String line(int measured, int remaining, Duration elapsed, int failed) {
        int total = measured + remaining;
        int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * measured / total);
        Duration eta = measured == 0 ? Duration.ZERO : elapsed.dividedBy(measured).multipliedBy(remaining);
        return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + measured + " measured"
                + (failed > 0 ? " (" + failed + " failed)" : "") + ", <=" + remaining + " to go, ETA "
                + format(eta) + "   ";
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? s / 3600 + "h" + s % 3600 / 60 + "m" : s >= 60 ? s / 60 + "m" + s % 60 + "s" : s + "s";
    }
}
