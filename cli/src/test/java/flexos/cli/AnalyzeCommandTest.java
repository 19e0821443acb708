package flexos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.cli.fixtures.miscalling.MiscallingLibrary;
import flexos.cli.fixtures.peeking.PeekingLibrary;
import flexos.core.image.LibraryCatalog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AnalyzeCommandTest {

    private record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) {
        return run(new AnalyzeCommand(), args);
    }

    private static Result run(AnalyzeCommand command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    private static Path examples() {
        Path here = Path.of("").toAbsolutePath();
        Path examples = here.resolveSibling("tools").resolve("analyze").resolve("examples");
        return Files.isDirectory(examples) ? examples : Path.of("tools/analyze/examples");
    }

    @Test
    void theSeedExampleNeedsTwoCompartmentsAndOneWithAsan() {
        Result result = run(examples().toString(), "--sfi");

        assertEquals(0, result.exit(), result.err());
        assertTrue(result.out().contains("Fewest compartments: 2"), result.out());
        assertTrue(result.out().contains("net writes all memory (Write(*)), but sched requires others not to write "
                + "its Own memory"), result.out());
        assertTrue(result.out().contains("1. 1 compartment, hardening net+asan"), result.out());
    }

    @Test
    void jsonGivesTheSameAnswer() {
        Result result = run(examples().toString(), "--json");

        assertEquals(0, result.exit(), result.err());
        assertTrue(result.out().startsWith("{\"libraries\":[\"alloc\",\"net\",\"sched\"]"), result.out());
    }

    @Test
    void badMetadataExitsWithTwoAndItsPlace(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.meta");
        Files.writeString(bad, "[Memory access] Read(Mine)\n[Call]\n[API] f()\n");

        Result result = run(bad.toString());

        assertEquals(2, result.exit());
        assertTrue(result.err().contains(bad + ":1:22: error: unknown scope 'Mine'; expected Own, Shared or *"),
                result.err());
    }

    @Test
    void aCallToAMissingFunctionExitsWithTwo(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.meta"), "[Memory access]\n[Call] b::nope\n[API] f()\n");
        Files.writeString(dir.resolve("b.meta"), "[Memory access]\n[Call]\n[API] g()\n");

        Result result = run(dir.toString());

        assertEquals(2, result.exit());
        assertTrue(result.err().contains("a.meta:2:8: error: [Call] names b::nope, but b's [API] has no function "
                + "'nope'; expected one of [g]"), result.err());
    }

    @Test
    void theShippedLibrariesPassStrict() {
        Result result = run("--strict");

        assertEquals(0, result.exit(), result.out() + result.err());
    }

    /** Libraries whose metadata lies: a wrong [Call] clause, and native access under Read(Own, Shared). */
    private static AnalyzeCommand onMisdeclaredLibraries() {
        LibraryCatalog shipped = LibraryCatalog.discover(AnalyzeCommandTest.class.getClassLoader());
        return new AnalyzeCommand(() -> LibraryCatalog.of(List.of(new MiscallingLibrary(), new PeekingLibrary(),
                shipped.find("alloc").orElseThrow())));
    }

    @Test
    void misdeclaredMetadataIsAWarningWithoutStrict() {
        Result result = run(onMisdeclaredLibraries());

        assertEquals(0, result.exit(), result.out() + result.err());
        assertTrue(result.out().contains("miscalling.meta:3:1: warning: miscalling calls alloc::free (in "
                + "flexos.cli.fixtures.miscalling.MiscallingLibrary$1.run) but its [Call] does not list it"),
                result.out());
        assertTrue(result.out().contains("miscalling.meta:3:23: warning: miscalling declares [Call] alloc::calloc but "
                + "its bytecode never calls it"), result.out());
        assertTrue(result.out().contains("peeking.meta:2:1: warning: peeking uses [MemorySegment.reinterpret at "
                + "flexos.cli.fixtures.peeking.PeekingLibrary$1.run], which reaches all memory, but does not declare "
                + "Read(*); Write(*)"), result.out());
        assertTrue(result.err().isEmpty(), result.err());
    }

    @Test
    void misdeclaredMetadataIsAnErrorWithExitStatusOneUnderStrict() {
        Result result = run(onMisdeclaredLibraries(), "--strict");

        assertEquals(1, result.exit(), result.out() + result.err());
        assertTrue(result.err().contains("miscalling.meta:3:1: error: miscalling calls alloc::free"), result.err());
        assertTrue(result.err().contains("miscalling.meta:3:23: error: miscalling declares [Call] alloc::calloc"),
                result.err());
        assertTrue(result.err().contains("peeking.meta:2:1: error: peeking uses [MemorySegment.reinterpret"),
                result.err());
        assertTrue(result.err().lines().noneMatch(l -> l.contains("alloc.meta")), "alloc's metadata is honest: "
                + result.err());
    }

    @Test
    void misdeclaredMetadataIsReportedInJsonToo() {
        Result result = run(onMisdeclaredLibraries(), "--strict", "--json");

        assertEquals(1, result.exit(), result.out() + result.err());
        assertTrue(result.out().contains("\"severity\":\"error\""), result.out());
        assertTrue(result.out().contains("peeking uses [MemorySegment.reinterpret"), result.out());
    }
}
