package flexos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AnalyzeCommandTest {

    private record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new AnalyzeCommand());
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
}
