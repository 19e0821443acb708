package flexos.explore.order;

import flexos.explore.space.Configuration;

/**
 * The partial safety order of SPEC §7. {@code a} is at least as safe as {@code b} when
 * <ol>
 *   <li>every pair of libraries separated in {@code b} is separated in {@code a} by at least as much (see
 *       {@link MechanismStrength#separation}: what either side's mechanism stops), and</li>
 *   <li>every library's hardening set in {@code a} contains its set in {@code b}.</li>
 * </ol>
 * It is a preorder on configurations: two different configurations can be equally safe (two layouts whose
 * compartments all use {@code fcall} separate nothing). Renumbered compartments are already one
 * {@link Configuration}.
 */
public final class SafetyOrder {

    /** How two configurations compare. */
    public enum Comparison {
        /** Each is at least as safe as the other. */
        EQUAL,
        /** The first is strictly safer. */
        SAFER,
        /** The first is strictly less safe. */
        LESS_SAFE,
        /** Neither is at least as safe as the other. */
        INCOMPARABLE
    }

    private final MechanismStrength strength;

    public SafetyOrder(MechanismStrength strength) {
        this.strength = strength;
    }

    /** The order with the standard strength order. */
    public static SafetyOrder standard() {
        return new SafetyOrder(MechanismStrength.standard());
    }

    public MechanismStrength strength() {
        return strength;
    }

    /** Whether {@code a} is at least as safe as {@code b}; both must be over the same libraries. */
    public boolean atLeastAsSafe(Configuration a, Configuration b) {
        if (!a.libraries().equals(b.libraries())) {
            throw new IllegalArgumentException("cannot compare configurations over different libraries: "
                    + a.libraries() + " and " + b.libraries());
        }
        int n = a.libraries().size();
        for (int i = 0; i < n; i++) {
            if (!a.hardening().get(i).containsAll(b.hardening().get(i))) {
                return false;
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (!separation(a, i, j).containsAll(separation(b, i, j))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether {@code a} is strictly safer than {@code b}. */
    public boolean safer(Configuration a, Configuration b) {
        return atLeastAsSafe(a, b) && !atLeastAsSafe(b, a);
    }

    public Comparison compare(Configuration a, Configuration b) {
        boolean ab = atLeastAsSafe(a, b);
        boolean ba = atLeastAsSafe(b, a);
        if (ab && ba) {
            return Comparison.EQUAL;
        }
        if (ab) {
            return Comparison.SAFER;
        }
        return ba ? Comparison.LESS_SAFE : Comparison.INCOMPARABLE;
    }

    private java.util.Set<String> separation(Configuration c, int i, int j) {
        return strength.separation(c.compartmentAt(i) == c.compartmentAt(j), c.mechanismAt(i), c.mechanismAt(j));
    }
}
