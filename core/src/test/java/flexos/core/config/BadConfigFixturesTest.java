package flexos.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every malformed configuration in {@code config/bad/} is rejected with exactly the first message line in the
 * {@code .expected} file next to it ({@code FILE} standing for the path), a location that agrees with that line, and
 * a fix.
 */
class BadConfigFixturesTest {

    private static final Pattern LOCATED = Pattern.compile("FILE:(\\d+):(\\d+): error: (.+)");

    static Path badDirectory() throws URISyntaxException {
        return Path.of(BadConfigFixturesTest.class.getResource("/config/bad").toURI());
    }

    static List<Path> badConfigs() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(badDirectory())) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @Test
    void everyFixtureHasAnExpectedMessageAndThereAreManyFixtures() throws Exception {
        List<Path> configs = badConfigs();
        assertTrue(configs.size() >= 40, "fixtures found: " + configs.size());
        for (Path config : configs) {
            assertTrue(Files.exists(expectedFileOf(config)), "missing " + expectedFileOf(config));
        }
        try (Stream<Path> files = Files.list(badDirectory())) {
            files.filter(p -> p.toString().endsWith(".expected")).forEach(expected -> assertTrue(
                    Files.exists(Path.of(expected.toString().replaceFirst("\\.expected$", ".yaml"))),
                    "no configuration for " + expected));
        }
    }

    @TestFactory
    Stream<DynamicTest> eachBadConfigurationIsRejectedWithItsExpectedMessage() throws Exception {
        return badConfigs().stream().map(config -> DynamicTest.dynamicTest(config.getFileName().toString(), () -> {
            String expected = Files.readString(expectedFileOf(config)).strip();
            ConfigException e = assertThrows(ConfigException.class,
                    () -> ConfigParser.parse(config, TestVocabulary.FIXTURES));
            List<String> lines = e.getMessage().lines().toList();
            assertEquals(expected.replace("FILE", config.toString()), lines.getFirst());

            Matcher m = LOCATED.matcher(expected);
            assertTrue(m.matches(), "malformed .expected: " + expected);
            assertEquals(config, e.where().file());
            assertEquals(Integer.parseInt(m.group(1)), e.where().line());
            assertEquals(Integer.parseInt(m.group(2)), e.where().column());
            assertEquals(m.group(3), e.problem());

            assertEquals(2, lines.size(), "a problem line and a fix line: " + e.getMessage());
            assertTrue(lines.get(1).startsWith("  fix: ") && e.fix().length() > 10, e.getMessage());
        }));
    }

    private static Path expectedFileOf(Path config) {
        return Path.of(config.toString().replaceFirst("\\.yaml$", ".expected"));
    }
}
