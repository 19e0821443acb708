package flexos.core.image;

import flexos.core.component.Entrypoint;
import flexos.core.component.Library;
import flexos.core.config.CompartmentSpec;
import flexos.core.config.ConfigVocabulary;
import flexos.core.config.ImageConfig;
import flexos.core.config.LibraryPlacement;
import flexos.core.hardening.HardeningCheck;
import flexos.core.mechanism.GateSite;
import flexos.core.mechanism.Mechanism;
import flexos.core.mechanism.Mechanisms;
import flexos.core.metadata.ApiFunction;
import flexos.core.metadata.LibraryMetadata;
import flexos.core.metadata.MetadataException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Resolves a configuration against a library catalog into an {@link ImagePlan}: which libraries the application
 * pulls in, where each runs, the wiring of every import of every instance, and which calls cross compartments.
 * It refuses what cannot run: a mechanism this machine lacks, a library whose metadata is missing, malformed or
 * does not list the methods it exports, hardening a library cannot take. Starting the plan is
 * {@link Image#start}'s job.
 */
public final class ImageBuilder {

    private final LibraryCatalog catalog;
    private final Mechanisms mechanisms;

    public ImageBuilder(LibraryCatalog catalog, Mechanisms mechanisms) {
        this.catalog = catalog;
        this.mechanisms = mechanisms;
    }

    /** The names a configuration may use with this catalog and these mechanisms. */
    public ConfigVocabulary vocabulary() {
        return new ConfigVocabulary(new TreeSet<>(catalog.names()), new TreeSet<>(catalog.applications()), mechanisms);
    }

    /** Resolves {@code config}: the application and, transitively, every library that exports an API it imports. */
    public ImagePlan plan(ImageConfig config) throws ImageBuildException {
        Map<Mechanism, List<CompartmentSpec>> byMechanism = new LinkedHashMap<>();
        for (CompartmentSpec compartment : config.compartments()) {
            byMechanism.computeIfAbsent(compartment.mechanism(), m -> new ArrayList<>()).add(compartment);
        }
        for (Map.Entry<Mechanism, List<CompartmentSpec>> uses : byMechanism.entrySet()) {
            Mechanism.Availability availability = uses.getKey().availability(List.copyOf(uses.getValue()));
            if (!availability.available()) {
                CompartmentSpec first = uses.getValue().getFirst();
                throw new ImageBuildException(first.where() + ": compartment " + first.name()
                        + " uses mechanism " + uses.getKey().name() + ", which this machine cannot run: "
                        + availability.reason());
            }
        }
        Library application = catalog.find(config.application())
                .orElseThrow(() -> new ImageBuildException("no library named " + config.application()));
        if (!application.exports().contains(Entrypoint.class)) {
            throw new ImageBuildException(config.application() + " is not an application: it exports no Entrypoint");
        }
        Map<String, Library> ordered = new LinkedHashMap<>();
        visit(application, ordered, new ArrayList<>());

        List<PlannedLibrary> libraries = new ArrayList<>();
        for (Library library : ordered.values()) {
            LibraryPlacement placement = config.placementOf(library.name());
            libraries.add(new PlannedLibrary(library, placement.compartment(), placement.harden(), metadataOf(library)));
        }

        List<String> warnings = new ArrayList<>();
        HardeningCheck.Result hardening = HardeningCheck.check(libraries.stream()
                .map(l -> new HardeningCheck.Subject(l.library(), l.metadata(), l.harden(),
                        config.placementOf(l.name()).where())).toList());
        if (!hardening.errors().isEmpty()) {
            throw new ImageBuildException(String.join("\n", hardening.errors()));
        }
        warnings.addAll(hardening.warnings());
        for (CompartmentSpec compartment : config.compartments()) {
            compartment.options().warnings().forEach(w -> warnings.add("compartment " + compartment.name() + ": " + w));
        }

        List<PlannedInstance> instances = new ArrayList<>();
        for (PlannedLibrary library : libraries) {
            // A per-compartment library has an instance in every compartment, and its callers reach their own.
            List<String> compartments = library.library().perCompartment()
                    ? config.compartments().stream().map(CompartmentSpec::name).toList()
                    : List.of(library.compartment());
            for (String compartment : compartments) {
                instances.add(new PlannedInstance(library, compartment, wires(library, compartment, libraries)));
            }
        }

        for (String listed : new TreeSet<>(config.libraries().keySet())) {
            if (!ordered.containsKey(listed)) {
                warnings.add("library " + listed + " is configured but " + config.application()
                        + " does not use it; its placement is ignored");
            }
        }
        return new ImagePlan(config, libraries, instances, warnings);
    }

    /** Depth-first over imports, so that every library lands after the libraries it imports. */
    private void visit(Library library, Map<String, Library> ordered, List<String> path) throws ImageBuildException {
        if (ordered.containsKey(library.name())) {
            return;
        }
        if (path.contains(library.name())) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(library.name()), path.size()));
            cycle.add(library.name());
            throw new ImageBuildException("libraries import each other in a cycle: " + String.join(" -> ", cycle)
                    + "; this build starts libraries in dependency order and cannot start a cycle");
        }
        path.add(library.name());
        Set<String> seen = new HashSet<>();
        for (Class<?> api : library.imports()) {
            Library exporter = exporterOf(api, library);
            if (seen.add(exporter.name())) {
                visit(exporter, ordered, path);
            }
        }
        path.removeLast();
        ordered.put(library.name(), library);
    }

    private Library exporterOf(Class<?> api, Library importer) throws ImageBuildException {
        try {
            return catalog.exporterOf(api).orElseThrow(() -> new ImageBuildException(importer.name() + " imports "
                    + api.getName() + " but no library in the catalog exports it (known libraries: "
                    + catalog.names() + ")"));
        } catch (IllegalStateException ambiguous) {
            throw new ImageBuildException(ambiguous.getMessage(), ambiguous);
        }
    }

    /** One wire per import of {@code caller}'s instance in {@code compartment}. */
    private static List<Wire> wires(PlannedLibrary caller, String compartment, List<PlannedLibrary> libraries) {
        List<Wire> wires = new ArrayList<>();
        for (Class<?> api : caller.library().imports()) {
            PlannedLibrary callee = plannedExporter(libraries, api);
            String calleeCompartment = callee.library().perCompartment() ? compartment : callee.compartment();
            wires.add(new Wire(caller, callee,
                    new GateSite(api, caller.name(), compartment, callee.name(), calleeCompartment)));
        }
        return wires;
    }

    private static LibraryMetadata metadataOf(Library library) throws ImageBuildException {
        try {
            LibraryMetadata metadata = LibraryCatalog.metadataOf(library);
            if (!metadata.library().equals(library.name())) {
                throw new ImageBuildException("library " + library.name() + " ships the metadata of " + metadata.library());
            }
            checkApi(library, metadata);
            return metadata;
        } catch (MetadataException e) {
            throw new ImageBuildException("library " + library.name() + " has bad metadata: " + e.getMessage(), e);
        }
    }

    /**
     * The {@code [API]} clause must name exactly the methods of the interfaces the library exports: an analysis or a
     * call policy built on metadata that hides an entry point, or names one that does not exist, would be wrong.
     */
    private static void checkApi(Library library, LibraryMetadata metadata) throws ImageBuildException {
        Set<String> declared = new TreeSet<>(metadata.api().stream().map(ApiFunction::name).toList());
        Set<String> exported = new TreeSet<>();
        for (Class<?> api : library.exports()) {
            Arrays.stream(api.getMethods()).map(Method::getName).forEach(exported::add);
        }
        if (!declared.equals(exported)) {
            Set<String> missing = new TreeSet<>(exported);
            missing.removeAll(declared);
            Set<String> extra = new TreeSet<>(declared);
            extra.removeAll(exported);
            throw new ImageBuildException(metadata.source() + ": the [API] clause of library " + library.name()
                    + " does not match the interfaces it exports"
                    + (missing.isEmpty() ? "" : "; exported but not declared: " + String.join(", ", missing))
                    + (extra.isEmpty() ? "" : "; declared but not exported: " + String.join(", ", extra))
                    + "; list exactly the exported methods in [API]");
        }
    }

    private static PlannedLibrary plannedExporter(List<PlannedLibrary> libraries, Class<?> api) {
        return libraries.stream().filter(l -> l.library().exports().contains(api)).findFirst().orElseThrow();
    }
}
