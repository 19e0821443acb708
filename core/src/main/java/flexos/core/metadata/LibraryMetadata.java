package flexos.core.metadata;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A library's declared behaviour in the metadata language of SPEC §6 (seed 003 §2).
 *
 * @param library      the library's name (the metadata file's base name)
 * @param memoryAccess the {@code [Memory access]} clause
 * @param calls        the {@code [Call]} clause
 * @param api          the {@code [API]} clause
 * @param requires     the {@code [Requires]} clause; empty when the library requires nothing of its neighbours
 * @param host         the {@code [Host]} clause; {@link HostCapabilities#NONE} when absent
 * @param source       where the metadata was read from
 */
public record LibraryMetadata(
        String library,
        MemoryAccess memoryAccess,
        CallPolicy calls,
        List<ApiFunction> api,
        Optional<List<Permission>> requires,
        HostCapabilities host,
        SourceLocation source) {

    public LibraryMetadata {
        api = List.copyOf(api);
        requires = requires.map(List::copyOf);
        java.util.Objects.requireNonNull(host, "host");
    }

    /**
     * The memory the library can reach, counting its host capabilities: {@link #memoryAccess()} with {@code *}
     * added to the reads (writes) when a capability reads (writes) the whole process's memory
     * ({@link HostCapability#memoryReach()}). This, not the clause alone, is what compatibility is judged on.
     */
    public MemoryAccess effectiveMemoryAccess() {
        List<HostCapability.MemoryReach> reach = host.memoryReach();
        if (reach.isEmpty()) {
            return memoryAccess;
        }
        Set<MemoryScope> reads = scopes(memoryAccess.reads());
        Set<MemoryScope> writes = scopes(memoryAccess.writes());
        for (HostCapability.MemoryReach r : reach) {
            if (r.reads()) {
                reads.add(MemoryScope.ALL);
            }
            if (r.writes()) {
                writes.add(MemoryScope.ALL);
            }
        }
        return new MemoryAccess(reads, writes);
    }

    private static Set<MemoryScope> scopes(Set<MemoryScope> scopes) {
        return scopes.isEmpty() ? EnumSet.noneOf(MemoryScope.class) : EnumSet.copyOf(scopes);
    }

    /** This metadata with another {@code [Memory access]} clause (an SFI transformation's result). */
    public LibraryMetadata withMemoryAccess(MemoryAccess memory) {
        return new LibraryMetadata(library, memory, calls, api, requires, host, source);
    }

    /** This metadata with another {@code [Call]} clause (an SFI transformation's result). */
    public LibraryMetadata withCalls(CallPolicy newCalls) {
        return new LibraryMetadata(library, memoryAccess, newCalls, api, requires, host, source);
    }
}
