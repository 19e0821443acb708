package flexos.explore.space;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Generates the configurations of an image: layouts (an explicit list, or every set partition of the libraries
 * that keeps the required groups together and stays within a compartment limit) × a mechanism per compartment ×
 * a hardening subset per library. Configurations equal up to compartment numbering appear once, because
 * {@link Configuration} is canonical.
 *
 * <p>Mechanisms and hardening options are plain names: the space does not know which ones the build implements or
 * which library can take which option. The caller checks that every generated configuration builds before
 * measuring ({@code flexos explore} plans each one and refuses the space with the build's error).
 *
 * <p>A layout of one compartment separates nothing whatever its mechanism, so a separating mechanism there would
 * only cost: {@link #singleCompartmentMechanism} gives that layout one mechanism of its own (the paper's shape:
 * the one-compartment layout runs unisolated, every split layout under the isolation mechanism).
 */
public final class ConfigurationSpace {

    /** Refuses spaces larger than this: a user who asks for them almost certainly mistyped an option. */
    public static final int LIMIT = 200_000;

    private final List<String> libraries;
    private final List<Layout> layouts = new ArrayList<>();
    private boolean allPartitions;
    private final List<Set<String>> together = new ArrayList<>();
    private int maxCompartments = Integer.MAX_VALUE;
    private List<String> mechanisms = List.of("fcall");
    private String singleCompartmentMechanism;
    private final Map<String, List<SortedSet<String>>> hardeningChoices = new LinkedHashMap<>();

    private ConfigurationSpace(List<String> libraries) {
        this.libraries = List.copyOf(libraries);
        for (String library : libraries) {
            hardeningChoices.put(library, List.of(new TreeSet<>()));
        }
    }

    /** A space over {@code libraries}, in this order; by default one layout per call to {@link #layout}. */
    public static ConfigurationSpace of(List<String> libraries) {
        return new ConfigurationSpace(libraries);
    }

    /** Adds one explicit layout; libraries it does not name go to its first compartment. */
    public ConfigurationSpace layout(Layout layout) {
        for (List<String> group : layout.compartments()) {
            for (String library : group) {
                requireLibrary(library);
            }
        }
        layouts.add(layout);
        return this;
    }

    /** Uses every set partition of the libraries instead of explicit layouts. */
    public ConfigurationSpace allPartitions() {
        allPartitions = true;
        return this;
    }

    /** Keeps these libraries in one compartment (applies to {@link #allPartitions()}). */
    public ConfigurationSpace together(Collection<String> group) {
        group.forEach(this::requireLibrary);
        together.add(Set.copyOf(group));
        return this;
    }

    /** At most {@code n} compartments (applies to {@link #allPartitions()}). */
    public ConfigurationSpace maxCompartments(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("the compartment limit must be at least 1, got " + n);
        }
        maxCompartments = n;
        return this;
    }

    /** Each compartment takes each of these mechanisms (default: {@code fcall} only). */
    public ConfigurationSpace mechanisms(List<String> choices) {
        if (choices.isEmpty()) {
            throw new IllegalArgumentException("at least one mechanism is needed");
        }
        mechanisms = List.copyOf(new LinkedHashSet<>(choices));
        return this;
    }

    /**
     * A layout of one compartment uses only {@code mechanism}, whatever {@link #mechanisms} offers the others
     * (default: the same choices as the others).
     */
    public ConfigurationSpace singleCompartmentMechanism(String mechanism) {
        singleCompartmentMechanism = mechanism;
        return this;
    }

    /**
     * Each library that {@code hardened} names is hardened or not (its set, or nothing); the others are never
     * hardened. Over 4 libraries that are all named: the paper's 16 hardening subsets.
     */
    public ConfigurationSpace hardened(HardeningMap hardened) {
        for (String library : hardened.libraries()) {
            requireLibrary(library);
        }
        for (String library : libraries) {
            SortedSet<String> set = hardened.of(library);
            hardeningChoices.put(library, set.isEmpty() ? List.of(new TreeSet<>()) : List.of(new TreeSet<>(), set));
        }
        return this;
    }

    /** Every library takes every subset of {@code options} (2^n choices each). */
    public ConfigurationSpace hardeningOptions(List<String> options) {
        for (String library : libraries) {
            hardeningOptions(library, options);
        }
        return this;
    }

    /** {@code library} takes every subset of {@code options}; other libraries keep their choices. */
    public ConfigurationSpace hardeningOptions(String library, List<String> options) {
        requireLibrary(library);
        List<String> distinct = List.copyOf(new LinkedHashSet<>(options));
        if (distinct.size() > 16) {
            throw new IllegalArgumentException("too many hardening options for " + library + ": " + distinct);
        }
        List<SortedSet<String>> subsets = new ArrayList<>();
        for (int mask = 0; mask < 1 << distinct.size(); mask++) {
            SortedSet<String> subset = new TreeSet<>();
            for (int b = 0; b < distinct.size(); b++) {
                if ((mask & 1 << b) != 0) {
                    subset.add(distinct.get(b));
                }
            }
            subsets.add(subset);
        }
        hardeningChoices.put(library, subsets);
        return this;
    }

    /** {@code library} takes exactly these hardening sets. */
    public ConfigurationSpace hardeningSets(String library, List<? extends Set<String>> sets) {
        requireLibrary(library);
        if (sets.isEmpty()) {
            throw new IllegalArgumentException("at least one hardening set is needed for " + library);
        }
        hardeningChoices.put(library, sets.stream().<SortedSet<String>>map(TreeSet::new).toList());
        return this;
    }

    /** The layouts this space uses, in generation order. */
    public List<Layout> layouts() {
        if (!allPartitions) {
            if (layouts.isEmpty()) {
                return List.of(new Layout(List.of(libraries)));
            }
            return List.copyOf(layouts);
        }
        List<Layout> out = new ArrayList<>();
        int n = libraries.size();
        int[] growth = new int[n];
        // Restricted growth strings enumerate each set partition exactly once.
        enumerate(growth, 1, 0, out);
        return out;
    }

    private void enumerate(int[] growth, int index, int highest, List<Layout> out) {
        if (index == growth.length || growth.length == 0) {
            if (highest + 1 <= maxCompartments && keepsTogether(growth)) {
                List<List<String>> groups = new ArrayList<>();
                for (int g = 0; g <= highest; g++) {
                    groups.add(new ArrayList<>());
                }
                for (int i = 0; i < growth.length; i++) {
                    groups.get(growth[i]).add(libraries.get(i));
                }
                out.add(new Layout(groups));
            }
            return;
        }
        for (int g = 0; g <= highest + 1; g++) {
            growth[index] = g;
            enumerate(growth, index + 1, Math.max(highest, g), out);
        }
    }

    private boolean keepsTogether(int[] growth) {
        for (Set<String> group : together) {
            int label = -1;
            for (String library : group) {
                int l = growth[libraries.indexOf(library)];
                if (label >= 0 && l != label) {
                    return false;
                }
                label = l;
            }
        }
        return true;
    }

    /** The number of configurations, without generating them. */
    public long size() {
        long hardening = 1;
        for (List<SortedSet<String>> choices : hardeningChoices.values()) {
            hardening *= choices.size();
        }
        long total = 0;
        for (Layout layout : layouts()) {
            total += (long) Math.pow(mechanismsFor(layout).size(), layout.compartments().size()) * hardening;
        }
        return total;
    }

    /** Every configuration of the space, each once, layouts first, then mechanisms, then hardening. */
    public List<Configuration> configurations() {
        long size = size();
        if (size > LIMIT) {
            throw new IllegalArgumentException("the space has " + size + " configurations, more than " + LIMIT
                    + "; fix some layouts, mechanisms or hardening options");
        }
        Set<Configuration> out = new LinkedHashSet<>();
        for (Layout layout : layouts()) {
            int[] labels = layout.labels(libraries);
            Map<String, Integer> labelOf = new HashMap<>();
            for (int i = 0; i < labels.length; i++) {
                labelOf.put(libraries.get(i), Math.max(labels[i], 0));
            }
            int k = layout.compartments().size();
            List<String> choices = mechanismsFor(layout);
            int[] choice = new int[k];
            do {
                Map<Integer, String> mechanismOf = new HashMap<>();
                for (int c = 0; c < k; c++) {
                    mechanismOf.put(c, choices.get(choice[c]));
                }
                Configuration base = Configuration.of(libraries, labelOf, mechanismOf, Map.of());
                addHardening(base, out);
            } while (next(choice, choices.size()));
        }
        return List.copyOf(out);
    }

    private List<String> mechanismsFor(Layout layout) {
        return layout.compartments().size() == 1 && singleCompartmentMechanism != null
                ? List.of(singleCompartmentMechanism) : mechanisms;
    }

    private void addHardening(Configuration base, Set<Configuration> out) {
        List<List<SortedSet<String>>> choices = libraries.stream().map(hardeningChoices::get).toList();
        int[] pick = new int[libraries.size()];
        int[] radix = choices.stream().mapToInt(List::size).toArray();
        do {
            List<Set<String>> sets = new ArrayList<>();
            for (int i = 0; i < pick.length; i++) {
                sets.add(choices.get(i).get(pick[i]));
            }
            out.add(base.withHardening(sets));
        } while (next(pick, radix));
    }

    private static boolean next(int[] digits, int radix) {
        for (int i = digits.length - 1; i >= 0; i--) {
            if (++digits[i] < radix) {
                return true;
            }
            digits[i] = 0;
        }
        return false;
    }

    private static boolean next(int[] digits, int[] radix) {
        for (int i = digits.length - 1; i >= 0; i--) {
            if (++digits[i] < radix[i]) {
                return true;
            }
            digits[i] = 0;
        }
        return false;
    }

    private void requireLibrary(String library) {
        if (!libraries.contains(library)) {
            throw new IllegalArgumentException("unknown library " + library + "; the libraries are " + libraries);
        }
    }
}
