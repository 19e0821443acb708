package flexos.core.image;

import java.util.List;
import java.util.Optional;

/**
 * One instance the image makes: a library in one compartment (a per-compartment library has one in every
 * compartment), and the wiring of each of its imports.
 *
 * @param library     the library
 * @param compartment the compartment this instance runs in
 * @param imports     one wire per API the library imports, in the library's import order
 */
public record PlannedInstance(PlannedLibrary library, String compartment, List<Wire> imports) {

    public PlannedInstance {
        imports = List.copyOf(imports);
    }

    /** The wire of {@code api}, if the library imports it. */
    public Optional<Wire> wireOf(Class<?> api) {
        return imports.stream().filter(w -> w.site().api() == api).findFirst();
    }
}
