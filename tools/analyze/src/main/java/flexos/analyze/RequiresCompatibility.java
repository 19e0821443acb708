package flexos.analyze;

import flexos.core.metadata.CallPolicy;
import flexos.core.metadata.FunctionRef;
import flexos.core.metadata.LibraryMetadata;
import flexos.core.metadata.MemoryAccess;
import flexos.core.metadata.MemoryScope;
import flexos.core.metadata.Permission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The compatibility relation of SPEC §6: two libraries may share a compartment when neither has a
 * {@code [Requires]} clause, or when each one's behaviour stays within what the other's {@code [Requires]} allows
 * to libraries of its compartment.
 *
 * <p>How behaviour meets a requirement:
 * <ul>
 *   <li>{@code Read(Own)}/{@code Write(Own)} of the other library touch only that library's own memory: always fine.
 *   <li>{@code Read(Shared)}/{@code Write(Shared)} touch the shared memory, so they need {@code *(Read, Shared)}
 *       or {@code *(Write, Shared)}.
 *   <li>{@code Read(*)}/{@code Write(*)} touch both the own and the shared memory of the guarded library. A
 *       {@code [Host]} capability that reaches the process's memory (files under {@code /proc} or {@code /dev},
 *       processes, management, native access) counts as {@code Read(*)} and/or {@code Write(*)}
 *       ({@link LibraryMetadata#effectiveMemoryAccess()}), whatever the {@code [Memory access]} clause says.
 *   <li>A permission to write a scope also allows reading it: a neighbour that may overwrite data may see it.
 *       {@code Read, *} and {@code Write, *} cover both {@code Own} and {@code Shared}.
 *   <li>{@code [Call] lib::fn} naming the guarded library needs {@code *(Call, fn)} or {@code *(Call, *)};
 *       {@code [Call] *} may call anything, so it needs {@code *(Call, *)}.
 * </ul>
 * A permission applies to a neighbour when its subject is {@code *} or the neighbour's name.
 */
public final class RequiresCompatibility implements Compatibility {

    @Override
    public List<Conflict> conflicts(LibraryMetadata a, LibraryMetadata b) {
        List<Conflict> conflicts = new ArrayList<>();
        violations(a, b, conflicts);
        violations(b, a, conflicts);
        return conflicts;
    }

    private static void violations(LibraryMetadata guarded, LibraryMetadata offender, List<Conflict> into) {
        if (guarded.requires().isEmpty()) {
            return;
        }
        List<Permission> granted = guarded.requires().get().stream()
                .filter(p -> p.subject().equals("*") || p.subject().equals(offender.library()))
                .toList();
        MemoryAccess effective = offender.effectiveMemoryAccess();
        memory(guarded, offender, granted, Permission.Action.READ, effective.reads(), into);
        memory(guarded, offender, granted, Permission.Action.WRITE, effective.writes(), into);
        calls(guarded, offender, granted, into);
    }

    private static void memory(LibraryMetadata guarded, LibraryMetadata offender, List<Permission> granted,
            Permission.Action action, Set<MemoryScope> scopes, List<Conflict> into) {
        String verb = action == Permission.Action.READ ? "read" : "write";
        String clause = action == Permission.Action.READ ? "Read" : "Write";
        for (MemoryScope scope : List.of(MemoryScope.ALL, MemoryScope.SHARED)) {
            if (!scopes.contains(scope)) {
                continue;
            }
            List<MemoryScope> touched = scope == MemoryScope.ALL
                    ? List.of(MemoryScope.OWN, MemoryScope.SHARED) : List.of(MemoryScope.SHARED);
            for (MemoryScope target : touched) {
                if (scope == MemoryScope.ALL && target == MemoryScope.SHARED && scopes.contains(MemoryScope.SHARED)) {
                    continue; // reported once, under Shared
                }
                if (!allowsMemory(granted, action, target)) {
                    String what = scope == MemoryScope.ALL ? verb + "s all memory" : verb + "s shared memory";
                    into.add(new Conflict(guarded.library(), offender.library(),
                            offender.library() + " " + what + " (" + clause + "(" + scope.syntax() + ")"
                                    + throughHost(offender, action, scope) + "), but "
                                    + guarded.library() + " requires others not to " + verb + " its "
                                    + target.syntax() + " memory (" + grantedText(guarded, granted) + ")"));
                }
            }
        }
    }

    /** Why {@code scope} is reached through a host capability rather than declared; empty when declared. */
    private static String throughHost(LibraryMetadata offender, Permission.Action action, MemoryScope scope) {
        Set<MemoryScope> declared = action == Permission.Action.READ ? offender.memoryAccess().reads()
                : offender.memoryAccess().writes();
        if (scope != MemoryScope.ALL || declared.contains(MemoryScope.ALL)) {
            return "";
        }
        return offender.host().memoryReach().stream()
                .filter(r -> action == Permission.Action.READ ? r.reads() : r.writes())
                .map(r -> " through its [Host] clause: " + r.why())
                .findFirst().orElse("");
    }

    private static boolean allowsMemory(List<Permission> granted, Permission.Action action, MemoryScope target) {
        for (Permission p : granted) {
            boolean coversAction = p.action() == action
                    || (action == Permission.Action.READ && p.action() == Permission.Action.WRITE);
            if (coversAction && (p.object().equals("*") || p.object().equals(target.syntax()))) {
                return true;
            }
        }
        return false;
    }

    private static void calls(LibraryMetadata guarded, LibraryMetadata offender, List<Permission> granted,
            List<Conflict> into) {
        boolean callsAnything = granted.stream()
                .anyMatch(p -> p.action() == Permission.Action.CALL && p.object().equals("*"));
        if (callsAnything) {
            return;
        }
        switch (offender.calls()) {
            case CallPolicy.Anything anything -> into.add(new Conflict(guarded.library(), offender.library(),
                    offender.library() + " may call anything ([Call] *), but " + guarded.library()
                            + " allows others to call " + callableText(granted)));
            case CallPolicy.Only only -> {
                for (FunctionRef ref : only.functions()) {
                    if (ref.library().equals(guarded.library()) && granted.stream().noneMatch(p ->
                            p.action() == Permission.Action.CALL && p.object().equals(ref.function()))) {
                        into.add(new Conflict(guarded.library(), offender.library(),
                                offender.library() + " calls " + ref + ", but " + guarded.library()
                                        + " allows others to call " + callableText(granted)));
                    }
                }
            }
        }
    }

    private static String callableText(List<Permission> granted) {
        List<String> callable = granted.stream().filter(p -> p.action() == Permission.Action.CALL)
                .map(Permission::object).toList();
        return callable.isEmpty() ? "none of its functions" : "only " + String.join(", ", callable);
    }

    private static String grantedText(LibraryMetadata guarded, List<Permission> granted) {
        List<String> memory = granted.stream().filter(p -> p.action() != Permission.Action.CALL)
                .map(Permission::toString).toList();
        return "its [Requires] allows " + (memory.isEmpty() ? "no memory access" : "only " + String.join(", ", memory));
    }
}
