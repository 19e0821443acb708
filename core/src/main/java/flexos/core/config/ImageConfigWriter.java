package flexos.core.config;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.StreamDataWriter;
import org.snakeyaml.engine.v2.api.lowlevel.Serialize;
import org.snakeyaml.engine.v2.comments.CommentLine;
import org.snakeyaml.engine.v2.comments.CommentType;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.emitter.Emitter;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Writes an image configuration, the YAML that {@link ConfigParser} reads, from the parts tools generate: the
 * image's name and application, its compartments (name, mechanism, which one is the default) and library
 * placements (compartment, hardening options). The text goes through snakeyaml-engine's emitter, so a name that
 * YAML would read as something else ({@code yes}, {@code 1.0}, {@code a: b}, {@code #x}) is quoted and reads back as
 * the same string.
 *
 * <p>Only the keys every mechanism shares are written; a tool that needs mechanism options writes its own. The
 * result is one YAML document, block style, with hardening lists in flow style ({@code harden: [asan]}); optional
 * comments (a header, one line per compartment) are for people and do not change what the parser reads.
 *
 * <p>Instances are immutable: each {@code with}/{@code add} method returns a new writer.
 *
 * @param header       comment lines written before the document, without the {@code #}
 * @param image        the image's name, or empty to let the file name decide
 * @param application  the application library, or empty to let the catalog decide
 * @param compartments the compartments, in order
 * @param libraries    the explicit library placements, in order
 */
public record ImageConfigWriter(List<String> header, Optional<String> image, Optional<String> application,
                                List<Compartment> compartments, List<Placement> libraries) {

    /**
     * One entry of {@code compartments}.
     *
     * @param comment a comment written beside the entry, e.g. the libraries it holds; empty for none
     */
    public record Compartment(String name, String mechanism, boolean isDefault, String comment) {
    }

    /** One entry of {@code libraries}; an empty {@code harden} list is not written. */
    public record Placement(String library, String compartment, List<String> harden) {
        public Placement {
            harden = List.copyOf(harden);
        }
    }

    public ImageConfigWriter {
        header = List.copyOf(header);
        compartments = List.copyOf(compartments);
        libraries = List.copyOf(libraries);
    }

    /** A writer with nothing in it yet. */
    public static ImageConfigWriter empty() {
        return new ImageConfigWriter(List.of(), Optional.empty(), Optional.empty(), List.of(), List.of());
    }

    public ImageConfigWriter withHeader(String... lines) {
        return new ImageConfigWriter(List.of(lines), image, application, compartments, libraries);
    }

    public ImageConfigWriter withImage(String name) {
        return new ImageConfigWriter(header, Optional.of(name), application, compartments, libraries);
    }

    public ImageConfigWriter withApplication(String name) {
        return new ImageConfigWriter(header, image, Optional.of(name), compartments, libraries);
    }

    public ImageConfigWriter addCompartment(String name, String mechanism, boolean isDefault, String comment) {
        List<Compartment> more = new ArrayList<>(compartments);
        more.add(new Compartment(name, mechanism, isDefault, comment));
        return new ImageConfigWriter(header, image, application, more, libraries);
    }

    public ImageConfigWriter addLibrary(String library, String compartment, List<String> harden) {
        List<Placement> more = new ArrayList<>(libraries);
        more.add(new Placement(library, compartment, harden));
        return new ImageConfigWriter(header, image, application, compartments, more);
    }

    /**
     * The configuration as YAML text.
     *
     * @throws IllegalStateException if there is no compartment or not exactly one default, which no reader accepts
     */
    public String toYaml() {
        if (compartments.isEmpty() || compartments.stream().filter(Compartment::isDefault).count() != 1) {
            throw new IllegalStateException("an image configuration needs compartments, exactly one of them the "
                    + "default: " + compartments);
        }
        Map<String, Node> top = new LinkedHashMap<>();
        image.ifPresent(name -> top.put("image", scalar(name)));
        application.ifPresent(name -> top.put("application", scalar(name)));
        List<Node> entries = new ArrayList<>();
        for (Compartment c : compartments) {
            Map<String, Node> entry = new LinkedHashMap<>();
            entry.put("name", scalar(c.name()));
            entry.put("mechanism", scalar(c.mechanism()));
            if (c.isDefault()) {
                entry.put("default", new ScalarNode(Tag.BOOL, "true", ScalarStyle.PLAIN));
            }
            MappingNode node = mapping(entry);
            if (!c.comment().isEmpty()) {
                node.getValue().getLast().getValueNode().setInLineComments(
                        List.of(new CommentLine(Optional.empty(), Optional.empty(), " " + c.comment(),
                                CommentType.IN_LINE)));
            }
            entries.add(node);
        }
        top.put("compartments", new SequenceNode(Tag.SEQ, entries, FlowStyle.BLOCK));
        if (!libraries.isEmpty()) {
            Map<String, Node> placed = new LinkedHashMap<>();
            for (Placement p : libraries) {
                Map<String, Node> entry = new LinkedHashMap<>();
                entry.put("compartment", scalar(p.compartment()));
                if (!p.harden().isEmpty()) {
                    entry.put("harden", new SequenceNode(Tag.SEQ,
                            p.harden().stream().<Node>map(ImageConfigWriter::scalar).toList(), FlowStyle.FLOW));
                }
                placed.put(p.library(), mapping(entry));
            }
            top.put("libraries", mapping(placed));
        }
        StringBuilder out = new StringBuilder();
        header.forEach(line -> out.append("# ").append(line).append('\n'));
        out.append(emit(mapping(top)));
        return out.toString();
    }

    private static ScalarNode scalar(String text) {
        // Plain where that reads back as this string; the emitter quotes it otherwise (resolver-checked).
        return new ScalarNode(Tag.STR, text, ScalarStyle.PLAIN);
    }

    private static MappingNode mapping(Map<String, Node> entries) {
        List<NodeTuple> tuples = new ArrayList<>();
        entries.forEach((key, value) -> tuples.add(new NodeTuple(scalar(key), value)));
        return new MappingNode(Tag.MAP, tuples, FlowStyle.BLOCK);
    }

    private static String emit(Node root) {
        DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setDumpComments(true)
                .setIndent(2).setIndicatorIndent(2).setIndentWithIndicator(true).build();
        StringWriter text = new StringWriter();
        StreamDataWriter writer = new StreamDataWriter() {
            @Override
            public void write(String str) {
                text.write(str);
            }

            @Override
            public void write(String str, int off, int len) {
                text.write(str, off, len);
            }
        };
        Emitter emitter = new Emitter(settings, writer);
        for (Event event : new Serialize(settings).serializeOne(root)) {
            emitter.emit(event);
        }
        return text.toString();
    }
}
