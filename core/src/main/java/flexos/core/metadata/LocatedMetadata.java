package flexos.core.metadata;

import java.util.Map;

/**
 * Parsed metadata together with where each part was written, so that later checks (for example a {@code [Call]}
 * naming a function the callee does not export) can report {@code file:line:col} like the parser does.
 *
 * @param metadata    the parsed metadata
 * @param clauses     where each clause header starts, by clause name ({@code "Memory access"}, {@code "Call"}, ...)
 * @param calls       where each {@code lib::fn} of the {@code [Call]} clause is written
 * @param permissions where each permission of the {@code [Requires]} clause is written
 * @param host        where each capability of the {@code [Host]} clause is written, by its name ({@code "Sockets"})
 */
public record LocatedMetadata(
        LibraryMetadata metadata,
        Map<String, SourceLocation> clauses,
        Map<FunctionRef, SourceLocation> calls,
        Map<Permission, SourceLocation> permissions,
        Map<String, SourceLocation> host) {

    public LocatedMetadata {
        clauses = Map.copyOf(clauses);
        calls = Map.copyOf(calls);
        permissions = Map.copyOf(permissions);
        host = Map.copyOf(host);
    }

    /** Where host capability {@code name} ({@code "Sockets"}) is written, or failing that the clause, or the file. */
    public SourceLocation whereHost(String name) {
        return host.getOrDefault(name, clauses.getOrDefault(MetadataParser.HOST, metadata.source()));
    }

    /** Where {@code call} is written, or failing that the {@code [Call]} clause, or the file. */
    public SourceLocation where(FunctionRef call) {
        return calls.getOrDefault(call, clauses.getOrDefault(MetadataParser.CALL, metadata.source()));
    }

    /** Where {@code permission} is written, or failing that the {@code [Requires]} clause, or the file. */
    public SourceLocation where(Permission permission) {
        return permissions.getOrDefault(permission, clauses.getOrDefault(MetadataParser.REQUIRES, metadata.source()));
    }

    /** Where clause {@code name} starts, or the file when it is absent. */
    public SourceLocation whereClause(String name) {
        return clauses.getOrDefault(name, metadata.source());
    }
}
