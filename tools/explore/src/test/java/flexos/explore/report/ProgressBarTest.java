package flexos.explore.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.explore.search.Measurement;
import flexos.explore.space.Configuration;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    final Configuration c = flexos.explore.TestNotations.paper().parse("R1 N1 S1 L1");

    @Test
    void theProgressBarShowsCountsAndAnEta() {
        assertEquals("[###############...............] 10 measured, <=10 to go, ETA 20s   ",
                ProgressBar.line(10, 10, Duration.ofSeconds(20), 0));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true), true, Duration.ofSeconds(30), System::nanoTime);
        bar.measured(Measurement.failed(c, "x", "y", java.time.Instant.now(), Duration.ZERO), 1, 0);
        assertTrue(bytes.toString().contains("1 measured (1 failed), <=0 to go"), bytes.toString());
    }

    @Test
    void offATerminalItPrintsALineNowAndThenInsteadOfRedrawing() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true), false, Duration.ofSeconds(30), now::get);
        Measurement ok = Measurement.ok(c, java.util.Map.of("get", 1.0), "x", java.time.Instant.now(), Duration.ZERO);
        for (int i = 1; i <= 100; i++) {
            now.addAndGet(Duration.ofSeconds(1).toNanos());
            bar.measured(ok, i, 100 - i);
        }
        String text = bytes.toString();
        assertTrue(!text.contains("\r"), "no carriage returns off a terminal");
        // The first, then one every 30 s of the 100 s, and the last.
        assertEquals(5, text.lines().count(), text);
        assertTrue(text.lines().toList().getLast().startsWith("[##############################] 100 measured"), text);
    }
}
