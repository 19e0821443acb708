package flexos.analyze;

import java.util.List;

/**
 * The fewest compartments for a set of libraries.
 *
 * @param compartments the compartments, each a sorted list of library names; ordered by their first library
 * @param conflicts    every incompatible pair's reasons (the edges of the incompatibility graph)
 */
public record CompartmentPlan(List<List<String>> compartments, List<Conflict> conflicts) {

    public CompartmentPlan {
        compartments = compartments.stream().map(List::copyOf).toList();
        conflicts = List.copyOf(conflicts);
    }

    /** The compartment index of {@code library}, or -1 if the plan does not contain it. */
    public int compartmentOf(String library) {
        for (int i = 0; i < compartments.size(); i++) {
            if (compartments.get(i).contains(library)) {
                return i;
            }
        }
        return -1;
    }
}
