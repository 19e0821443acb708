package flexos.explore.measure;

import flexos.explore.space.Configuration;

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
        StringBuilder out = new StringBuilder();
        out.append("image: ").append(image).append('\n');
        if (application != null) {
            out.append("application: ").append(application).append('\n');
        }
        out.append("compartments:\n");
        for (int c = 1; c <= configuration.compartmentCount(); c++) {
            out.append("  - {name: c").append(c).append(", mechanism: ")
                    .append(configuration.mechanisms().get(c - 1)).append(c == 1 ? ", default: true}" : "}")
                    .append('\n');
        }
        out.append("libraries:\n");
        for (int i = 0; i < configuration.libraries().size(); i++) {
            out.append("  ").append(configuration.libraries().get(i)).append(": {compartment: c")
                    .append(configuration.compartmentAt(i)).append(", harden: [")
                    .append(String.join(", ", configuration.hardening().get(i))).append("]}\n");
        }
        return out.toString();
    }
}
