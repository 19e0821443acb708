package flexos.cli;

import flexos.core.config.ConfigException;
import flexos.core.config.ConfigParser;
import flexos.core.config.ImageConfig;
import flexos.core.image.ImageBuildException;
import flexos.core.image.ImageBuilder;
import flexos.core.image.ImagePlan;
import flexos.core.image.LibraryCatalog;
import flexos.core.mechanism.Mechanisms;
import java.nio.file.Path;

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
        return builder.plan(config);
    }

    LibraryCatalog catalog() {
        return catalog;
    }

    Mechanisms mechanisms() {
        return mechanisms;
    }
}
