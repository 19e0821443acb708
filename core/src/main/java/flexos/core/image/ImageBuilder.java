package flexos.core.image;

import flexos.core.component.Entrypoint;
import flexos.core.component.Library;
import flexos.core.config.ConfigVocabulary;
import flexos.core.config.ImageConfig;
import flexos.core.config.LibraryPlacement;
import flexos.core.hardening.HardeningCheck;
import flexos.core.hardening.HardeningOption;
import flexos.core.mechanism.GateSite;
import flexos.core.mechanism.Mechanisms;
import flexos.core.metadata.LibraryMetadata;
import flexos.core.metadata.MetadataException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Resolves a configuration against a library catalog into an {@link ImagePlan}: which libraries the application
 * pulls in, where each runs, and which calls cross compartments. Starting the plan is {@link Image#start}'s job.
 */
public final class ImageBuilder {

    /** Hardening options FlexOS-J knows (SPEC §4) but this build does not implement. */
    private static final Set<String> PLANNED_HARDENINGS = Set.of();

    private final LibraryCatalog catalog;
    private final Mechanisms mechanisms;

    public ImageBuilder(LibraryCatalog catalog, Mechanisms mechanisms) {
        this.catalog = catalog;
        this.mechanisms = mechanisms;
    }

    /** The names a configuration may use with this catalog and these mechanisms. */
    public ConfigVocabulary vocabulary() {
        return new ConfigVocabulary(
                new TreeSet<>(catalog.names()),
                new TreeSet<>(catalog.applications()),
                mechanisms.implementedNames(),
                mechanisms.plannedNames(),
                HardeningOption.implementedNames(),
                PLANNED_HARDENINGS);
    }

    /** Resolves {@code config}: the application and, transitively, every library that exports an API it imports. */
    public ImagePlan plan(ImageConfig config) throws ImageBuildException {
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

        List<GateSite> gates = new ArrayList<>();
        for (PlannedLibrary caller : libraries) {
            for (Class<?> api : caller.library().imports()) {
                PlannedLibrary callee = plannedExporter(libraries, api);
                // A per-compartment library has an instance in the caller's own compartment: never a gate.
                String calleeCompartment = callee.library().perCompartment() ? caller.compartment() : callee.compartment();
                GateSite site = new GateSite(api, caller.name(), caller.compartment(), callee.name(), calleeCompartment);
                if (!site.local()) {
                    gates.add(site);
                }
            }
        }

        for (String listed : new TreeSet<>(config.libraries().keySet())) {
            if (!ordered.containsKey(listed)) {
                warnings.add("library " + listed + " is configured but " + config.application()
                        + " does not use it; its placement is ignored");
            }
        }
        return new ImagePlan(config, libraries, gates, warnings);
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

    private static LibraryMetadata metadataOf(Library library) throws ImageBuildException {
        try {
            LibraryMetadata metadata = LibraryCatalog.metadataOf(library);
            if (!metadata.library().equals(library.name())) {
                throw new ImageBuildException("library " + library.name() + " ships the metadata of " + metadata.library());
            }
            return metadata;
        } catch (MetadataException e) {
            throw new ImageBuildException("library " + library.name() + " has bad metadata: " + e.getMessage(), e);
        }
    }

    private static PlannedLibrary plannedExporter(List<PlannedLibrary> libraries, Class<?> api) {
        return libraries.stream().filter(l -> l.library().exports().contains(api)).findFirst().orElseThrow();
    }
}
