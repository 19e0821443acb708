package flexos.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.core.hardening.HardeningOption;
import flexos.core.mechanism.Mechanisms;
import flexos.core.metadata.SourceLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigParserTest {

    private static final Path SOURCE = Path.of("conf/redis-fcall.yaml");
    private static final String ONE_COMPARTMENT = """
            compartments:
              - name: main
                mechanism: fcall
            """;
    private static final String TWO_COMPARTMENTS = """
            compartments:
              - name: main
                mechanism: fcall
                default: true
              - name: isolated
                mechanism: fcall
            """;

    private static ImageConfig parse(String yaml) throws ConfigException {
        return ConfigParser.parse(yaml, SOURCE, TestVocabulary.FIXTURES);
    }

    private static ConfigException rejected(String yaml) {
        return rejected(yaml, TestVocabulary.FIXTURES);
    }

    private static ConfigException rejected(String yaml, ConfigVocabulary vocabulary) {
        return assertThrows(ConfigException.class, () -> ConfigParser.parse(yaml, SOURCE, vocabulary));
    }

    private static void assertAt(ConfigException e, int line, int column) {
        assertEquals(new SourceLocation(SOURCE, line, column), e.where(), e.getMessage());
    }

    @Test
    void aMinimalConfigurationTakesEveryDefault() throws Exception {
        ImageConfig config = parse(ONE_COMPARTMENT);
        assertEquals("redis-fcall", config.name(), "the image is named after the file");
        assertEquals("redis", config.application(), "the only application of the catalog");
        assertEquals(16L << 20, config.sharedHeapBytes());
        CompartmentSpec main = config.compartments().getFirst();
        assertEquals(new CompartmentSpec("main", Mechanisms.builtIn().named("fcall"), true, 256L << 20,
                new SourceLocation(SOURCE, 2, 5)), main);
        assertTrue(config.libraries().isEmpty());
    }

    @Test
    void unlistedLibrariesGoToTheDefaultCompartmentUnhardened() throws Exception {
        ImageConfig config = ConfigParser.parse(TWO_COMPARTMENTS + """
                libraries:
                  net:
                    compartment: isolated
                    harden: [cfi]
                  sched:
                    harden: [cfi]
                """, SOURCE, TestVocabulary.FIXTURES);
        assertEquals(new LibraryPlacement("net", "isolated", List.of(HardeningOption.CFI), new SourceLocation(SOURCE, 8, 3)),
                config.placementOf("net"));
        assertEquals("main", config.placementOf("sched").compartment(), "no compartment given: the default one");
        assertEquals(List.of(HardeningOption.CFI), config.placementOf("sched").harden());
        LibraryPlacement alloc = config.placementOf("alloc");
        assertEquals("main", alloc.compartment());
        assertEquals(List.of(), alloc.harden());
        assertNull(alloc.where(), "an implicit placement has no location");
    }

    @Test
    void theDefaultCompartmentNeedNotBeTheFirst() throws Exception {
        ImageConfig config = parse("""
                compartments:
                  - name: app
                    mechanism: fcall
                  - name: os
                    mechanism: fcall
                    default: true
                """);
        assertEquals("os", config.defaultCompartment().name());
        assertFalse(config.compartment("app").orElseThrow().isDefault());
        assertEquals("os", config.placementOf("libc").compartment());
    }

    @Test
    void sizesAcceptPlainBytesAndBinaryUnits() throws Exception {
        ImageConfig config = parse("""
                shared_heap: 1GiB
                compartments:
                  - {name: a, mechanism: fcall, default: true, heap: 65536}
                  - {name: b, mechanism: fcall, heap: 64KiB}
                  - {name: c, mechanism: fcall, heap: 3 MiB}
                  - {name: d, mechanism: fcall, heap: "131072B"}
                """);
        assertEquals(1L << 30, config.sharedHeapBytes());
        assertEquals(List.of(65536L, 65536L, 3L << 20, 131072L),
                config.compartments().stream().map(CompartmentSpec::heapBytes).toList());
    }

    @Test
    void theGoodFixturesParse() throws Exception {
        Path good = Path.of(getClass().getResource("/config/good").toURI());
        ImageConfig split = ConfigParser.parse(good.resolve("redis-fcall.yaml"), TestVocabulary.FIXTURES);
        assertEquals("redis-split", split.name());
        assertEquals(32L << 20, split.sharedHeapBytes());
        assertEquals(List.of("main", "isolated"), split.compartments().stream().map(CompartmentSpec::name).toList());
        assertEquals("isolated", split.placementOf("net").compartment());
        assertEquals(65536, split.compartment("isolated").orElseThrow().heapBytes());

        ImageConfig minimal = ConfigParser.parse(good.resolve("minimal.yaml"), TestVocabulary.FIXTURES);
        assertEquals("minimal", minimal.name());

        ImageConfig flow = ConfigParser.parse(good.resolve("flow-style.yaml"), TestVocabulary.FIXTURES);
        assertEquals("os", flow.defaultCompartment().name());
        assertEquals("app", flow.placementOf("redis").compartment());
        assertEquals("os", flow.placementOf("net").compartment());
    }

    @Test
    void emptyLibrariesAndHardenMeanNone() throws Exception {
        ImageConfig config = parse(ONE_COMPARTMENT + """
                libraries:
                """);
        assertTrue(config.libraries().isEmpty());
        ImageConfig unhardened = parse(ONE_COMPARTMENT + """
                libraries:
                  net:
                    harden:
                """);
        assertEquals(List.of(), unhardened.placementOf("net").harden());
    }

    @Test
    void aMissingFileIsAConfigErrorAtItsFirstLine(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigParser.parse(missing, TestVocabulary.FIXTURES));
        assertEquals(new SourceLocation(missing, 1, 1), e.where());
        assertTrue(e.fix().startsWith("check the path"), e.fix());
        assertEquals(missing + ":1:1: error: cannot read the configuration: no such file\n  fix: check the path",
                e.getMessage());
    }

    @Test
    void aDirectoryOrNonUtf8FileIsAConfigError(@TempDir Path dir) throws Exception {
        ConfigException directory = assertThrows(ConfigException.class,
                () -> ConfigParser.parse(dir, TestVocabulary.FIXTURES));
        assertTrue(directory.problem().contains("directory"), directory.problem());

        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, new byte[] {'i', 'm', 'a', 'g', 'e', ':', ' ', (byte) 0xE9, '\n'});
        ConfigException binary = assertThrows(ConfigException.class,
                () -> ConfigParser.parse(latin1, TestVocabulary.FIXTURES));
        assertTrue(binary.problem().contains("UTF-8"), binary.problem());
    }

    @Test
    void aYamlSyntaxErrorQuotesTheYamlProblemAtItsPosition() {
        ConfigException e = rejected("compartments:\n  - name: \"main\n");
        assertEquals("YAML syntax error: found unexpected end of stream", e.problem());
        assertEquals(3, e.where().line(), "the end of the stream, where the quote was still open");
        assertTrue(e.fix().contains("while scanning a quoted scalar started at line 2"), e.fix());
    }

    @Test
    void anUnknownTopLevelKeySuggestsTheClosest() {
        ConfigException e = rejected("image: x\ncompartmens: []\n");
        assertAt(e, 2, 1);
        assertEquals("unknown top-level key 'compartmens'", e.problem());
        assertTrue(e.fix().startsWith("did you mean 'compartments'?"), e.fix());
        assertTrue(e.fix().contains("image, application, shared_heap, compartments, libraries"), e.fix());
    }

    @Test
    void anUnknownMechanismListsTheMechanismsAndSuggestsTheClosest() {
        ConfigException e = rejected(ONE_COMPARTMENT.replace("fcall", "fcal"));
        assertAt(e, 3, 16);
        assertEquals("unknown mechanism 'fcal'", e.problem());
        assertEquals("did you mean 'fcall'? Use one of the mechanisms: fcall, module, mpk, process", e.fix());

        ConfigException far = rejected(ONE_COMPARTMENT.replace("fcall", "sandbox"));
        assertEquals("use one of the mechanisms: fcall, module, mpk, process", far.fix(), "nothing close: no suggestion");

        ConfigException close = rejected(ONE_COMPARTMENT.replace("fcall", "proces"));
        assertEquals("did you mean 'process'? Use one of the mechanisms: fcall, module, mpk, process", close.fix());
    }

    @Test
    void theMechanismIsResolvedOnceIntoTheSpec() throws Exception {
        CompartmentSpec spec = parse(ONE_COMPARTMENT.replace("fcall", "module")).compartments().getFirst();
        assertEquals(Mechanisms.builtIn().named("module"), spec.mechanism());
    }

    @Test
    void aDuplicateCompartmentNamePointsAtTheSecondAndNamesTheLineOfTheFirst() {
        ConfigException e = rejected(TWO_COMPARTMENTS.replace("isolated", "main"));
        assertAt(e, 5, 11);
        assertEquals("duplicate compartment name 'main' (first defined at line 2)", e.problem());
    }

    @Test
    void severalCompartmentsNeedExactlyOneDefault() {
        ConfigException none = rejected(TWO_COMPARTMENTS.replace("    default: true\n", ""));
        assertAt(none, 1, 1);
        assertTrue(none.fix().contains("(one of: main, isolated)"), none.fix());

        ConfigException two = rejected(TWO_COMPARTMENTS + "    default: true\n");
        assertAt(two, 7, 14);
        assertEquals("more than one default compartment: 'main' (line 4) and 'isolated'", two.problem());
    }

    @Test
    void defaultMustBeABoolean() {
        ConfigException e = rejected(ONE_COMPARTMENT + "    default: \"true\"\n");
        assertAt(e, 4, 14);
        assertEquals("'default' must be true or false, not the text 'true'", e.problem());
    }

    @Test
    void wrongScalarTypesAreNamed() {
        assertEquals("'name' must be a single name, not a list",
                rejected(ONE_COMPARTMENT.replace("name: main", "name: [a]")).problem());
        assertEquals("'mechanism' must be a single name, not a mapping",
                rejected(ONE_COMPARTMENT.replace("fcall", "{a: b}")).problem());
        assertEquals("'name' must be a single name, not the boolean true",
                rejected(ONE_COMPARTMENT.replace("name: main", "name: true")).problem());
        ConfigException heap = rejected(ONE_COMPARTMENT + "    heap: true\n");
        assertAt(heap, 4, 11);
        assertEquals("'heap' must be a size such as 256MiB, not the boolean true", heap.problem());
        ConfigException empty = rejected(ONE_COMPARTMENT + "    heap:\n");
        assertAt(empty, 4, 5);
        assertEquals("'heap' has no value", empty.problem());
    }

    @Test
    void badSizesSayWhatToWrite() {
        ConfigException decimal = rejected(ONE_COMPARTMENT + "    heap: 16MB\n");
        assertEquals("invalid heap size '16MB'", decimal.problem());
        assertTrue(decimal.fix().startsWith("write 16MiB"), decimal.fix());
        ConfigException small = rejected("shared_heap: 4096\n" + ONE_COMPARTMENT);
        assertAt(small, 1, 14);
        assertEquals("shared_heap size 4KiB is below the minimum of 64KiB", small.problem());
        ConfigException negative = rejected("shared_heap: -1\n" + ONE_COMPARTMENT);
        assertEquals("invalid shared_heap size '-1'", negative.problem());
    }

    @Test
    void aLibraryInAMissingCompartmentListsTheDefinedOnes() {
        ConfigException e = rejected(TWO_COMPARTMENTS + "libraries:\n  net: {compartment: sandbox}\n");
        assertAt(e, 8, 22);
        assertEquals("library 'net' is placed in missing compartment 'sandbox'", e.problem());
        assertEquals("use one of the defined compartments: main, isolated, or add a compartment named 'sandbox'",
                e.fix());
    }

    @Test
    void anUnknownLibraryListsTheKnownOnes() {
        ConfigException e = rejected(ONE_COMPARTMENT + "libraries:\n  scheduler: {}\n");
        assertAt(e, 5, 3);
        assertEquals("unknown library 'scheduler'", e.problem());
        assertEquals("did you mean 'sched'? Use one of the known libraries: alloc, libc, net, redis, sched", e.fix());
    }

    @Test
    void hardeningOptionsAreCheckedOneByOne() throws Exception {
        String net = ONE_COMPARTMENT + "libraries:\n  net:\n    harden: [%s]\n";
        ConfigException unknown = rejected(net.formatted("cfi, cif"), TestVocabulary.FIXTURES);
        assertAt(unknown, 6, 19);
        assertEquals("unknown hardening option 'cif'", unknown.problem());
        assertEquals("did you mean 'cfi'? Use one of the options: asan, cfi, contracts", unknown.fix());

        assertEquals(List.of(HardeningOption.CFI, HardeningOption.ASAN),
                ConfigParser.parse(net.formatted("cfi, asan"), SOURCE, TestVocabulary.FIXTURES).placementOf("net")
                        .harden(), "resolved once, in the order written");

        ConfigException twice = rejected(net.formatted("cfi, cfi"), TestVocabulary.FIXTURES);
        assertAt(twice, 6, 19);
        assertEquals("hardening 'cfi' is listed twice for library 'net' (first at line 6)", twice.problem());

        ConfigException notAList = rejected(net.replace("[%s]", "cfi"), TestVocabulary.FIXTURES);
        assertEquals("'harden' must be a list, not the text 'cfi'", notAList.problem());
        assertEquals("write a list, for example: harden: [cfi]", notAList.fix());
    }

    @Test
    void theApplicationMustBeOneOfTheCatalogsApplications() throws Exception {
        ConfigVocabulary two = new ConfigVocabulary(Set.of("redis", "nginx", "net"), Set.of("redis", "nginx"),
                Mechanisms.builtIn());
        ConfigException missing = rejected(ONE_COMPARTMENT, two);
        assertAt(missing, 1, 1);
        assertEquals("missing 'application': the library catalog has several applications", missing.problem());
        assertEquals("add 'application: <name>' with one of: nginx, redis", missing.fix());

        assertEquals("nginx", ConfigParser.parse("application: nginx\n" + ONE_COMPARTMENT, SOURCE, two).application());

        ConfigException unknown = rejected("application: ngnix\n" + ONE_COMPARTMENT, two);
        assertAt(unknown, 1, 14);
        assertEquals("unknown application 'ngnix'", unknown.problem());
        assertEquals("did you mean 'nginx'? Use one of the applications: nginx, redis", unknown.fix());

        ConfigException library = rejected("application: net\n" + ONE_COMPARTMENT, two);
        assertEquals("library 'net' is not an application", library.problem());
    }

    @Test
    void keysAreCheckedInsideEntriesToo() {
        ConfigException compartment = rejected(ONE_COMPARTMENT + "    heap_size: 1MiB\n");
        assertAt(compartment, 4, 5);
        assertEquals("did you mean 'heap'? Use one of the compartment keys: name, mechanism, default, heap, sharing, call_timeout, restart, wait, sandbox, cpu",
                compartment.fix());
        ConfigException library = rejected(ONE_COMPARTMENT + "libraries:\n  net: {compartmnet: main}\n");
        assertAt(library, 5, 9);
        assertEquals("unknown key 'compartmnet' for library 'net'", library.problem());
        assertTrue(library.fix().startsWith("did you mean 'compartment'?"), library.fix());
    }

    @Test
    void theMessageReadsAsFileLineColumnErrorThenFix() {
        ConfigException e = rejected(ONE_COMPARTMENT.replace("fcall", "fcal"));
        assertEquals(SOURCE + ":3:16: error: unknown mechanism 'fcal'\n"
                + "  fix: did you mean 'fcall'? Use one of the mechanisms: fcall, module, mpk, process", e.getMessage());
    }

    @Test
    void anExplicitImageNameWinsOverTheFileName() throws Exception {
        assertEquals("redis-split", parse("image: redis-split\n" + ONE_COMPARTMENT).name());
        assertEquals("invalid image name 'my image'", rejected("image: my image\n" + ONE_COMPARTMENT).problem());
    }
}
