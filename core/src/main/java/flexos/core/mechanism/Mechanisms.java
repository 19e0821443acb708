package flexos.core.mechanism;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The mechanisms an image can use, by name: the {@link Mechanism} services found on the module or class path. */
public final class Mechanisms {

    private final Map<String, Mechanism> byName;

    private Mechanisms(Collection<Mechanism> mechanisms) {
        Map<String, Mechanism> named = new TreeMap<>();
        for (Mechanism mechanism : mechanisms) {
            Mechanism clash = named.putIfAbsent(mechanism.name(), mechanism);
            if (clash != null) {
                throw new IllegalStateException("two mechanisms are named " + mechanism.name() + ": "
                        + clash.getClass().getName() + " and " + mechanism.getClass().getName());
            }
        }
        this.byName = Map.copyOf(named);
    }

    /** The mechanisms of this build: every {@code provides flexos.core.mechanism.Mechanism}, loaded once. */
    public static Mechanisms builtIn() {
        return Discovered.ALL;
    }

    /** Exactly these mechanisms (tests that want a smaller vocabulary). */
    public static Mechanisms of(Collection<Mechanism> mechanisms) {
        return new Mechanisms(mechanisms);
    }

    public Optional<Mechanism> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * The mechanism named {@code name}, for code that builds configurations itself.
     *
     * @throws IllegalArgumentException if there is none, naming the ones there are
     */
    public Mechanism named(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(
                "no mechanism named " + name + " (this build has: " + names() + ")"));
    }

    /** The names, sorted. */
    public Set<String> names() {
        return new TreeSet<>(byName.keySet());
    }

    /** The mechanisms, sorted by name. */
    public List<Mechanism> all() {
        return byName.values().stream().sorted(java.util.Comparator.comparing(Mechanism::name)).toList();
    }

    /** Loaded on first use: a mechanism's instance is shared by every image of the JVM. */
    private static final class Discovered {
        static final Mechanisms ALL = new Mechanisms(ServiceLoader.load(Mechanism.class, Mechanism.class.getClassLoader())
                .stream().map(ServiceLoader.Provider::get).toList());
    }
}
