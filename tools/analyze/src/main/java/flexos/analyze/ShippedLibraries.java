package flexos.analyze;

import flexos.analyze.bytecode.ApiIndex;
import flexos.analyze.bytecode.BytecodeInspector;
import flexos.analyze.bytecode.InferredBehaviour;
import flexos.core.component.Library;
import flexos.core.hardening.LibraryBytecode;
import flexos.core.image.LibraryCatalog;
import flexos.core.metadata.LocatedMetadata;
import flexos.core.metadata.MetadataException;
import flexos.core.metadata.MetadataParser;
import flexos.core.metadata.SourceLocation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The libraries of a {@link LibraryCatalog}, each with the metadata it ships ({@code META-INF/flexos/<name>.meta})
 * and what its bytecode shows.
 */
public final class ShippedLibraries {

    /** One shipped library. */
    public record Shipped(Library library, LocatedMetadata metadata, Path location, InferredBehaviour inferred,
            Set<String> apiMethods) {
    }

    private ShippedLibraries() {
    }

    /**
     * Reads the metadata and inspects the classes of every library of {@code catalog}.
     *
     * @throws MetadataException if a library ships no metadata, or bad metadata
     * @throws IOException       if a library's classes cannot be read
     */
    public static List<Shipped> load(LibraryCatalog catalog) throws MetadataException, IOException {
        BytecodeInspector inspector = new BytecodeInspector(ApiIndex.of(catalog.libraries()));
        List<Shipped> shipped = new ArrayList<>();
        for (Library library : catalog.libraries()) {
            Path location = LibraryBytecode.location(library);
            String resource = "META-INF/flexos/" + library.name() + ".meta";
            Path source = Files.isDirectory(location) ? location.resolve(resource)
                    : Path.of(location + "!/" + resource);
            String text = read(library, resource);
            if (text == null) {
                throw new MetadataException(new SourceLocation(source, 1, 1), "library " + library.name()
                        + " (" + library.getClass().getName() + ") ships no metadata",
                        "its metadata as the resource " + resource + " of its module");
            }
            LocatedMetadata metadata = MetadataParser.parseLocated(library.name(), text, source);
            Set<String> apiMethods = new TreeSet<>();
            library.exports().forEach(api -> apiMethods.addAll(ApiIndex.methodNames(api)));
            shipped.add(new Shipped(library, metadata, location, inspector.inspect(library), apiMethods));
        }
        return shipped;
    }

    private static String read(Library library, String resource) throws IOException {
        InputStream found = library.getClass().getModule().getResourceAsStream(resource);
        if (found == null && library.getClass().getClassLoader() != null) {
            found = library.getClass().getClassLoader().getResourceAsStream(resource);
        }
        if (found == null) {
            return null;
        }
        try (InputStream in = found) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
