package flexos.attacks;

import flexos.core.component.Library;
import flexos.core.image.LibraryCatalog;

/** The libraries this build ships, found as services where the attack suite runs: its module layer or class path. */
final class ShippedLibrary {

    private ShippedLibrary() {
    }

    /** A fresh instance of the shipped library {@code name}. */
    static Library named(String name) {
        ModuleLayer layer = ShippedLibrary.class.getModule().getLayer();
        LibraryCatalog catalog = layer != null ? LibraryCatalog.discover(layer)
                : LibraryCatalog.discover(ShippedLibrary.class.getClassLoader());
        return catalog.find(name).orElseThrow(() -> new IllegalStateException("library " + name
                + " is not on the module or class path; the hardening faults need it"));
    }
}
