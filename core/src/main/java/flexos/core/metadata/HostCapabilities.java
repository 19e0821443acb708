package flexos.core.metadata;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A library's {@code [Host]} clause: the host capabilities it declares, in the order written, at most one of each
 * kind. {@link #NONE} when the clause is absent or empty: the library gets nothing from the host.
 */
public record HostCapabilities(List<HostCapability> declared) {

    public static final HostCapabilities NONE = new HostCapabilities(List.of());

    public HostCapabilities {
        declared = List.copyOf(declared);
        Set<Class<?>> kinds = new HashSet<>();
        for (HostCapability capability : declared) {
            if (!kinds.add(capability.getClass())) {
                throw new IllegalArgumentException("host capability declared twice: " + capability.syntax());
            }
        }
    }

    /** The declared capability of kind {@code kind}, if any. */
    public <T extends HostCapability> Optional<T> find(Class<T> kind) {
        return declared.stream().filter(kind::isInstance).map(kind::cast).findFirst();
    }

    /** Whether a capability of kind {@code kind} is declared. */
    public boolean has(Class<? extends HostCapability> kind) {
        return find(kind).isPresent();
    }

    /** Whether the library may use sockets for {@code use}. */
    public boolean allows(HostCapability.Sockets.Use use) {
        return find(HostCapability.Sockets.class).map(s -> s.uses().contains(use)).orElse(false);
    }

    /** The file grants, empty without a {@code Files} capability. */
    public List<HostCapability.FileGrant> fileGrants() {
        return find(HostCapability.Files.class).map(HostCapability.Files::grants).orElse(List.of());
    }

    /** How each declared capability that reaches the whole process's memory does so, in declaration order. */
    public List<HostCapability.MemoryReach> memoryReach() {
        List<HostCapability.MemoryReach> reach = new ArrayList<>();
        for (HostCapability capability : declared) {
            capability.memoryReach().ifPresent(reach::add);
        }
        return reach;
    }

    /** The clause's body as the metadata language writes it; empty for {@link #NONE}. */
    public String syntax() {
        return declared.stream().map(HostCapability::syntax).collect(Collectors.joining("; "));
    }
}
