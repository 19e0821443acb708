package flexos.explore.profile;

import flexos.explore.space.HardeningMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an application says about exploring its images: which libraries the layouts place and the letters that
 * write them, which libraries stay together by default, the mechanisms of split layouts and of the one-compartment
 * layout, named hardening spaces (what "hardened" means per library), and the workload that measures an image.
 * An application ships it as data in its own folder ({@code <app>.explore.yaml}, on its module as
 * {@code META-INF/flexos/<app>.explore.yaml}), so that exploring a new application needs no change to the
 * {@code flexos} command. {@link ProfileReader} reads it.
 *
 * @param application       the application library
 * @param letters           each placed library's letter, in the notation's (and the image's) order
 * @param together          groups of libraries kept in one compartment when the layouts are every partition
 * @param mechanisms        the mechanisms each compartment of a split layout takes
 * @param singleCompartment the mechanism of the one-compartment layout
 * @param spaces            named hardening spaces; {@link #DEFAULT_SPACE} is the default, {@link #FULL_SPACE} the
 *                          one {@code --full} picks
 * @param workload          how to load a running image
 */
public record ExplorationProfile(String application, Map<Character, String> letters, List<Set<String>> together,
                                 List<String> mechanisms, String singleCompartment, Map<String, Space> spaces,
                                 WorkloadSpec workload) {

    /** The space explored unless another is named. */
    public static final String DEFAULT_SPACE = "quick";

    /** The space {@code --full} names. */
    public static final String FULL_SPACE = "full";

    public ExplorationProfile {
        letters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(letters));
        together = together.stream().map(Set::copyOf).toList();
        mechanisms = List.copyOf(mechanisms);
        spaces = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(spaces));
    }

    /**
     * A named hardening space.
     *
     * @param description one line for {@code --help} and the report
     * @param hardening   what "hardened" means for each library that the space hardens
     */
    public record Space(String description, HardeningMap hardening) {
    }

    /**
     * The workload: a client that {@code flexos.explore.measure.Workloads} knows, with its fixed arguments.
     *
     * @param client    the client's kind and default executable, e.g. {@code redis-benchmark}
     * @param arguments the client's arguments besides host, port and request count
     * @param metrics   the metrics it reports, in the unit budgets are written in
     */
    public record WorkloadSpec(String client, List<String> arguments, List<String> metrics) {
        public WorkloadSpec {
            arguments = List.copyOf(arguments);
            metrics = List.copyOf(metrics);
        }
    }

    /** The placed libraries, in order. */
    public List<String> libraries() {
        return List.copyOf(letters.values());
    }

    /**
     * The space called {@code name}.
     *
     * @throws IllegalArgumentException naming the spaces the profile has
     */
    public Space space(String name) {
        Space space = spaces.get(name);
        if (space == null) {
            throw new IllegalArgumentException("the " + application + " profile has no space '" + name
                    + "'; it has " + spaces.keySet());
        }
        return space;
    }
}
