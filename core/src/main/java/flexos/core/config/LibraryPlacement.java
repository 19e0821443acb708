package flexos.core.config;

import flexos.core.metadata.SourceLocation;
import java.util.List;

/**
 * Where one library goes and how it is hardened. A library the configuration does not list is placed in the
 * default compartment with no hardening.
 *
 * @param library     the library's name
 * @param compartment the compartment's name
 * @param harden      the hardening options, in the order written
 * @param where       where the entry starts in the configuration file, or {@code null} for an implicit placement
 */
public record LibraryPlacement(String library, String compartment, List<String> harden, SourceLocation where) {

    public LibraryPlacement {
        harden = List.copyOf(harden);
    }
}
