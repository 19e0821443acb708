package flexos.analyze;

import flexos.core.metadata.LibraryMetadata;
import java.util.List;

/** Decides whether two libraries may share a compartment, and if not, says why. */
public interface Compatibility {

    /** Every reason why {@code a} and {@code b} may not share a compartment; empty when they may. Symmetric. */
    List<Conflict> conflicts(LibraryMetadata a, LibraryMetadata b);
}
