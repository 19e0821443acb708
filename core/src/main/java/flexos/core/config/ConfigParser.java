package flexos.core.config;

import flexos.core.metadata.SourceLocation;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads an image configuration (a YAML file modelled on FlexOS's {@code kraft.yaml}) into an {@link ImageConfig}.
 *
 * <pre>{@code
 * image: redis-fcall          # optional, default: the file's base name without extension
 * application: redis          # optional when the catalog has exactly one application
 * shared_heap: 16MiB          # optional, default 16MiB
 * compartments:               # required, at least one
 *   - name: main
 *     mechanism: fcall
 *     default: true           # exactly one default; a lone compartment is the default
 *     heap: 256MiB            # optional, default 256MiB, at least 64KiB
 *     sharing: copy           # optional, copy (default) or shared: how arguments cross gates into it
 *     call_timeout: 500ms     # optional, default none: a call running longer fails in its caller
 *     restart: never          # optional, never (default) or always: process mechanism, after the process fails
 *     wait: spin              # optional, spin (default) or block: how process gates wait for the other side
 *   - name: isolated
 *     mechanism: fcall
 * libraries:                  # optional; unlisted libraries go to the default compartment, unhardened
 *   net:
 *     compartment: isolated   # optional, default: the default compartment
 *     harden: [cfi]           # optional, default none
 * }</pre>
 *
 * <p>Sizes are described by {@link ByteSize}. Names are checked against a {@link ConfigVocabulary} so that a typo is
 * reported where it stands, with the choices and the closest one.
 *
 * <p>Every mistake is reported as one {@link ConfigException} pointing at the offending node (1-based line and
 * column), the first one found; checking goes top-level keys first, then {@code image}, {@code application},
 * {@code shared_heap}, {@code compartments} and {@code libraries}, each in the order written.
 */
public final class ConfigParser {

    /** The private heap of a compartment whose entry has no {@code heap}. */
    public static final long DEFAULT_HEAP_BYTES = 256L << 20;
    /** The shared heap of an image whose configuration has no {@code shared_heap}. */
    public static final long DEFAULT_SHARED_HEAP_BYTES = 16L << 20;
    /** The smallest heap accepted: below it, an allocator's own bookkeeping would not fit. */
    public static final long MIN_HEAP_BYTES = 64L << 10;

    private static final List<String> TOP_KEYS =
            List.of("image", "application", "shared_heap", "compartments", "libraries");
    private static final List<String> COMPARTMENT_KEYS =
            List.of("name", "mechanism", "default", "heap", "sharing", "call_timeout", "restart", "wait");
    private static final Pattern DURATION = Pattern.compile("([0-9]+)\\s*(ns|us|ms|s)");
    private static final List<String> LIBRARY_KEYS = List.of("compartment", "harden");
    // Compartment names end up in process names and file names, so they are kept to a portable alphabet.
    private static final Pattern COMPARTMENT_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");
    private static final Pattern IMAGE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final String EXAMPLE_COMPARTMENTS = "compartments: [{name: main, mechanism: fcall}]";

    private final Path source;
    private final ConfigVocabulary vocabulary;

    private ConfigParser(Path source, ConfigVocabulary vocabulary) {
        this.source = source;
        this.vocabulary = vocabulary;
    }

    /**
     * Reads and validates the configuration in {@code file}.
     *
     * @throws ConfigException if the file cannot be read or the configuration is wrong; its location is line 1,
     *                         column 1 when the file cannot be read
     */
    public static ImageConfig parse(Path file, ConfigVocabulary vocabulary) throws ConfigException {
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (NoSuchFileException missing) {
            throw new ConfigException(new SourceLocation(file, 1, 1),
                    "cannot read the configuration: no such file", "check the path");
        } catch (AccessDeniedException denied) {
            throw new ConfigException(new SourceLocation(file, 1, 1),
                    "cannot read the configuration: permission denied", "check the path and the file's permissions");
        } catch (CharacterCodingException notUtf8) {
            throw new ConfigException(new SourceLocation(file, 1, 1),
                    "cannot read the configuration: it is not valid UTF-8 text",
                    "check the path, and save the configuration as UTF-8");
        } catch (IOException | SecurityException unreadable) {
            String reason = Files.isDirectory(file) ? "it is a directory" : String.valueOf(unreadable.getMessage());
            throw new ConfigException(new SourceLocation(file, 1, 1),
                    "cannot read the configuration: " + reason, "check the path");
        }
        return parse(yaml, file, vocabulary);
    }

    /**
     * Validates the configuration text {@code yaml}, reporting mistakes against {@code source}.
     *
     * @param source the file the text came from: named in error locations, and the default image name is its base
     *               name without extension
     * @throws ConfigException for the first mistake found
     */
    public static ImageConfig parse(String yaml, Path source, ConfigVocabulary vocabulary) throws ConfigException {
        return new ConfigParser(source, vocabulary).read(compose(yaml, source));
    }

    private static Node compose(String yaml, Path source) throws ConfigException {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(source.toString())
                .setAllowDuplicateKeys(false)
                .build();
        Optional<Node> root;
        try {
            root = new Compose(settings).composeString(yaml);
        } catch (MarkedYamlEngineException syntax) {
            Optional<Mark> mark = syntax.getProblemMark().or(syntax::getContextMark);
            SourceLocation where = mark.map(m -> new SourceLocation(source, m.getLine() + 1, m.getColumn() + 1))
                    .orElse(new SourceLocation(source, 1, 1));
            throw new ConfigException(where, "YAML syntax error: " + yamlProblem(syntax), yamlFix(syntax));
        } catch (YamlEngineException unmarked) {
            throw new ConfigException(new SourceLocation(source, 1, 1),
                    "YAML syntax error: " + unmarked.getMessage(), "check that the file is a single YAML document");
        }
        if (root.isEmpty()) {
            throw new ConfigException(new SourceLocation(source, 1, 1), "the configuration is empty",
                    "list at least one compartment, for example: " + EXAMPLE_COMPARTMENTS);
        }
        return root.get();
    }

    /** SnakeYAML's problem, completed by its context when the problem alone is half a sentence ("but found ..."). */
    private static String yamlProblem(MarkedYamlEngineException syntax) {
        String problem = syntax.getProblem();
        String context = syntax.getContext();
        if (problem == null) {
            return String.valueOf(context);
        }
        if (context != null && !context.startsWith("while")) {
            return context + ", " + problem;
        }
        return problem;
    }

    private static String yamlFix(MarkedYamlEngineException syntax) {
        String context = syntax.getContext();
        if (context != null && context.contains("single document")) {
            return "a configuration is one YAML document: remove this '---' and what follows it, or merge the two";
        }
        String fix = "check the indentation, the colons and the quoting here";
        if (context != null && context.startsWith("while") && syntax.getProblem() != null) {
            fix += " (YAML context: " + context
                    + syntax.getContextMark().map(m -> " started at line " + (m.getLine() + 1)).orElse("") + ")";
        }
        return fix;
    }

    private ImageConfig read(Node root) throws ConfigException {
        if (!(root instanceof MappingNode top)) {
            throw error(root, "the configuration must be a mapping of keys such as 'compartments:', not "
                    + describe(root), "start with a 'compartments:' key, for example: " + EXAMPLE_COMPARTMENTS);
        }
        Map<String, NodeTuple> keys = keysOf(top, TOP_KEYS, "unknown top-level key '%s'", "the top-level keys");
        String image = keys.containsKey("image") ? imageName(keys.get("image")) : defaultImageName();
        String application = application(keys.get("application"), top);
        long sharedHeap = keys.containsKey("shared_heap")
                ? size(keys.get("shared_heap"), "shared_heap") : DEFAULT_SHARED_HEAP_BYTES;
        List<CompartmentSpec> compartments = compartments(keys.get("compartments"), top);
        Map<String, LibraryPlacement> libraries = keys.containsKey("libraries")
                ? libraries(keys.get("libraries"), compartments) : Map.of();
        return new ImageConfig(source, image, application, compartments, libraries, sharedHeap);
    }

    private String defaultImageName() {
        Path fileName = source.getFileName();
        String base = fileName == null ? "" : fileName.toString();
        int dot = base.lastIndexOf('.');
        if (dot > 0) {
            base = base.substring(0, dot);
        }
        return base.isEmpty() ? "image" : base;
    }

    private String imageName(NodeTuple entry) throws ConfigException {
        String name = text(entry, "image", "redis-fcall");
        if (!IMAGE_NAME.matcher(name).matches()) {
            throw error(entry.getValueNode(), "invalid image name '" + name + "'",
                    "start with a letter or digit and use only letters, digits, '.', '-' and '_'");
        }
        return name;
    }

    private String application(NodeTuple entry, MappingNode top) throws ConfigException {
        Set<String> applications = vocabulary.applications();
        if (entry == null) {
            if (applications.size() == 1) {
                return applications.iterator().next();
            }
            if (applications.isEmpty()) {
                throw error(top, "missing 'application', and the library catalog has no application",
                        "add a library with an entry point to the catalog and name it with 'application: <name>'");
            }
            throw error(top, "missing 'application': the library catalog has several applications",
                    "add 'application: <name>' with one of: " + sorted(applications));
        }
        String name = text(entry, "application", "redis");
        if (applications.contains(name)) {
            return name;
        }
        Node value = entry.getValueNode();
        if (vocabulary.libraries().contains(name)) {
            throw error(value, "library '" + name + "' is not an application",
                    "name a library with an entry point: " + sortedOrNone(applications));
        }
        throw error(value, "unknown application '" + name + "'",
                hint(ClosestName.among(name, applications),
                        "use one of the applications: " + sortedOrNone(applications)));
    }

    private List<CompartmentSpec> compartments(NodeTuple entry, MappingNode top) throws ConfigException {
        if (entry == null) {
            throw error(top, "missing 'compartments'",
                    "add a list of compartments, for example: " + EXAMPLE_COMPARTMENTS);
        }
        Node value = entry.getValueNode();
        if (isNull(value)) {
            throw error(entry.getKeyNode(), "'compartments' is empty",
                    "list at least one compartment, for example: " + EXAMPLE_COMPARTMENTS);
        }
        if (!(value instanceof SequenceNode list)) {
            throw error(value, "'compartments' must be a list, not " + describe(value),
                    "write each compartment as a list item starting with '- name:', for example: "
                            + EXAMPLE_COMPARTMENTS);
        }
        if (list.getValue().isEmpty()) {
            throw error(value, "'compartments' is empty",
                    "list at least one compartment, for example: " + EXAMPLE_COMPARTMENTS);
        }
        List<DraftCompartment> drafts = new ArrayList<>();
        Map<String, Node> namesSeen = new HashMap<>();
        for (Node item : list.getValue()) {
            drafts.add(compartment(item, namesSeen));
        }
        DraftCompartment chosen = defaultCompartment(drafts, entry);
        List<CompartmentSpec> specs = new ArrayList<>(drafts.size());
        for (DraftCompartment d : drafts) {
            specs.add(new CompartmentSpec(d.name(), d.mechanism(), d == chosen, d.heapBytes(), d.where(),
                    d.sharing(), d.callTimeoutNanos(), d.restart(), d.gateWait()));
        }
        return specs;
    }

    private DraftCompartment defaultCompartment(List<DraftCompartment> drafts, NodeTuple entry) throws ConfigException {
        DraftCompartment chosen = null;
        for (DraftCompartment d : drafts) {
            if (Boolean.TRUE.equals(d.isDefault())) {
                if (chosen != null) {
                    throw error(d.defaultNode(), "more than one default compartment: '" + chosen.name() + "' (line "
                            + line(chosen.defaultNode()) + ") and '" + d.name() + "'",
                            "mark exactly one compartment with 'default: true'");
                }
                chosen = d;
            }
        }
        if (chosen != null) {
            return chosen;
        }
        if (drafts.size() == 1) {
            DraftCompartment only = drafts.getFirst();
            if (Boolean.FALSE.equals(only.isDefault())) {
                throw error(only.defaultNode(),
                        "the only compartment, '" + only.name() + "', is marked 'default: false'",
                        "remove 'default: false': libraries that are not listed need a compartment to go to");
            }
            return only;
        }
        throw error(entry.getKeyNode(), "none of the " + drafts.size() + " compartments is the default",
                "add 'default: true' to the compartment that unlisted libraries go to (one of: "
                        + drafts.stream().map(d -> d.name()).collect(Collectors.joining(", ")) + ")");
    }

    private DraftCompartment compartment(Node item, Map<String, Node> namesSeen) throws ConfigException {
        if (!(item instanceof MappingNode entry)) {
            throw error(item, "a compartment must be a mapping with 'name' and 'mechanism', not " + describe(item),
                    "write the compartment as '- name: main' with 'mechanism: fcall' under it, aligned with 'name'");
        }
        Map<String, NodeTuple> keys = keysOf(entry, COMPARTMENT_KEYS, "unknown key '%s' in a compartment",
                "the compartment keys");
        NodeTuple nameEntry = keys.get("name");
        if (nameEntry == null) {
            throw error(entry, "compartment has no 'name'", "add 'name: <name>' to this compartment");
        }
        String name = text(nameEntry, "name", "main");
        if (!COMPARTMENT_NAME.matcher(name).matches()) {
            throw error(nameEntry.getValueNode(), "invalid compartment name '" + name + "'",
                    "start with a letter and use only letters, digits, '-' and '_'");
        }
        Node first = namesSeen.putIfAbsent(name, nameEntry.getValueNode());
        if (first != null) {
            throw error(nameEntry.getValueNode(), "duplicate compartment name '" + name + "' (first defined at line "
                    + line(first) + ")", "give each compartment its own name");
        }
        NodeTuple mechanismEntry = keys.get("mechanism");
        if (mechanismEntry == null) {
            throw error(entry, "compartment '" + name + "' has no 'mechanism'",
                    "add 'mechanism: <name>' with one of the implemented mechanisms: "
                            + sortedOrNone(vocabulary.mechanisms()));
        }
        String mechanism = mechanism(mechanismEntry);
        NodeTuple defaultEntry = keys.get("default");
        Boolean isDefault = defaultEntry == null ? null : bool(defaultEntry, "default");
        long heap = keys.containsKey("heap") ? size(keys.get("heap"), "heap") : DEFAULT_HEAP_BYTES;
        SharingStrategy sharing = keys.containsKey("sharing") ? sharing(keys.get("sharing")) : SharingStrategy.COPY;
        long timeout = keys.containsKey("call_timeout") ? duration(keys.get("call_timeout"), "call_timeout") : 0;
        RestartPolicy restart = keys.containsKey("restart")
                ? choice(keys.get("restart"), "restart", RestartPolicy.values(), RestartPolicy::configName,
                        "use never (a failed compartment stays failed) or always (the image starts it again)")
                : RestartPolicy.NEVER;
        GateWait gateWait = keys.containsKey("wait")
                ? choice(keys.get("wait"), "wait", GateWait.values(), GateWait::configName,
                        "use spin (spin, yield, then block: lowest latency) or block (block at once: no busy core)")
                : GateWait.SPIN;
        return new DraftCompartment(name, mechanism, isDefault,
                defaultEntry == null ? null : defaultEntry.getValueNode(), heap, locate(entry), sharing, timeout,
                restart, gateWait);
    }

    /** One of {@code values} by its configuration name. */
    private <E> E choice(NodeTuple entry, String key, E[] values, java.util.function.Function<E, String> nameOf,
                         String fix) throws ConfigException {
        String value = text(entry, key, nameOf.apply(values[0]));
        List<String> names = java.util.Arrays.stream(values).map(nameOf).toList();
        for (E candidate : values) {
            if (nameOf.apply(candidate).equals(value)) {
                return candidate;
            }
        }
        throw error(entry.getValueNode(), "unknown " + key + " '" + value + "'",
                hint(ClosestName.among(value, names), fix));
    }

    private SharingStrategy sharing(NodeTuple entry) throws ConfigException {
        String value = text(entry, "sharing", "copy");
        List<String> names = java.util.Arrays.stream(SharingStrategy.values()).map(SharingStrategy::configName).toList();
        for (SharingStrategy strategy : SharingStrategy.values()) {
            if (strategy.configName().equals(value)) {
                return strategy;
            }
        }
        throw error(entry.getValueNode(), "unknown sharing strategy '" + value + "'",
                hint(ClosestName.among(value, names), "use copy (arguments are copied across gates) or shared"
                        + " (segments in the shared heap pass by reference)"));
    }

    /** A duration such as {@code 500ms}: whole numbers of ns, us, ms or s, at least 1 ms. */
    private long duration(NodeTuple entry, String key) throws ConfigException {
        Node value = entry.getValueNode();
        String example = key + ": 500ms";
        if (isNull(value)) {
            throw error(entry.getKeyNode(), "'" + key + "' has no value", "write a duration, for example " + example);
        }
        if (!(value instanceof ScalarNode scalar) || !(Tag.STR.equals(value.getTag()) || Tag.INT.equals(value.getTag()))) {
            throw error(value, "'" + key + "' must be a duration such as 500ms, not " + describe(value),
                    "write a whole number followed by ns, us, ms or s, for example " + example);
        }
        java.util.regex.Matcher m = DURATION.matcher(scalar.getValue().strip());
        if (!m.matches()) {
            throw error(value, "invalid " + key + " '" + scalar.getValue() + "'",
                    "write a whole number followed by ns, us, ms or s, for example " + example);
        }
        long nanos;
        try {
            nanos = Math.multiplyExact(Long.parseLong(m.group(1)), switch (m.group(2)) {
                case "ns" -> 1L;
                case "us" -> 1_000L;
                case "ms" -> 1_000_000L;
                default -> 1_000_000_000L;
            });
        } catch (NumberFormatException | ArithmeticException tooLong) {
            throw error(value, key + " '" + scalar.getValue() + "' is too long", "use at most a few minutes");
        }
        if (nanos < 1_000_000L) {
            throw error(value, key + " '" + scalar.getValue() + "' is below the minimum of 1ms",
                    "use at least 1ms; a shorter limit would fail calls that are merely descheduled");
        }
        return nanos;
    }

    private String mechanism(NodeTuple entry) throws ConfigException {
        String mechanism = text(entry, "mechanism", "fcall");
        Set<String> implemented = vocabulary.mechanisms();
        if (implemented.contains(mechanism)) {
            return mechanism;
        }
        Node value = entry.getValueNode();
        String choices = "use one of the implemented mechanisms: " + sortedOrNone(implemented);
        if (vocabulary.plannedMechanisms().contains(mechanism)) {
            throw error(value, "mechanism '" + mechanism + "' is not implemented in this build", choices);
        }
        throw error(value, "unknown mechanism '" + mechanism + "'", hintAmong(mechanism, implemented,
                vocabulary.plannedMechanisms(), choices));
    }

    private Map<String, LibraryPlacement> libraries(NodeTuple entry, List<CompartmentSpec> compartments)
            throws ConfigException {
        Node value = entry.getValueNode();
        if (isNull(value)) {
            return Map.of(); // every entry commented out: all libraries go to the default compartment
        }
        if (!(value instanceof MappingNode map)) {
            throw error(value, "'libraries' must be a mapping from library name to placement, not " + describe(value),
                    "write each library as a key under 'libraries:', for example: libraries: {net: {compartment: "
                            + compartments.getLast().name() + "}}");
        }
        String defaultName = compartments.stream().filter(CompartmentSpec::isDefault).findFirst().orElseThrow().name();
        Map<String, LibraryPlacement> placements = new LinkedHashMap<>();
        Map<String, Node> seen = new HashMap<>();
        for (NodeTuple tuple : map.getValue()) {
            Node keyNode = tuple.getKeyNode();
            String library = keyName(keyNode);
            Node first = seen.putIfAbsent(library, keyNode);
            if (first != null) {
                throw error(keyNode, "library '" + library + "' is listed twice (first at line " + line(first) + ")",
                        "merge the two entries into one");
            }
            if (!vocabulary.libraries().contains(library)) {
                throw error(keyNode, "unknown library '" + library + "'", hint(
                        ClosestName.among(library, vocabulary.libraries()),
                        "use one of the known libraries: " + sortedOrNone(vocabulary.libraries())));
            }
            placements.put(library, placement(library, tuple, compartments, defaultName));
        }
        return placements;
    }

    private LibraryPlacement placement(String library, NodeTuple tuple, List<CompartmentSpec> compartments,
                                       String defaultName) throws ConfigException {
        Node value = tuple.getValueNode();
        if (isNull(value)) {
            throw error(tuple.getKeyNode(), "library '" + library + "' has no settings",
                    "give it 'compartment:' and/or 'harden:', or remove it to place it in the default compartment");
        }
        if (!(value instanceof MappingNode entry)) {
            // "net: isolated" is the likeliest slip: the user named the compartment directly.
            String example = value instanceof ScalarNode s
                    && compartments.stream().anyMatch(c -> c.name().equals(s.getValue())) ? s.getValue() : defaultName;
            throw error(value, "the entry of library '" + library
                            + "' must be a mapping with 'compartment' and/or 'harden', not " + describe(value),
                    "write for example: " + library + ": {compartment: " + example + "}");
        }
        Map<String, NodeTuple> keys = keysOf(entry, LIBRARY_KEYS, "unknown key '%s' for library '" + library + "'",
                "the keys of a library entry");
        String compartment = defaultName;
        NodeTuple compartmentEntry = keys.get("compartment");
        if (compartmentEntry != null) {
            compartment = text(compartmentEntry, "compartment", defaultName);
            String wanted = compartment;
            if (compartments.stream().noneMatch(c -> c.name().equals(wanted))) {
                List<String> defined = compartments.stream().map(CompartmentSpec::name).toList();
                throw error(compartmentEntry.getValueNode(),
                        "library '" + library + "' is placed in missing compartment '" + compartment + "'",
                        hint(ClosestName.among(compartment, defined),
                                "use one of the defined compartments: " + String.join(", ", defined)
                                        + ", or add a compartment named '" + compartment + "'"));
            }
        }
        NodeTuple hardenEntry = keys.get("harden");
        List<String> harden = hardenEntry == null ? List.of() : harden(library, hardenEntry);
        return new LibraryPlacement(library, compartment, harden, locate(tuple.getKeyNode()));
    }

    private List<String> harden(String library, NodeTuple entry) throws ConfigException {
        Node value = entry.getValueNode();
        if (isNull(value)) {
            return List.of();
        }
        if (!(value instanceof SequenceNode list)) {
            String example = value instanceof ScalarNode s ? s.getValue() : "cfi";
            throw error(value, "'harden' must be a list, not " + describe(value),
                    "write a list, for example: harden: [" + example + "]");
        }
        Set<String> implemented = vocabulary.hardenings();
        Set<String> known = new TreeSet<>(implemented);
        known.addAll(vocabulary.plannedHardenings());
        List<String> options = new ArrayList<>();
        Map<String, Node> seen = new HashMap<>();
        for (Node item : list.getValue()) {
            if (!(item instanceof ScalarNode scalar) || !Tag.STR.equals(item.getTag())) {
                throw error(item, "a hardening option must be a name, not " + describe(item),
                        "write the options as a list of names, for example: harden: [cfi]");
            }
            String option = scalar.getValue();
            if (!known.contains(option)) {
                throw error(item, "unknown hardening option '" + option + "'", hint(
                        ClosestName.among(option, known), "use one of the known options: " + sortedOrNone(known)
                                + " (implemented in this build: " + sortedOrNone(implemented) + ")"));
            }
            Node first = seen.putIfAbsent(option, item);
            if (first != null) {
                throw error(item, "hardening '" + option + "' is listed twice for library '" + library
                        + "' (first at line " + line(first) + ")", "remove the second '" + option + "'");
            }
            if (!implemented.contains(option)) {
                throw error(item, "hardening '" + option + "' is not implemented in this build",
                        "remove '" + option + "' from the 'harden' list of library '" + library
                                + "'; implemented options: " + sortedOrNone(implemented));
            }
            options.add(option);
        }
        return options;
    }

    private long size(NodeTuple entry, String key) throws ConfigException {
        Node value = entry.getValueNode();
        if (isNull(value)) {
            throw error(entry.getKeyNode(), "'" + key + "' has no value",
                    "write a size after '" + key + ":', for example " + key + ": 256MiB");
        }
        boolean textOrNumber = Tag.STR.equals(value.getTag()) || Tag.INT.equals(value.getTag());
        if (!(value instanceof ScalarNode scalar) || !textOrNumber) {
            throw error(value, "'" + key + "' must be a size such as 256MiB, not " + describe(value),
                    "write a whole number of bytes, or a number with a unit B, KiB, MiB or GiB, for example "
                            + key + ": 256MiB");
        }
        long bytes;
        try {
            bytes = ByteSize.parse(scalar.getValue());
        } catch (IllegalArgumentException invalid) {
            throw error(value, "invalid " + key + " size '" + scalar.getValue() + "'", invalid.getMessage());
        }
        if (bytes < MIN_HEAP_BYTES) {
            throw error(value, key + " size " + ByteSize.format(bytes) + " is below the minimum of "
                    + ByteSize.format(MIN_HEAP_BYTES), "use at least " + ByteSize.format(MIN_HEAP_BYTES));
        }
        return bytes;
    }

    private boolean bool(NodeTuple entry, String key) throws ConfigException {
        Node value = entry.getValueNode();
        if (isNull(value)) {
            throw error(entry.getKeyNode(), "'" + key + "' has no value",
                    "write '" + key + ": true' or '" + key + ": false'");
        }
        if (value instanceof ScalarNode scalar && Tag.BOOL.equals(value.getTag())) {
            return Boolean.parseBoolean(scalar.getValue());
        }
        throw error(value, "'" + key + "' must be true or false, not " + describe(value),
                "write '" + key + ": true' or '" + key + ": false' (lower case, without quotes)");
    }

    /** The text value of {@code entry}: a plain or quoted YAML string, not a number, boolean, list or mapping. */
    private String text(NodeTuple entry, String key, String example) throws ConfigException {
        Node value = entry.getValueNode();
        if (isNull(value)) {
            throw error(entry.getKeyNode(), "'" + key + "' has no value",
                    "write a value after '" + key + ":', for example " + key + ": " + example);
        }
        if (value instanceof ScalarNode scalar && Tag.STR.equals(value.getTag())) {
            return scalar.getValue();
        }
        String fix = value instanceof ScalarNode scalar
                ? "if you mean the text, quote it: " + key + ": \"" + scalar.getValue() + "\""
                : "write a single name, for example " + key + ": " + example;
        throw error(value, "'" + key + "' must be a single name, not " + describe(value), fix);
    }

    /**
     * The entries of {@code map} by key, refusing keys that are not in {@code known}, duplicated, or not names.
     *
     * @param unknown the problem for an unknown key, with {@code %s} standing for the key
     * @param which   how to call the set of known keys in a fix ("the top-level keys")
     */
    private Map<String, NodeTuple> keysOf(MappingNode map, List<String> known, String unknown, String which)
            throws ConfigException {
        Map<String, NodeTuple> keys = new LinkedHashMap<>();
        for (NodeTuple tuple : map.getValue()) {
            Node keyNode = tuple.getKeyNode();
            String key = keyName(keyNode);
            NodeTuple first = keys.get(key);
            if (first != null) {
                throw error(keyNode, "duplicate key '" + key + "' (first at line " + line(first.getKeyNode()) + ")",
                        "keep only one '" + key + ":'");
            }
            if (!known.contains(key)) {
                throw error(keyNode, unknown.formatted(key),
                        hint(ClosestName.among(key, known), "use one of " + which + ": " + String.join(", ", known)));
            }
            keys.put(key, tuple);
        }
        return keys;
    }

    private String keyName(Node keyNode) throws ConfigException {
        if (keyNode instanceof ScalarNode scalar && !Tag.NULL.equals(keyNode.getTag())) {
            return scalar.getValue();
        }
        throw error(keyNode, "a key must be a plain name, not " + describe(keyNode),
                "write the key as a plain name followed by ':'");
    }

    private ConfigException error(Node node, String problem, String fix) {
        return new ConfigException(locate(node), problem, fix);
    }

    private SourceLocation locate(Node node) {
        return node.getStartMark()
                .map(m -> new SourceLocation(source, m.getLine() + 1, m.getColumn() + 1))
                .orElse(new SourceLocation(source, 1, 1));
    }

    private static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(1);
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    private static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        ScalarNode scalar = (ScalarNode) node;
        Tag tag = node.getTag();
        if (Tag.NULL.equals(tag)) {
            return "an empty value";
        }
        if (Tag.BOOL.equals(tag)) {
            return "the boolean " + scalar.getValue();
        }
        if (Tag.INT.equals(tag) || Tag.FLOAT.equals(tag)) {
            return "the number " + scalar.getValue();
        }
        if (Tag.STR.equals(tag)) {
            return "the text '" + scalar.getValue() + "'";
        }
        return "a value tagged " + tag.getValue();
    }

    /** {@code rest}, preceded by "did you mean ...?" when there is a suggestion. */
    private static String hint(Optional<String> suggestion, String rest) {
        return suggestion.map(s -> "did you mean '" + s + "'? " + capitalized(rest)).orElse(rest);
    }

    /** Like {@link #hint}, but the closest name may be a planned one, which the hint then says is not usable yet. */
    private static String hintAmong(String typed, Set<String> implemented, Set<String> planned, String rest) {
        Optional<String> closest = ClosestName.among(typed,
                Stream.concat(implemented.stream(), planned.stream()).collect(Collectors.toSet()));
        if (closest.isPresent() && !implemented.contains(closest.get())) {
            return "did you mean '" + closest.get() + "'? It is not implemented in this build; " + rest;
        }
        return hint(closest, rest);
    }

    private static String capitalized(String sentence) {
        return sentence.isEmpty()
                ? sentence : sentence.substring(0, 1).toUpperCase(Locale.ROOT) + sentence.substring(1);
    }

    private static String sorted(Collection<String> names) {
        return String.join(", ", new TreeSet<>(names));
    }

    private static String sortedOrNone(Collection<String> names) {
        return names.isEmpty() ? "none" : sorted(names);
    }

    /** A compartment entry read but not yet told whether it is the default, which needs all entries. */
    private record DraftCompartment(String name, String mechanism, Boolean isDefault, Node defaultNode,
                                    long heapBytes, SourceLocation where, SharingStrategy sharing,
                                    long callTimeoutNanos, RestartPolicy restart, GateWait gateWait) {
    }
}
