package flexos.alloc.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import flexos.alloc.api.Allocator;
import flexos.core.component.Entrypoint;
import flexos.core.component.Library;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import flexos.core.config.CompartmentSpec;
import flexos.core.hardening.HardeningOption;
import flexos.core.config.ImageConfig;
import flexos.core.config.LibraryPlacement;
import flexos.core.image.Image;
import flexos.core.image.ImageBuilder;
import flexos.core.image.LibraryCatalog;
import flexos.core.mechanism.Mechanisms;
import flexos.core.metadata.SourceLocation;
import flexos.libc.impl.LibcLibrary;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Only the hardened library gets an asan allocator. The faults asan catches (overflow, use-after-free, double free)
 * are the attack suite's hardening rows: {@code attacks/suite}, {@code HardeningFaultsTest}.
 */
class AsanAllocatorTest {

    /** A library that allocates: the one that is hardened. */
    private static final class Tenant implements Library {
        public String name() { return "tenant"; }
        public Set<Class<?>> exports() { return Set.of(Entrypoint.class); }
        public Set<Class<?>> imports() { return Set.of(Allocator.class); }
        public LibraryInstance instantiate(LibraryContext context) {
            Allocator alloc = context.gate(Allocator.class);
            return LibraryInstance.of(Map.of(Entrypoint.class, new Entrypoint() {
                public int run(List<String> args) {
                    alloc.free(alloc.malloc(16));
                    return 0;
                }
                public void requestStop() {
                }
            }));
        }
    }

    private final ImageBuilder builder = new ImageBuilder(
            LibraryCatalog.of(List.of(new AllocLibrary(), new LibcLibrary(), new Tenant())), Mechanisms.builtIn());

    @Test
    void onlyTheHardenedLibraryGetsTheAsanAllocator() throws Exception {
        try (Image image = Image.start(builder.plan(config(Map.of("tenant", List.of(HardeningOption.ASAN)))))) {
            Allocator seen = image.gateSeenBy("tenant", Allocator.class);
            assertInstanceOf(AsanAllocator.class, seen);
            assertSame(seen, image.gateSeenBy("tenant", Allocator.class), "one asan heap per hardened library");
            assertInstanceOf(TlsfAllocator.class, image.export("alloc", Allocator.class));
            assertEquals(0, image.run(List.of()));
        }
        try (Image image = Image.start(builder.plan(config(Map.of())))) {
            assertNotSame(AsanAllocator.class, image.gateSeenBy("tenant", Allocator.class).getClass());
        }
    }

    private static ImageConfig config(Map<String, List<HardeningOption>> harden) {
        Path file = Path.of("asan.yaml");
        SourceLocation here = new SourceLocation(file, 1, 1);
        Map<String, LibraryPlacement> libraries = new java.util.LinkedHashMap<>();
        harden.forEach((library, options) -> libraries.put(library, new LibraryPlacement(library, "main", options, here)));
        return new ImageConfig(file, "asan", "tenant",
                List.of(new CompartmentSpec("main", Mechanisms.builtIn().named("fcall"), true, 1 << 20, here)), libraries, 1 << 20);
    }
}
