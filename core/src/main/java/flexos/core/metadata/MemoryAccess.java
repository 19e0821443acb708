package flexos.core.metadata;

import java.util.Set;

/** The {@code [Memory access]} clause: which memory a library reads and which it writes. */
public record MemoryAccess(Set<MemoryScope> reads, Set<MemoryScope> writes) {

    public MemoryAccess {
        reads = Set.copyOf(reads);
        writes = Set.copyOf(writes);
    }

    /** Whether the library may write memory that belongs to other libraries ({@code Write(*)}). */
    public boolean writesAll() {
        return writes.contains(MemoryScope.ALL);
    }

    /** Whether the library may read memory that belongs to other libraries ({@code Read(*)}). */
    public boolean readsAll() {
        return reads.contains(MemoryScope.ALL);
    }
}
