package flexos.explore.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.explore.Exploration;
import flexos.explore.budget.Budget;
import flexos.explore.order.Poset;
import flexos.explore.order.SafetyOrder;
import flexos.explore.search.BudgetedSearch;
import flexos.explore.search.CsvMeasurements;
import flexos.explore.search.Measurement;
import flexos.explore.search.MeasurementOracle;
import flexos.explore.search.SearchObserver;
import flexos.explore.space.Configuration;
import flexos.explore.space.Notation;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

    @TempDir
    Path dir;

    static final Notation paper = flexos.explore.TestNotations.paper();

    static String paperReport() throws Exception {
        CsvMeasurements data = CsvMeasurements.read(
                Path.of(HtmlReportTest.class.getResource("/flexos-asplos22-redis-get.csv").toURI()),
                flexos.explore.search.CsvLayout.byName());
        Poset space = new Poset(data.configurations(), SafetyOrder.standard());
        MeasurementOracle lookup = data.oracle(0.95);
        // The first configuration measured fails, as a real image may: the report must mark it.
        MeasurementOracle oracle = new MeasurementOracle() {
            Configuration broken;

            @Override
            public Measurement measure(Configuration c) {
                if (broken == null) {
                    broken = c;
                }
                return c.equals(broken) ? Measurement.failed(c, "crashed under load", command(),
                        java.time.Instant.now(), Duration.ZERO) : lookup.measure(c);
            }

            @Override
            public String command() {
                return lookup.command();
            }
        };
        Exploration.Outcome outcome = new Exploration(space, Budget.parse("get>=500k"), Optional.empty(),
                new BudgetedSearch()).run(oracle, SearchObserver.NONE, true);
        return new HtmlReport("paper data", space, outcome, paper::format, "get",
                List.of("flexos explore --from-csv paper.csv --budget get>=500k", lookup.command()), true).render();
    }

    @Test
    void theReportHoldsTheDiagramTheChartTheTableAndThePapersView() throws Exception {
        String html = paperReport();
        assertFalse(html.contains("<script src") || html.contains("<link") || html.contains("http://www.w3.org/1999"),
                "the page must be self-contained");
        String hasse = html.substring(html.indexOf("<svg id=\"hasse\""), html.indexOf("</svg>",
                html.indexOf("<svg id=\"hasse\"")));
        assertEquals(80, count(hasse, "<g class=\"node"));
        assertEquals(2, count(hasse, "\u2605 "));
        assertTrue(hasse.contains("\u2605 R1H N1 S1H L2H") && hasse.contains("\u2605 R1 N1 S2H L3H"));
        assertEquals(1, count(hasse, "class=\"node failed\""));
        assertTrue(html.contains("<svg id=\"chart\""));
        assertEquals(80, count(html.substring(html.indexOf("<table id=\"configurations\"")), "<tr><td"));
        assertTrue(html.contains("same answer as exhaustive measurement"));
        String paperView = html.substring(html.indexOf("<svg id=\"paper\""));
        assertEquals(5, count(paperView.substring(0, paperView.indexOf("</svg>")), "\u2605 "));
        assertTrue(html.contains("refined by"));
        assertTrue(html.contains("flexos explore --from-csv paper.csv --budget get&gt;=500k"));
    }

    private static int count(String text, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
