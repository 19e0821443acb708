package flexos.analyze;

import java.util.List;
import java.util.Map;

/**
 * One way to deploy the analysed libraries once SFI hardening is chosen: its compartments, and every choice of
 * hardened libraries that leads to them (choices that give the same incompatibility graph are collapsed into one
 * deployment).
 *
 * @param hardenings each choice, as the hardening options by hardened library; the first is the choice that hardens
 *                   the fewest libraries; an empty map is the unhardened choice
 * @param plan       the compartments
 */
public record Deployment(List<Map<String, List<String>>> hardenings, CompartmentPlan plan) {

    public Deployment {
        hardenings = hardenings.stream().map(Map::copyOf).toList();
    }

    /** The choice hardening the fewest libraries. */
    public Map<String, List<String>> cheapest() {
        return hardenings.get(0);
    }
}
