package flexos.explore.measure;

import flexos.core.config.ImageConfigWriter;
import flexos.explore.space.Configuration;
import java.util.List;

/**
 * Writes a configuration as an image configuration file ({@code flexos run CONFIG}): compartments {@code c1},
 * {@code c2}, ... with their mechanisms, {@code c1} the default (so libraries the space does not vary, such as the
 * allocator that every compartment replicates, stay there), and every library of the configuration placed
 * explicitly with its hardening.
 */
public final class ConfigurationYaml {

    private ConfigurationYaml() {
    }

    /**
     * @param image       the image's name
     * @param application the application library, or {@code null} to let the catalog decide
     */
    public static String write(Configuration configuration, String image, String application) {
        ImageConfigWriter writer = ImageConfigWriter.empty().withImage(image);
        if (application != null) {
            writer = writer.withApplication(application);
        }
        for (int c = 1; c <= configuration.compartmentCount(); c++) {
            writer = writer.addCompartment("c" + c, configuration.mechanisms().get(c - 1), c == 1,
                    String.join(", ", configuration.librariesIn(c)));
        }
        for (int i = 0; i < configuration.libraries().size(); i++) {
            writer = writer.addLibrary(configuration.libraries().get(i), "c" + configuration.compartmentAt(i),
                    List.copyOf(configuration.hardening().get(i)));
        }
        return writer.toYaml();
    }
}
