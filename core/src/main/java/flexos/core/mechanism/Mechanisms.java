package flexos.core.mechanism;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The mechanisms this build implements, and the ones FlexOS-J plans but does not have yet. */
public final class Mechanisms {

    /** Mechanisms of SPEC §3 that this build does not implement; the configuration refuses them by name. */
    private static final Set<String> PLANNED = Set.of("process", "mpk");

    private final Map<String, Mechanism> implemented;

    private Mechanisms(List<Mechanism> mechanisms) {
        this.implemented = mechanisms.stream().collect(Collectors.toUnmodifiableMap(Mechanism::name, Function.identity()));
    }

    /** The mechanisms of this build. */
    public static Mechanisms builtIn() {
        return new Mechanisms(List.of(new FcallMechanism(), new ModuleMechanism(),
                new flexos.core.mechanism.process.ProcessMechanism()));
    }

    public Optional<Mechanism> find(String name) {
        return Optional.ofNullable(implemented.get(name));
    }

    public Set<String> implementedNames() {
        return new TreeSet<>(implemented.keySet());
    }

    public Set<String> plannedNames() {
        Set<String> planned = new TreeSet<>(PLANNED);
        planned.removeAll(implemented.keySet());
        return planned;
    }
}
