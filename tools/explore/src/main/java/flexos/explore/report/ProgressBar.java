package flexos.explore.report;

import flexos.explore.search.Measurement;
import flexos.explore.search.SearchObserver;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Progress of a long exploration, with an ETA: {@code [#########...........] 12 measured, <=40 to go, ETA 3m12s}.
 * On a terminal the bar is redrawn in place; elsewhere (a log file, CI) a carriage return does not move back, so it
 * prints a line only now and then: after the first measurement, at least {@code every} apart, and at the end. The
 * ETA assumes every undecided configuration will be measured, so for the budgeted search it is an upper bound.
 */
public final class ProgressBar implements SearchObserver {

    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean terminal;
    private final Duration every;
    private final LongSupplier nanoTime;
    private final long start;
    private long lastLine = Long.MIN_VALUE;
    private int failed;

    /**
     * @param terminal whether {@code out} is a terminal, where the bar is redrawn in place
     * @param every    off a terminal, the least time between two lines
     * @param nanoTime the clock
     */
    public ProgressBar(PrintStream out, boolean terminal, Duration every, LongSupplier nanoTime) {
        this.out = out;
        this.terminal = terminal;
        this.every = every;
        this.nanoTime = nanoTime;
        this.start = nanoTime.getAsLong();
    }

    /** On stderr: redrawn when stderr is a terminal, a line every 30 s otherwise. */
    public static ProgressBar onStderr() {
        return new ProgressBar(System.err, stderrIsTerminal(), Duration.ofSeconds(30), System::nanoTime);
    }

    /** Whether file descriptor 2 is a terminal device (Linux: {@code /proc/self/fd/2} links to a tty or pty). */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    @Override
    public void measured(Measurement measurement, int measured, int remaining) {
        if (!measurement.ok()) {
            failed++;
        }
        long now = nanoTime.getAsLong();
        String line = line(measured, remaining, Duration.ofNanos(now - start), failed);
        if (terminal) {
            out.print("\r" + line);
            if (remaining == 0) {
                out.println();
            }
        } else if (remaining == 0 || lastLine == Long.MIN_VALUE || now - lastLine >= every.toNanos()) {
            out.println(line.strip());
            lastLine = now;
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
