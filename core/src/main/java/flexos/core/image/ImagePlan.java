package flexos.core.image;

import flexos.core.config.CompartmentSpec;
import flexos.core.config.ImageConfig;
import flexos.core.mechanism.GateSite;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an image is made of, resolved once from its configuration, and the only thing {@link Image#start} reads:
 * the libraries in start order (every library after the libraries it imports), the instances to make in that order,
 * and the wiring of every import of every instance (caller × API → callee, compartment, gate site).
 *
 * @param config    the configuration the plan was made from; its compartments carry their resolved mechanisms
 * @param libraries the image's libraries, dependencies first; the application is last
 * @param instances the instances to make, in start order, each with its wires
 * @param warnings  things the configuration says that the image ignores, for the user to see
 */
public record ImagePlan(ImageConfig config, List<PlannedLibrary> libraries, List<PlannedInstance> instances,
                        List<String> warnings) {

    public ImagePlan {
        libraries = List.copyOf(libraries);
        instances = List.copyOf(instances);
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

    /** The instance of {@code library} in {@code compartment}, if the plan makes one. */
    public Optional<PlannedInstance> instance(String library, String compartment) {
        return instances.stream()
                .filter(i -> i.library().name().equals(library) && i.compartment().equals(compartment)).findFirst();
    }

    /** The call sites that cross compartments, and so need a gate, in start order. */
    public List<GateSite> gates() {
        return instances.stream().flatMap(i -> i.imports().stream()).filter(Wire::crosses).map(Wire::site)
                .distinct().toList();
    }

    /** A readable description of the plan: compartments, placements and gates, as {@code flexos build} prints it. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append("image ").append(config.name()).append(" (application ").append(config.application()).append(")\n");
        for (CompartmentSpec compartment : config.compartments()) {
            out.append("  compartment ").append(compartment.name()).append(" [").append(compartment.mechanism().name())
                    .append(compartment.isDefault() ? ", default" : "").append(", heap ").append(compartment.heapBytes())
                    .append(" B");
            for (Map.Entry<String, String> option : compartment.options().asKeys().entrySet()) {
                out.append(", ").append(option.getKey()).append(' ').append(option.getValue());
            }
            out.append("]:");
            for (PlannedLibrary library : libraries) {
                if (library.library().perCompartment() || library.compartment().equals(compartment.name())) {
                    out.append(' ').append(library.name());
                    if (!library.harden().isEmpty()) {
                        out.append(library.harden().stream().map(o -> o.configName()).toList());
                    }
                }
            }
            out.append('\n');
        }
        out.append("  shared heap ").append(config.sharedHeapBytes()).append(" B\n");
        List<GateSite> gates = gates();
        if (gates.isEmpty()) {
            out.append("  gates: none (every call is a plain call)\n");
        }
        for (GateSite gate : gates) {
            String mechanism = config.compartment(gate.calleeCompartment()).orElseThrow().mechanism().name();
            out.append("  gate ").append(gate).append(" via ").append(mechanism).append('\n');
        }
        warnings.forEach(w -> out.append("  warning: ").append(w).append('\n'));
        return out.toString();
    }
}
