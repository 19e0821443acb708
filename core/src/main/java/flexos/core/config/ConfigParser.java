package flexos.core.config;

import flexos.core.hardening.HardeningOption;
import flexos.core.mechanism.Mechanism;
import flexos.core.mechanism.MechanismOptions;
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
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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
 *   - name: isolated
 *     mechanism: module       # may be followed by the keys of the compartment's mechanism
 *                             # (Mechanism.compartmentKeys()), which that mechanism reads itself
 * libraries:                  # optional; unlisted libraries go to the default compartment, unhardened
 *   net:
 *     compartment: isolated   # optional, default: the default compartment
 *     harden: [cfi]           # optional, default none
 * }</pre>
 *
 * <p>Sizes are described by {@link ByteSize}. Names are checked against a {@link ConfigVocabulary} so that a typo is
 * reported where it stands, with the choices and the closest one, and resolved once: a compartment's mechanism
 * becomes its {@link flexos.core.mechanism.Mechanism}, which reads its own keys through an {@link OptionReader}, and
 * a library's hardening names become {@link HardeningOption}s.
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
    /** The keys every compartment has, whatever its mechanism; the mechanism adds its own. */
    private static final List<String> COMPARTMENT_KEYS = List.of("name", "mechanism", "default", "heap");
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
                    d.options()));
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
        Map<String, NodeTuple> keys = keysOf(entry, allCompartmentKeys(), "unknown key '%s' in a compartment",
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
                    "add 'mechanism: <name>' with one of the mechanisms: "
                            + sortedOrNone(vocabulary.mechanisms().names()));
        }
        Mechanism mechanism = mechanism(mechanismEntry);
        NodeTuple defaultEntry = keys.get("default");
        Boolean isDefault = defaultEntry == null ? null : bool(defaultEntry, "default");
        long heap = keys.containsKey("heap") ? size(keys.get("heap"), "heap") : DEFAULT_HEAP_BYTES;
        Map<String, NodeTuple> own = new LinkedHashMap<>();
        for (Map.Entry<String, NodeTuple> key : keys.entrySet()) {
            if (COMPARTMENT_KEYS.contains(key.getKey())) {
                continue;
            }
            if (!mechanism.compartmentKeys().contains(key.getKey())) {
                throw notTakenBy(mechanism, key.getKey(), key.getValue(), name);
            }
            own.put(key.getKey(), key.getValue());
        }
        MechanismOptions options = mechanism.readOptions(new EntryOptions(name, mechanism, own));
        return new DraftCompartment(name, mechanism, isDefault,
                defaultEntry == null ? null : defaultEntry.getValueNode(), heap, locate(entry), options);
    }

    /** The shared keys, then every mechanism's own, each once, in a stable order for messages. */
    private List<String> allCompartmentKeys() {
        List<String> all = new ArrayList<>(COMPARTMENT_KEYS);
        for (Mechanism mechanism : vocabulary.mechanisms().all()) {
            for (String key : mechanism.compartmentKeys()) {
                if (!all.contains(key)) {
                    all.add(key);
                }
            }
        }
        return all;
    }

    /** A key another mechanism takes, set on a compartment whose mechanism would not honour it. */
    private ConfigException notTakenBy(Mechanism mechanism, String key, NodeTuple entry, String compartment) {
        List<String> takers = vocabulary.mechanisms().all().stream()
                .filter(m -> m.compartmentKeys().contains(key)).map(Mechanism::name).toList();
        String takes = mechanism.compartmentKeys().isEmpty() ? "takes no keys of its own"
                : "takes " + String.join(", ", mechanism.compartmentKeys());
        return error(entry.getKeyNode(), "mechanism '" + mechanism.name() + "' of compartment '" + compartment
                        + "' does not take '" + key + "'",
                "remove '" + key + "' (" + mechanism.name() + " " + takes + "), or use a mechanism that takes it: "
                        + String.join(", ", takers));
    }

    /** The mechanism's own keys of one compartment entry, read with the parser's messages. */
    private final class EntryOptions implements OptionReader {
        private final String compartment;
        private final Mechanism mechanism;
        private final Map<String, NodeTuple> keys;

        EntryOptions(String compartment, Mechanism mechanism, Map<String, NodeTuple> keys) {
            this.compartment = compartment;
            this.mechanism = mechanism;
            this.keys = keys;
        }

        private NodeTuple entry(String key) {
            if (!mechanism.compartmentKeys().contains(key)) {
                throw new IllegalArgumentException("mechanism " + mechanism.name() + " reads key " + key
                        + ", which it does not declare in compartmentKeys()");
            }
            return keys.get(key);
        }

        @Override
        public String compartment() {
            return compartment;
        }

        @Override
        public boolean has(String key) {
            return entry(key) != null;
        }

        @Override
        public <E> Optional<E> choice(String key, E[] values, java.util.function.Function<E, String> configName,
                                      String fix) throws ConfigException {
            NodeTuple entry = entry(key);
            return entry == null ? Optional.empty() : Optional.of(ConfigParser.this.choice(entry, key, values,
                    configName, fix));
        }

        @Override
        public OptionalLong duration(String key, long minimumNanos, String why) throws ConfigException {
            NodeTuple entry = entry(key);
            return entry == null ? OptionalLong.empty()
                    : OptionalLong.of(ConfigParser.this.duration(entry, key, minimumNanos, why));
        }

        @Override
        public OptionalLong whole(String key, long min, long max, String what) throws ConfigException {
            NodeTuple entry = entry(key);
            if (entry == null) {
                return OptionalLong.empty();
            }
            Node value = entry.getValueNode();
            String fix = "write " + what + " from " + min + " to " + max + ", for example " + key + ": " + min;
            if (!(value instanceof ScalarNode scalar) || !Tag.INT.equals(value.getTag())) {
                throw ConfigParser.this.error(value, "'" + key + "' must be " + what + ", not " + describe(value), fix);
            }
            long n;
            try {
                n = Long.parseLong(scalar.getValue().replace("_", ""));
            } catch (NumberFormatException e) {
                throw ConfigParser.this.error(value, "'" + key + "' must be " + what + ", not " + scalar.getValue(), fix);
            }
            if (n < min || n > max) {
                throw ConfigParser.this.error(value, "'" + key + "' is " + n + ", out of range", fix);
            }
            return OptionalLong.of(n);
        }

        @Override
        public Optional<String> text(String key, String example) throws ConfigException {
            NodeTuple entry = entry(key);
            return entry == null ? Optional.empty() : Optional.of(ConfigParser.this.text(entry, key, example));
        }

        @Override
        public ConfigException error(String key, String problem, String fix) {
            NodeTuple entry = entry(key);
            if (entry == null) {
                throw new IllegalArgumentException("compartment " + compartment + " does not set " + key);
            }
            return ConfigParser.this.error(entry.getValueNode(), problem, fix);
        }
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

    /** A duration such as {@code 500ms}: whole numbers of ns, us, ms or s, at least {@code minimumNanos}. */
    private long duration(NodeTuple entry, String key, long minimumNanos, String why) throws ConfigException {
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
        if (nanos < minimumNanos) {
            String minimum = CallTimeout.format(minimumNanos);
            throw error(value, key + " '" + scalar.getValue() + "' is below the minimum of " + minimum,
                    "use at least " + minimum + "; " + why);
        }
        return nanos;
    }

    private Mechanism mechanism(NodeTuple entry) throws ConfigException {
        String name = text(entry, "mechanism", "fcall");
        Optional<Mechanism> mechanism = vocabulary.mechanisms().find(name);
        if (mechanism.isPresent()) {
            return mechanism.get();
        }
        Set<String> names = vocabulary.mechanisms().names();
        throw error(entry.getValueNode(), "unknown mechanism '" + name + "'", hint(ClosestName.among(name, names),
                "use one of the mechanisms: " + sortedOrNone(names)));
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
        List<HardeningOption> harden = hardenEntry == null ? List.of() : harden(library, hardenEntry);
        return new LibraryPlacement(library, compartment, harden, locate(tuple.getKeyNode()));
    }

    private List<HardeningOption> harden(String library, NodeTuple entry) throws ConfigException {
        Node value = entry.getValueNode();
        if (isNull(value)) {
            return List.of();
        }
        if (!(value instanceof SequenceNode list)) {
            String example = value instanceof ScalarNode s ? s.getValue() : "cfi";
            throw error(value, "'harden' must be a list, not " + describe(value),
                    "write a list, for example: harden: [" + example + "]");
        }
        List<String> known = java.util.Arrays.stream(HardeningOption.values()).map(HardeningOption::configName).toList();
        List<HardeningOption> options = new ArrayList<>();
        Map<HardeningOption, Node> seen = new HashMap<>();
        for (Node item : list.getValue()) {
            if (!(item instanceof ScalarNode scalar) || !Tag.STR.equals(item.getTag())) {
                throw error(item, "a hardening option must be a name, not " + describe(item),
                        "write the options as a list of names, for example: harden: [cfi]");
            }
            String name = scalar.getValue();
            Optional<HardeningOption> option = HardeningOption.named(name);
            if (option.isEmpty()) {
                throw error(item, "unknown hardening option '" + name + "'", hint(
                        ClosestName.among(name, known), "use one of the options: " + sortedOrNone(known)));
            }
            Node first = seen.putIfAbsent(option.get(), item);
            if (first != null) {
                throw error(item, "hardening '" + name + "' is listed twice for library '" + library
                        + "' (first at line " + line(first) + ")", "remove the second '" + name + "'");
            }
            options.add(option.get());
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
    private record DraftCompartment(String name, Mechanism mechanism, Boolean isDefault, Node defaultNode,
                                    long heapBytes, SourceLocation where, MechanismOptions options) {
    }
}
