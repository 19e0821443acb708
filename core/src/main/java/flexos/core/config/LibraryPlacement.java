package flexos.core.config;

import flexos.core.hardening.HardeningOption;
import flexos.core.metadata.SourceLocation;
import java.util.List;

/**
 * Where one library goes and how it is hardened. A library the configuration does not list is placed in the
 * default compartment with no hardening.
 *
 * @param library     the library's name
 * @param compartment the compartment's name
 * @param harden      the hardening options, in the order written, each at most once
 * @param where       where the entry starts in the configuration file, or {@code null} for an implicit placement
 */
public record LibraryPlacement(String library, String compartment, List<HardeningOption> harden, SourceLocation where) {

    public LibraryPlacement {
        harden = List.copyOf(harden);
        if (harden.stream().distinct().count() != harden.size()) {
            throw new IllegalArgumentException("library " + library + " lists a hardening option twice: " + harden);
        }
    }
}
