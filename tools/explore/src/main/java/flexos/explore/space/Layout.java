package flexos.explore.space;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A partition of libraries into compartments, without mechanisms or hardening: {@code redis libc | sched | net}.
 *
 * @param compartments the groups of libraries, each non-empty; together they hold every library once
 */
public record Layout(List<List<String>> compartments) {

    public Layout {
        compartments = compartments.stream().map(List::copyOf).toList();
        Set<String> seen = new HashSet<>();
        for (List<String> group : compartments) {
            if (group.isEmpty()) {
                throw new IllegalArgumentException("a compartment of a layout is empty");
            }
            for (String library : group) {
                if (!seen.add(library)) {
                    throw new IllegalArgumentException("library " + library + " is in two compartments of a layout");
                }
            }
        }
    }

    /**
     * Reads {@code redis libc | sched | net}: compartments separated by {@code |}, libraries by spaces or commas.
     */
    public static Layout parse(String text) {
        List<List<String>> groups = new ArrayList<>();
        for (String part : text.split("\\|")) {
            String trimmed = part.trim();
            if (trimmed.isEmpty()) {
                throw new IllegalArgumentException("layout '" + text
                        + "' has an empty compartment; write libraries separated by spaces, compartments by |");
            }
            groups.add(List.of(trimmed.split("[\\s,]+")));
        }
        return new Layout(groups);
    }

    /** The compartment index (0-based) of each library of {@code libraries}, or -1 if it is not placed. */
    int[] labels(List<String> libraries) {
        int[] labels = new int[libraries.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = -1;
            for (int g = 0; g < compartments.size(); g++) {
                if (compartments.get(g).contains(libraries.get(i))) {
                    labels[i] = g;
                }
            }
        }
        return labels;
    }

    @Override
    public String toString() {
        return String.join(" | ", compartments.stream().map(g -> String.join(" ", g)).toList());
    }
}
