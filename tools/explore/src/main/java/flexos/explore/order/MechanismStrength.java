package flexos.explore.order;

import java.util.List;

/**
 * How strongly each mechanism separates compartments, weakest first. The weakest mechanism is "no separation"
 * (by default {@code fcall}: its gates are direct calls).
 *
 * <p>Two libraries in different compartments are separated as strongly as the stronger of their two compartments'
 * mechanisms, because the boundary is enforced by whichever side has a mechanism: a {@code process} compartment is
 * in its own address space whatever its neighbour uses. Two compartments that both use the weakest mechanism are
 * not separated at all (SPEC §7).
 *
 * @param weakestFirst the mechanisms, weakest first, each once
 */
public record MechanismStrength(List<String> weakestFirst) {

    public MechanismStrength {
        weakestFirst = List.copyOf(weakestFirst);
        if (weakestFirst.isEmpty() || java.util.Set.copyOf(weakestFirst).size() != weakestFirst.size()) {
            throw new IllegalArgumentException("the strength order must list each mechanism once: " + weakestFirst);
        }
    }

    /** {@code fcall < module < mpk < process}. */
    public static MechanismStrength standard() {
        return new MechanismStrength(List.of("fcall", "module", "mpk", "process"));
    }

    /** Reads {@code fcall<module<mpk<process}. */
    public static MechanismStrength parse(String text) {
        return new MechanismStrength(List.of(text.trim().split("\\s*<\\s*")));
    }

    /**
     * The strength of {@code mechanism}: 0 for the weakest.
     *
     * @throws IllegalArgumentException for a mechanism the order does not list
     */
    public int of(String mechanism) {
        int s = weakestFirst.indexOf(mechanism);
        if (s < 0) {
            throw new IllegalArgumentException("mechanism " + mechanism + " is not in the strength order "
                    + String.join(" < ", weakestFirst) + "; add it with --strength");
        }
        return s;
    }

    /**
     * How strongly two libraries are separated: 0 when they share a compartment or both compartments use the
     * weakest mechanism, otherwise the stronger mechanism's strength.
     */
    public int separation(boolean sameCompartment, String mechanismA, String mechanismB) {
        return sameCompartment ? 0 : Math.max(of(mechanismA), of(mechanismB));
    }
}
