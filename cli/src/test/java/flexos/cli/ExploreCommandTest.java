package flexos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code flexos explore} on the paper's data, and its answers to bad input. */
class ExploreCommandTest {

    @TempDir
    Path dir;

    record Run(int status, String out, String err) {
    }

    /** The paper's 80 Redis configurations (a copy of the project's reference data, SPEC §7). */
    static Path paperCsv() {
        try {
            return Path.of(ExploreCommandTest.class.getResource("/explore/flexos-asplos22-redis-get.csv").toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new ExploreCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int status = cl.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void fromCsvFinds28FeasibleAndTheTwoMaximal() {
        Run r = run("--from-csv", paperCsv().toString(), "--budget", "get>=500000", "--search", "exhaustive",
                "--quiet");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("feasible (measured, meeting the budget): 28"), r.out());
        assertTrue(r.out().contains("answer (2 maximal)"), r.out());
        assertTrue(r.out().contains("R1H N1 S1H L2H  get=510600/s"), r.out());
        assertTrue(r.out().contains("R1 N1 S2H L3H  get=520200/s"), r.out());
    }

    @Test
    void budgetedSearchWithVerifyReportsTheSameAnswerAndAJsonSummary() throws Exception {
        Path db = dir.resolve("r.db");
        Path report = dir.resolve("report.html");
        Run r = run("--from-csv", paperCsv().toString(), "--budget", "get>=500k", "--verify", "--json",
                "--db", db.toString(), "--report", report.toString(), "--paper-edges");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("\"same\":true"), r.out());
        assertTrue(r.out().contains("\"feasible\":28") || r.out().contains("\"answer\":[{"), r.out());
        assertTrue(r.out().contains("\"config\":\"R1H N1 S1H L2H\""), r.out());
        String html = Files.readString(report);
        assertTrue(html.contains("<svg id=\"hasse\""));
        assertTrue(Files.size(db) > 0);
    }

    @Test
    void theFullSpaceIsThePapersShapeAndEveryConfigurationBuilds() {
        Run r = run("redis", "--full", "--list", "--budget", "get>=0.5x", "--work-dir", dir.toString());
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("80 configurations, each builds", lines.getLast());
        assertEquals(80, lines.size() - 1);
        assertEquals(80, new HashSet<>(lines.subList(0, 80)).size());
        // The unisolated baseline, the safest point, and a mixed one: H is asan, except on sched (contracts).
        assertTrue(lines.contains("R1 N1 S1 L1"), r.out());
        assertTrue(lines.contains("R1H N1H S2H L3H"), r.out());
        assertTrue(lines.contains("R1 N1H S1H L2"), r.out());
    }

    @Test
    void theQuickSpaceHardensRedisAndNetOnly() {
        Run r = run("redis", "--list", "--budget", "get>=0.5x", "--work-dir", dir.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().endsWith("20 configurations, each builds" + System.lineSeparator()), r.out());
        assertTrue(r.out().contains("R1H N1 S2 L3H"), r.out());
    }

    @Test
    void aSpaceWithAnOptionALibraryCannotTakeIsRefusedBeforeMeasuring() {
        Run r = run("redis", "--list", "--hardening", "sched=asan", "--layout", "redis libc sched net",
                "--budget", "get>=0.5x", "--work-dir", dir.toString());
        assertEquals(2, r.status(), r.out());
        assertTrue(r.err().contains("1 of 2 configurations do not build"), r.err());
        assertTrue(r.err().contains("R1 N1 S1H L1: "), r.err());
        assertTrue(r.err().contains("library sched cannot take asan"), r.err());
    }

    @Test
    void theReportsCommandLineIsTheOneTheUserTyped() throws Exception {
        Path report = dir.resolve("r.html");
        StringWriter out = new StringWriter();
        CommandLine cl = Flexos.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        assertEquals(0, cl.execute("explore", "--from-csv", paperCsv().toString(), "--budget", "get>=500k",
                "--quiet", "--report", report.toString()));
        String html = Files.readString(report);
        assertTrue(html.contains("flexos explore --from-csv "), html);
        assertTrue(!html.contains("flexos explore explore"), html);
    }

    @Test
    void theApplicationsProfileDecidesTheSpaceAndAnUnknownSpaceIsRefused() {
        Run r = run("redis", "--list", "--space", "fastest", "--budget", "get>=0.5x", "--work-dir", dir.toString());
        assertEquals(2, r.status(), r.out());
        assertTrue(r.err().contains("has no space 'fastest'; it has [quick, full]"), r.err());
    }

    @Test
    void thePapersNginxDataLoadsAsItIsWithItsRepeatedRowsAsSamples() throws Exception {
        Path nginx = Path.of(ExploreCommandTest.class.getResource("/explore/flexos-asplos22-nginx.csv").toURI());
        Run r = run("--from-csv", nginx.toString(), "--csv-metric", "req=req_s_median:req/s", "--budget",
                "req>=50k", "--search", "exhaustive", "--quiet", "--json");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("\"space\":80"), r.out());
        assertTrue(r.out().contains("\"answer\":[{\"config\":"), r.out());
        assertTrue(r.out().contains("\"confidence\":"), r.out());
    }

    @Test
    void equallySafeConfigurationsAreOnePointOfTheAnswer() {
        // Under fcall no layout separates anything, so the layouts of one hardening set are equally safe.
        Run r = run("--from-csv", paperCsv().toString(), "--csv-mechanism", "fcall", "--budget", "get>=500k",
                "--search", "exhaustive", "--quiet");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("answer (1 maximal point, 2 configurations)"), r.out());
        assertTrue(r.out().contains("(as safe: "), r.out());
    }

    @Test
    void aBadBudgetExitsWith2AndSaysWhatIsAccepted() {
        Run r = run("--from-csv", paperCsv().toString(), "--budget", "get=>fast");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("cannot read budget 'get=>fast'"), r.err());
        assertTrue(r.err().contains("get>=500000"), r.err());
    }

    @Test
    void anUnreadableCsvExitsWith2() {
        Run r = run("--from-csv", dir.resolve("missing.csv").toString(), "--budget", "get>=500k");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("cannot read CSV file"), r.err());
    }

    @Test
    void aCsvWithoutUnitsExitsWith2AndNamesTheFix() throws Exception {
        Path csv = dir.resolve("plain.csv");
        Files.writeString(csv, "config,redis,newlib,uksched,lwip,get\nR1 N1 S1 L1,1,1,1,1,1209.7\n");
        Run r = run("--from-csv", csv.toString(), "--budget", "get>=500k");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--csv-metric"), r.err());
        Run fixed = run("--from-csv", csv.toString(), "--csv-metric", "get:kreq/s", "--budget", "get>=500k", "--quiet");
        assertEquals(0, fixed.status(), fixed.err());
        assertTrue(fixed.out().contains("R1 N1 S1 L1  get=1209700/s"), fixed.out());
    }

    @Test
    void aBudgetOnAMetricTheCsvLacksExitsWith2() {
        Run r = run("--from-csv", paperCsv().toString(), "--budget", "set>=100k");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("reports only [get]"), r.err());
    }
}
