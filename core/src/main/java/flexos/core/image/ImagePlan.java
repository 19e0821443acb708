package flexos.core.image;

import flexos.core.config.CompartmentSpec;
import flexos.core.config.ImageConfig;
import flexos.core.mechanism.GateSite;
import java.util.List;
import java.util.Optional;

/**
 * What an image is made of, resolved from its configuration: the libraries in start order (every library after
 * the libraries it imports), and every cross-compartment call site that needs a gate.
 *
 * @param config      the configuration the plan was made from
 * @param libraries   the image's libraries, dependencies first; the application is last
 * @param gates       the call sites whose caller and callee are in different compartments
 * @param warnings    things the configuration says that the image ignores, for the user to see
 */
public record ImagePlan(ImageConfig config, List<PlannedLibrary> libraries, List<GateSite> gates, List<String> warnings) {

    public ImagePlan {
        libraries = List.copyOf(libraries);
        gates = List.copyOf(gates);
        warnings = List.copyOf(warnings);
    }

    public Optional<PlannedLibrary> library(String name) {
        return libraries.stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /** The application library, which the image runs. */
    public PlannedLibrary application() {
        return libraries.getLast();
    }

    public CompartmentSpec compartmentOf(PlannedLibrary library) {
        return config.compartment(library.compartment()).orElseThrow();
    }

    /** A readable description of the plan: compartments, placements and gates, as {@code flexos build} prints it. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append("image ").append(config.name()).append(" (application ").append(config.application()).append(")\n");
        for (CompartmentSpec compartment : config.compartments()) {
            out.append("  compartment ").append(compartment.name()).append(" [").append(compartment.mechanism())
                    .append(compartment.isDefault() ? ", default" : "").append(", heap ").append(compartment.heapBytes())
                    .append(" B]:");
            for (PlannedLibrary library : libraries) {
                if (library.library().perCompartment() || library.compartment().equals(compartment.name())) {
                    out.append(' ').append(library.name());
                    if (!library.harden().isEmpty()) {
                        out.append(library.harden());
                    }
                }
            }
            out.append('\n');
        }
        out.append("  shared heap ").append(config.sharedHeapBytes()).append(" B\n");
        if (gates.isEmpty()) {
            out.append("  gates: none (every call is a plain call)\n");
        }
        for (GateSite gate : gates) {
            String mechanism = config.compartment(gate.calleeCompartment()).orElseThrow().mechanism();
            out.append("  gate ").append(gate).append(" via ").append(mechanism).append('\n');
        }
        warnings.forEach(w -> out.append("  warning: ").append(w).append('\n'));
        return out.toString();
    }
}
