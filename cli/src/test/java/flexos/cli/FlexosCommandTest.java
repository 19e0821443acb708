package flexos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line as a user meets it: help, configuration mistakes, and building an image. */
class FlexosCommandTest {

    /** The malformed configurations of the parser's own tests, each with the first line of its expected message. */
    private static final Path BAD_CONFIGS = Path.of("..", "core", "src", "test", "resources", "config", "bad");
    private static final Path EXAMPLES = Path.of("..", "examples");
    /**
     * Fixtures that are mistakes only under the parser tests' own vocabulary: this build implements every hardening
     * option it knows, so "a known option that is not implemented yet" cannot happen on its command line.
     */
    private static final Set<String> TEST_VOCABULARY_ONLY = Set.of("planned-hardening.yaml");

    @Test
    void topLevelHelpNamesEverySubcommand() {
        CommandLineHarness help = CommandLineHarness.run("--help");
        assertEquals(0, help.exitCode());
        for (String subcommand : List.of("build", "run", "libraries", "help")) {
            assertTrue(help.out().contains("  " + subcommand + " "), subcommand + " missing from:\n" + help.out());
        }
        assertTrue(help.out().contains("isolation is chosen when an image is built"), help.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"build", "run", "libraries"})
    void everySubcommandExplainsItself(String subcommand) {
        CommandLineHarness help = CommandLineHarness.run(subcommand, "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().startsWith("Usage: flexos " + subcommand), help.out());
        assertTrue(help.out().lines().count() > 3, "help too short:\n" + help.out());
    }

    @Test
    void anUnknownSubcommandIsAUsageError() {
        CommandLineHarness result = CommandLineHarness.run("bulid");
        assertEquals(ExitCodes.BAD_INPUT, result.exitCode());
        assertTrue(result.err().contains("Unmatched argument"), result.err());
    }

    @TestFactory
    Stream<DynamicTest> everyMalformedConfigurationGetsItsMessageAndExitStatus2() throws IOException {
        List<Path> cases;
        try (Stream<Path> files = Files.list(BAD_CONFIGS)) {
            cases = files.filter(f -> f.toString().endsWith(".yaml"))
                    .filter(f -> !TEST_VOCABULARY_ONLY.contains(f.getFileName().toString())).sorted().toList();
        }
        assertTrue(cases.size() >= 20, "expected the parser's malformed configurations in " + BAD_CONFIGS);
        return cases.stream().map(config -> DynamicTest.dynamicTest(config.getFileName().toString(), () -> {
            Path expectedFile = Path.of(config.toString().replaceFirst("\\.yaml$", ".expected"));
            String expected = Files.readString(expectedFile).strip().replace("FILE", config.toString());
            for (String subcommand : List.of("build", "run")) {
                CommandLineHarness result = CommandLineHarness.run(subcommand, config.toString(), "-o",
                        Files.createTempDirectory("flexos-build").toString());
                assertEquals(ExitCodes.BAD_INPUT, result.exitCode(), subcommand + ": " + result.err());
                assertEquals(expected, result.err().lines().findFirst().orElse(""), subcommand);
                assertTrue(result.err().contains("\n  fix: "), "a fix is suggested: " + result.err());
            }
        }));
    }

    @Test
    void aMissingConfigurationFileIsBadInput(@TempDir Path dir) {
        CommandLineHarness result = CommandLineHarness.run("build", dir.resolve("nope.yaml").toString());
        assertEquals(ExitCodes.BAD_INPUT, result.exitCode());
        assertTrue(result.err().contains("nope.yaml:1:1: error:"), result.err());
    }

    @Test
    void buildWritesThePlanOfTheExampleImages(@TempDir Path dir) throws IOException {
        CommandLineHarness result = CommandLineHarness.run("build", EXAMPLES.resolve("redis-fcall-netsplit.yaml").toString(),
                "-o", dir.toString());
        assertEquals(0, result.exitCode(), result.err());
        Path plan = dir.resolve("redis-fcall-netsplit").resolve("image.plan");
        String written = Files.readString(plan);
        assertTrue(written.startsWith("# configuration sha256 "), written);
        assertTrue(written.contains("gate redis@main -> net@network (Sockets) via fcall"), written);
        assertTrue(result.out().contains("built " + plan), result.out());
    }

    @Test
    void librariesListsTheRedisImagesLibraries() {
        CommandLineHarness result = CommandLineHarness.run("libraries");
        assertEquals(0, result.exitCode(), result.err());
        for (String library : List.of("alloc", "libc", "sched", "net", "redis")) {
            assertTrue(result.out().contains(library + " "), library + " missing:\n" + result.out());
        }
        assertTrue(result.out().contains("(one instance per compartment)"), result.out());
    }
}
