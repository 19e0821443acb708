package flexos.analyze;

import flexos.core.metadata.LibraryMetadata;
import flexos.core.metadata.MemoryAccess;
import flexos.core.metadata.MemoryScope;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * DFI/ASAN as a metadata transformation: {@code Write(*)} becomes {@code Write(Own)} (keeping {@code Shared} when it
 * was declared too), because the hardened library's writes are checked against its own allocator's memory.
 * Candidates are the libraries that write all memory.
 */
public final class AsanTransformation implements MetadataTransformation {

    @Override
    public String name() {
        return "asan";
    }

    @Override
    public Optional<LibraryMetadata> apply(LibraryMetadata library) {
        if (!library.memoryAccess().writesAll()) {
            return Optional.empty();
        }
        Set<MemoryScope> writes = EnumSet.copyOf(library.memoryAccess().writes());
        writes.remove(MemoryScope.ALL);
        writes.add(MemoryScope.OWN);
        return Optional.of(library.withMemoryAccess(new MemoryAccess(library.memoryAccess().reads(), writes)));
    }
}
