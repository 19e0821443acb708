package flexos.core.image;

import flexos.core.component.Entrypoint;
import flexos.core.component.Library;
import flexos.core.metadata.LibraryMetadata;
import flexos.core.metadata.MetadataException;
import flexos.core.metadata.MetadataParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The libraries an image can be made of, found as {@link Library} services, by name. */
public final class LibraryCatalog {

    private final Map<String, Library> byName;

    private LibraryCatalog(Map<String, Library> byName) {
        this.byName = byName;
    }

    /** The libraries visible to {@code loader} (the class path), or in the boot layer when run from modules. */
    public static LibraryCatalog discover(ClassLoader loader) {
        return of(ServiceLoader.load(Library.class, loader).stream().map(ServiceLoader.Provider::get).toList());
    }

    /** The libraries of a module layer and its parents. */
    public static LibraryCatalog discover(ModuleLayer layer) {
        return of(ServiceLoader.load(layer, Library.class).stream().map(ServiceLoader.Provider::get).toList());
    }

    public static LibraryCatalog of(Collection<Library> libraries) {
        Map<String, Library> byName = new TreeMap<>();
        for (Library library : libraries) {
            Library clash = byName.putIfAbsent(library.name(), library);
            if (clash != null && clash.getClass() != library.getClass()) {
                throw new IllegalStateException("two libraries are named " + library.name() + ": "
                        + clash.getClass().getName() + " and " + library.getClass().getName());
            }
        }
        return new LibraryCatalog(byName);
    }

    public Optional<Library> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Collection<Library> libraries() {
        return byName.values();
    }

    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /** The libraries that export an {@link Entrypoint}: the applications an image can run. */
    public List<String> applications() {
        return byName.values().stream().filter(l -> l.exports().contains(Entrypoint.class))
                .map(Library::name).collect(Collectors.toList());
    }

    /**
     * The metadata {@code library} ships as {@code META-INF/flexos/<name>.meta}, parsed.
     *
     * @throws MetadataException if the file is missing or malformed: a library without honest metadata cannot
     *                           be placed safely, so no image may contain it
     */
    public static LibraryMetadata metadataOf(Library library) throws MetadataException {
        String resource = "/META-INF/flexos/" + library.name() + ".meta";
        Path shownAs = Path.of(library.name() + ".meta");
        try (InputStream in = library.getClass().getResourceAsStream(resource)) {
            if (in == null) {
                throw new MetadataException(new flexos.core.metadata.SourceLocation(shownAs, 1, 1),
                        "library " + library.name() + " ships no metadata file " + resource.substring(1),
                        "a metadata file in the library's folder");
            }
            return MetadataParser.parse(library.name(), new String(in.readAllBytes(), StandardCharsets.UTF_8), shownAs);
        } catch (IOException e) {
            throw new MetadataException(new flexos.core.metadata.SourceLocation(shownAs, 1, 1),
                    "cannot read " + resource + ": " + e.getMessage(), "a readable metadata file");
        }
    }

    /** The library exporting {@code api}, if exactly one does. */
    public Optional<Library> exporterOf(Class<?> api) {
        List<Library> exporters = byName.values().stream().filter(l -> l.exports().contains(api)).toList();
        if (exporters.size() > 1) {
            throw new IllegalStateException(api.getName() + " is exported by several libraries: "
                    + exporters.stream().map(Library::name).toList());
        }
        return exporters.stream().findFirst();
    }
}
