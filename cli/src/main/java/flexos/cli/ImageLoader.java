package flexos.cli;

import flexos.core.config.ConfigException;
import flexos.core.config.ConfigParser;
import flexos.core.config.ImageConfig;
import flexos.core.image.ImageBuildException;
import flexos.core.image.ImageBuilder;
import flexos.core.image.ImagePlan;
import flexos.core.image.LibraryCatalog;
import flexos.core.image.PlannedInstance;
import flexos.core.mechanism.Mechanisms;
import flexos.core.mechanism.module.ConfinementCheck;
import flexos.core.mechanism.module.ModuleMechanism;
import flexos.core.mechanism.mpk.MpkMechanism;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Turns a configuration file into an image plan, with the libraries this CLI was started with. */
final class ImageLoader {

    private final LibraryCatalog catalog;
    private final Mechanisms mechanisms = Mechanisms.builtIn();
    private final ImageBuilder builder;

    ImageLoader() {
        ModuleLayer layer = ImageLoader.class.getModule().getLayer();
        this.catalog = layer != null ? LibraryCatalog.discover(layer) : LibraryCatalog.discover(ImageLoader.class.getClassLoader());
        this.builder = new ImageBuilder(catalog, mechanisms);
    }

    ImagePlan plan(Path configFile) throws ConfigException, ImageBuildException {
        ImageConfig config = ConfigParser.parse(configFile, builder.vocabulary());
        ImagePlan plan = builder.plan(config);
        checkConfinement(plan);
        return plan;
    }

    /**
     * Refuses an image in which a library placed in a confining compartment ({@code module}, {@code mpk}) refers to
     * what that compartment would refuse it at run time: each refusal names the library, the class and the member.
     */
    static void checkConfinement(ImagePlan plan) throws ImageBuildException {
        Set<String> checked = new TreeSet<>();
        List<String> errors = new ArrayList<>();
        for (PlannedInstance instance : plan.instances()) {
            String mechanism = plan.config().compartment(instance.compartment()).orElseThrow().mechanism().name();
            if (!CONFINING.contains(mechanism) || !checked.add(instance.library().name())) {
                continue;
            }
            try {
                for (ConfinementCheck.Refusal refusal : ConfinementCheck.of(instance.library().library(),
                        instance.library().metadata().host())) {
                    errors.add(refusal.describe());
                }
            } catch (IOException e) {
                throw new ImageBuildException("cannot read the classes of library " + instance.library().name()
                        + " to check its confinement: " + e.getMessage(), e);
            }
        }
        if (!errors.isEmpty()) {
            throw new ImageBuildException(errors.size() + " reference(s) a module compartment would refuse:\n  "
                    + String.join("\n  ", errors));
        }
    }

    /** The mechanisms whose compartments confine their code by the module allowlist. */
    private static final Set<String> CONFINING = Set.of(ModuleMechanism.NAME, MpkMechanism.NAME);

    LibraryCatalog catalog() {
        return catalog;
    }

    Mechanisms mechanisms() {
        return mechanisms;
    }
}
