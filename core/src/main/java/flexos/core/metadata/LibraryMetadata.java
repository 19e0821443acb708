package flexos.core.metadata;

import java.util.List;
import java.util.Optional;

/**
 * A library's declared behaviour in the metadata language of SPEC §6 (seed 003 §2).
 *
 * @param library      the library's name (the metadata file's base name)
 * @param memoryAccess the {@code [Memory access]} clause
 * @param calls        the {@code [Call]} clause
 * @param api          the {@code [API]} clause
 * @param requires     the {@code [Requires]} clause; empty when the library requires nothing of its neighbours
 * @param source       where the metadata was read from
 */
public record LibraryMetadata(
        String library,
        MemoryAccess memoryAccess,
        CallPolicy calls,
        List<ApiFunction> api,
        Optional<List<Permission>> requires,
        SourceLocation source) {

    public LibraryMetadata {
        api = List.copyOf(api);
        requires = requires.map(List::copyOf);
    }
}
