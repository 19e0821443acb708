package flexos.analyze;

import flexos.core.metadata.LibraryMetadata;
import java.util.Optional;

/**
 * An SFI hardening seen as a metadata transformation (SPEC §6): a hardened library behaves as if its metadata were
 * the transformed one.
 */
public interface MetadataTransformation {

    /** The hardening option's name in an image configuration ({@code cfi}, {@code asan}). */
    String name();

    /**
     * The metadata of {@code library} hardened with this option, or empty when the option does not change it (the
     * library is not a candidate) or cannot be applied (see {@link #whyNot(LibraryMetadata)}).
     */
    Optional<LibraryMetadata> apply(LibraryMetadata library);

    /** Why a library that would be a candidate cannot be hardened, or empty. */
    default Optional<String> whyNot(LibraryMetadata library) {
        return Optional.empty();
    }
}
