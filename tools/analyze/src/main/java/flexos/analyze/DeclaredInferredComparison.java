package flexos.analyze;

import flexos.analyze.bytecode.InferredBehaviour;
import flexos.core.metadata.ApiFunction;
import flexos.core.metadata.CallPolicy;
import flexos.core.metadata.FunctionRef;
import flexos.core.metadata.HostCapabilities;
import flexos.core.metadata.HostCapability;
import flexos.core.metadata.LibraryMetadata;
import flexos.core.metadata.LocatedMetadata;
import flexos.core.metadata.MetadataParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares a library's declared metadata with what its bytecode shows (SPEC §6): the calls it makes, whether it
 * reaches all memory (native access or Unsafe means {@code Read(*); Write(*)}, a memory-safe library is
 * {@code Read(Own, Shared); Write(Own, Shared)} at most), and the functions of its API interfaces. Every mismatch is
 * a warning; {@code --strict} makes them errors.
 */
public final class DeclaredInferredComparison {

    private DeclaredInferredComparison() {
    }

    /**
     * @param apiMethods the method names of the API interfaces the library exports
     */
    public static List<Finding> compare(LocatedMetadata declared, InferredBehaviour inferred, Set<String> apiMethods) {
        LibraryMetadata meta = declared.metadata();
        String name = meta.library();
        List<Finding> findings = new ArrayList<>();

        switch (meta.calls()) {
            case CallPolicy.Anything anything -> findings.add(warning(name, declared.whereClause(MetadataParser.CALL),
                    name + " declares [Call] * but its bytecode calls only " + listOrNothing(inferred.calls().keySet())
                            + "; list exactly those"));
            case CallPolicy.Only only -> {
                for (var call : inferred.calls().entrySet()) {
                    if (!only.functions().contains(call.getKey())) {
                        findings.add(warning(name, declared.whereClause(MetadataParser.CALL), name + " calls "
                                + call.getKey() + " (in " + call.getValue() + ") but its [Call] does not list it"));
                    }
                }
                for (FunctionRef ref : only.functions()) {
                    if (!inferred.calls().containsKey(ref)) {
                        findings.add(warning(name, declared.where(ref), name + " declares [Call] " + ref
                                + " but its bytecode never calls it"));
                    }
                }
            }
        }

        boolean declaresAll = meta.memoryAccess().readsAll() || meta.memoryAccess().writesAll();
        if (inferred.reachesAllMemory() && !(meta.memoryAccess().readsAll() && meta.memoryAccess().writesAll())) {
            List<String> uses = new ArrayList<>(inferred.nativeAccess());
            uses.addAll(inferred.unsafe());
            findings.add(warning(name, declared.whereClause(MetadataParser.MEMORY_ACCESS), name + " uses "
                    + (uses.size() > 3 ? uses.subList(0, 3) + " and " + (uses.size() - 3) + " more" : uses)
                    + ", which reaches all memory, but does not declare Read(*); Write(*)"));
        } else if (!inferred.reachesAllMemory() && declaresAll) {
            findings.add(warning(name, declared.whereClause(MetadataParser.MEMORY_ACCESS), name + " declares "
                    + "access to all memory (*) but its bytecode uses neither native access nor Unsafe; a memory-safe "
                    + "library declares Read(Own, Shared); Write(Own, Shared)"));
        }

        findings.addAll(compareHost(declared, inferred));

        Set<String> declaredApi = new TreeSet<>();
        meta.api().stream().map(ApiFunction::name).forEach(declaredApi::add);
        Set<String> missing = new TreeSet<>(apiMethods);
        missing.removeAll(declaredApi);
        Set<String> extra = new TreeSet<>(declaredApi);
        extra.removeAll(apiMethods);
        if (!missing.isEmpty()) {
            findings.add(warning(name, declared.whereClause(MetadataParser.API), name + "'s API interfaces have "
                    + missing + " but its [API] does not list them"));
        }
        if (!extra.isEmpty()) {
            findings.add(warning(name, declared.whereClause(MetadataParser.API), name + "'s [API] lists " + extra
                    + " but no API interface it exports has such a method"));
        }
        return findings;
    }

    /**
     * The {@code [Host]} clause against the capabilities the bytecode needs in a {@code module} compartment: a
     * needed capability that is not declared (the compartment would refuse the member), a declared one the code
     * never needs, and a reference no capability allows. Warnings like every mismatch ({@code --strict} makes them
     * errors); {@code flexos build} refuses an image with the first and the last.
     */
    static List<Finding> compareHost(LocatedMetadata declared, InferredBehaviour inferred) {
        LibraryMetadata meta = declared.metadata();
        String name = meta.library();
        List<Finding> findings = new ArrayList<>();
        var where = declared.whereClause(MetadataParser.HOST);
        Set<String> neededKinds = new TreeSet<>();
        // A capability used only by code compiled into the library's module from elsewhere (LuaJ in lua) is used.
        inferred.reachableCapabilities().forEach(c -> neededKinds.add(kind(c)));
        for (var use : inferred.hostUses().entrySet()) {
            String capability = use.getKey();
            neededKinds.add(kind(capability));
            if (!declares(meta.host(), capability)) {
                findings.add(warning(name, where, name + " uses " + use.getValue()
                        + ", which needs [Host] " + capability + ", but its [Host] clause does not declare it"
                        + " (a module compartment refuses it)"));
            }
        }
        if (!inferred.hostUses().isEmpty() || !inferred.unconfined().isEmpty() || !meta.host().declared().isEmpty()) {
            for (HostCapability capability : meta.host().declared()) {
                String kind = capability.syntax().replaceAll("\\(.*", "");
                if (!neededKinds.contains(kind)) {
                    findings.add(warning(name, where, name + " declares [Host] " + capability.syntax()
                            + " but its bytecode uses nothing that needs it"));
                }
            }
        }
        for (String refused : inferred.unconfined()) {
            findings.add(warning(name, where, name + " refers to " + refused
                    + "; no [Host] capability allows it"));
        }
        return findings;
    }

    private static String kind(String capability) {
        int paren = capability.indexOf('(');
        return paren < 0 ? capability : capability.substring(0, paren);
    }

    private static boolean declares(HostCapabilities host, String capability) {
        return switch (capability) {
            case "Sockets(listen)" -> host.allows(HostCapability.Sockets.Use.LISTEN);
            case "Sockets(connect)" -> host.allows(HostCapability.Sockets.Use.CONNECT);
            default -> host.declared().stream().anyMatch(c -> kind(c.syntax()).equals(capability));
        };
    }

    private static String listOrNothing(Set<FunctionRef> calls) {
        return calls.isEmpty() ? "nothing" : calls.stream().map(FunctionRef::toString).toList().toString();
    }

    private static Finding warning(String library, flexos.core.metadata.SourceLocation where, String message) {
        return new Finding(Finding.Severity.WARNING, library, where, message);
    }

}
