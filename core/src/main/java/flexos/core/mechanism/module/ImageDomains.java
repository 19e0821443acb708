package flexos.core.mechanism.module;

import flexos.core.memory.ImageMemory;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code module} domains of one image, by compartment name: how a gate finds the domain of the compartment a
 * callback belongs to, so that an {@link Error} in the callback stops that compartment as one in a forward call
 * stops the callee's ({@link GateRuntime#fault}). An image is known by its {@link ImageMemory}, held weakly.
 */
final class ImageDomains {

    private static final Map<ImageMemory, ImageDomains> IMAGES = Collections.synchronizedMap(new WeakHashMap<>());

    private final Map<String, ModuleDomain> byCompartment = new ConcurrentHashMap<>();

    /** The domains of an image of their own (a domain opened without an image). */
    ImageDomains() {
    }

    /** The domains of the image that owns {@code memory}. */
    static ImageDomains of(ImageMemory memory) {
        return IMAGES.computeIfAbsent(memory, image -> new ImageDomains());
    }

    void add(ModuleDomain domain) {
        byCompartment.put(domain.compartment(), domain);
    }

    /** The module domain of {@code compartment}, or null when it is not a module compartment of this image. */
    ModuleDomain named(String compartment) {
        return byCompartment.get(compartment);
    }
}
