package flexos.core.image;

import flexos.core.component.Library;
import flexos.core.hardening.HardeningOption;
import flexos.core.metadata.LibraryMetadata;
import java.util.List;

/**
 * One library of a planned image: where it runs, how it is hardened, and what it declares, parsed once.
 *
 * @param library     the library
 * @param compartment its compartment; for a {@linkplain Library#perCompartment() per-compartment} library, the one
 *                    the configuration names, although every compartment gets an instance
 * @param harden      its hardening options
 * @param metadata    its declared behaviour
 */
public record PlannedLibrary(Library library, String compartment, List<HardeningOption> harden, LibraryMetadata metadata) {

    public PlannedLibrary {
        harden = List.copyOf(harden);
    }

    public String name() {
        return library.name();
    }
}
