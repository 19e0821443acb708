package flexos.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed and validated image configuration, modelled on FlexOS's {@code kraft.yaml}.
 *
 * @param source       the file it was read from
 * @param name         the image's name (defaults to the file's base name)
 * @param application  the application library that the image runs
 * @param compartments the compartments, in the order written; exactly one is the default
 * @param libraries    the explicit placements, by library name
 * @param sharedHeapBytes the size of the image's shared heap
 */
public record ImageConfig(
        Path source,
        String name,
        String application,
        List<CompartmentSpec> compartments,
        Map<String, LibraryPlacement> libraries,
        long sharedHeapBytes) {

    public ImageConfig {
        compartments = List.copyOf(compartments);
        libraries = Map.copyOf(libraries);
    }

    /** The compartment that libraries without an explicit placement go to. */
    public CompartmentSpec defaultCompartment() {
        return compartments.stream().filter(CompartmentSpec::isDefault).findFirst().orElseThrow();
    }

    /** The compartment with this name, if any. */
    public Optional<CompartmentSpec> compartment(String name) {
        return compartments.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** Where {@code library} goes: its explicit placement, or the default compartment with no hardening. */
    public LibraryPlacement placementOf(String library) {
        LibraryPlacement explicit = libraries.get(library);
        return explicit != null ? explicit : new LibraryPlacement(library, defaultCompartment().name(), List.of(), null);
    }
}
