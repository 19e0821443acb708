package flexos.explore.order;

import flexos.core.mechanism.Mechanism;
import flexos.core.mechanism.Mechanisms;
import flexos.core.mechanism.ThreatClass;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How strongly each mechanism separates compartments: a partial order. A mechanism is at least as strong as another
 * when it stops everything the other stops. By default ({@link #standard()}) what a mechanism stops is what it claims
 * ({@link Mechanism#claims()}), which the attack suite checks against its rows: the exploration never ranks a
 * mechanism above what its rows prove. Two mechanisms with the same claims are equally strong; two whose claims are
 * not nested are incomparable.
 *
 * <p>Two libraries in different compartments are separated by everything either compartment's mechanism stops,
 * because the boundary is enforced by whichever side has a mechanism: a {@code process} compartment is in its own
 * address space whatever its neighbour uses. Two compartments whose mechanisms stop nothing ({@code fcall}) are not
 * separated at all (SPEC §7).
 */
public final class MechanismStrength {

    private final Map<String, Set<String>> stops;
    private final String description;

    private MechanismStrength(Map<String, Set<String>> stops, String description) {
        this.stops = Map.copyOf(stops);
        this.description = description;
    }

    /** What each mechanism of this build claims, checked by the attack suite. */
    public static MechanismStrength standard() {
        Map<String, Set<ThreatClass>> claims = new LinkedHashMap<>();
        for (Mechanism m : Mechanisms.builtIn().all()) {
            claims.put(m.name(), m.claims());
        }
        return fromClaims(claims);
    }

    /** The order of {@code claims}: a mechanism is at least as strong as another when its claims include the other's. */
    public static MechanismStrength fromClaims(Map<String, Set<ThreatClass>> claims) {
        Map<String, Set<String>> stops = new LinkedHashMap<>();
        List<String> parts = new ArrayList<>();
        claims.forEach((mechanism, classes) -> {
            Set<String> words = new TreeSet<>();
            classes.forEach(c -> words.add(c.word()));
            stops.put(mechanism, words);
            parts.add(mechanism + " stops " + (words.isEmpty() ? "nothing" : String.join(", ", words)));
        });
        return new MechanismStrength(stops, "by claims: " + String.join("; ", parts));
    }

    /**
     * Reads {@code claims} (the standard order) or a total order, weakest first: {@code fcall<module<mpk<process},
     * each mechanism once.
     *
     * @throws IllegalArgumentException for an order that lists a mechanism twice or none
     */
    public static MechanismStrength parse(String text) {
        if (text.trim().equals("claims")) {
            return standard();
        }
        List<String> weakestFirst = List.of(text.trim().split("\\s*<\\s*"));
        if (weakestFirst.isEmpty() || weakestFirst.stream().anyMatch(String::isEmpty)
                || Set.copyOf(weakestFirst).size() != weakestFirst.size()) {
            throw new IllegalArgumentException("the strength order must list each mechanism once: " + weakestFirst);
        }
        // A total order as nested sets: each mechanism stops what every weaker one stops, and one thing more.
        Map<String, Set<String>> stops = new LinkedHashMap<>();
        Set<String> below = new HashSet<>();
        for (String mechanism : weakestFirst) {
            stops.put(mechanism, Set.copyOf(below));
            below.add("above " + mechanism);
        }
        return new MechanismStrength(stops, String.join(" < ", weakestFirst));
    }

    /**
     * Checks that the order knows {@code mechanism}.
     *
     * @throws IllegalArgumentException for a mechanism the order does not list
     */
    public void requireKnown(String mechanism) {
        if (!stops.containsKey(mechanism)) {
            throw new IllegalArgumentException("mechanism " + mechanism + " is not in the strength order ("
                    + description + "); add it with --strength");
        }
    }

    /**
     * What separates two libraries: nothing when they share a compartment, otherwise everything either compartment's
     * mechanism stops.
     */
    public Set<String> separation(boolean sameCompartment, String mechanismA, String mechanismB) {
        requireKnown(mechanismA);
        requireKnown(mechanismB);
        if (sameCompartment) {
            return Set.of();
        }
        Set<String> both = new HashSet<>(stops.get(mechanismA));
        both.addAll(stops.get(mechanismB));
        return both;
    }

    /** Whether {@code a} is at least as strong as {@code b}. */
    public boolean atLeastAsStrong(String a, String b) {
        return separation(false, a, a).containsAll(separation(false, b, b));
    }

    @Override
    public String toString() {
        return description;
    }
}
