package flexos.alloc.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.alloc.api.Allocator;
import flexos.alloc.impl.faults.HeapBugLibrary;
import flexos.core.config.CompartmentSpec;
import flexos.core.config.ImageConfig;
import flexos.core.config.LibraryPlacement;
import flexos.core.hardening.MemoryFault;
import flexos.core.image.Image;
import flexos.core.image.ImageBuilder;
import flexos.core.image.LibraryCatalog;
import flexos.core.mechanism.Mechanisms;
import flexos.core.metadata.SourceLocation;
import flexos.libc.impl.LibcLibrary;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The asan faults in a real image (TLSF allocator, libc): caught with {@code asan}, silent corruption without. */
class AsanAllocatorTest {

    private final ImageBuilder builder = new ImageBuilder(
            LibraryCatalog.of(List.of(new AllocLibrary(), new LibcLibrary(), new HeapBugLibrary())),
            Mechanisms.builtIn());

    @ParameterizedTest
    @CsvSource({"overflow, HEAP_BUFFER_OVERFLOW", "use-after-free, USE_AFTER_FREE", "double-free, DOUBLE_FREE"})
    void asanOnTheBuggyLibraryCatchesEachFault(String fault, MemoryFault.Kind kind) throws Exception {
        try (Image image = Image.start(builder.plan(config(Map.of("heapbug", List.of("asan")))), Mechanisms.builtIn())) {
            MemoryFault caught = assertThrows(MemoryFault.class, () -> image.run(List.of(fault)));
            assertEquals(kind, caught.kind());
            assertTrue(caught.getMessage().contains("in heapbug") && caught.getMessage().contains("block at heap offset"),
                    caught.getMessage());
        }
    }

    @ParameterizedTest
    @CsvSource({"overflow, 0", "use-after-free, 9", "double-free, 1"})
    void withoutAsanEachFaultSilentlyCorruptsAnotherBlock(String fault, int corrupted) throws Exception {
        try (Image image = Image.start(builder.plan(config(Map.of())), Mechanisms.builtIn())) {
            assertEquals(corrupted, image.run(List.of(fault)));
        }
    }

    @Test
    void onlyTheHardenedLibraryGetsTheAsanAllocator() throws Exception {
        try (Image image = Image.start(builder.plan(config(Map.of("heapbug", List.of("asan")))), Mechanisms.builtIn())) {
            Allocator seen = image.gateSeenBy("heapbug", Allocator.class);
            assertInstanceOf(AsanAllocator.class, seen);
            assertSame(seen, image.gateSeenBy("heapbug", Allocator.class), "one asan heap per hardened library");
            assertInstanceOf(TlsfAllocator.class, image.export("alloc", Allocator.class));
        }
        try (Image image = Image.start(builder.plan(config(Map.of())), Mechanisms.builtIn())) {
            assertNotSame(AsanAllocator.class, image.gateSeenBy("heapbug", Allocator.class).getClass());
        }
    }

    private static ImageConfig config(Map<String, List<String>> harden) {
        Path file = Path.of("asan.yaml");
        SourceLocation here = new SourceLocation(file, 1, 1);
        Map<String, LibraryPlacement> libraries = new java.util.LinkedHashMap<>();
        harden.forEach((library, options) -> libraries.put(library, new LibraryPlacement(library, "main", options, here)));
        return new ImageConfig(file, "asan", "heapbug",
                List.of(new CompartmentSpec("main", "fcall", true, 1 << 20, here)), libraries, 1 << 20);
    }
}
