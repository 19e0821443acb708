package flexos.alloc.impl;

import flexos.alloc.api.Allocator;
import flexos.alloc.api.SharedAllocator;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AllocLibraryTest {

    private record Context(String compartment, MemorySegment privateHeap, MemorySegment sharedHeap)
            implements LibraryContext {
        @Override
        public <T> T gate(Class<T> api) {
            throw new IllegalArgumentException("alloc imports nothing, asked for " + api.getName());
        }
    }

    @Test
    void describesItself() {
        AllocLibrary alloc = new AllocLibrary();
        assertEquals("alloc", alloc.name());
        assertEquals(Set.of(Allocator.class, SharedAllocator.class), alloc.exports());
        assertEquals(Set.of(), alloc.imports());
        assertTrue(alloc.perCompartment());
    }

    @Test
    void compartmentsKeepPrivateHeapsAndShareTheSharedOne() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment shared = arena.allocate(1 << 16, 4096);
            MemorySegment heapA = arena.allocate(1 << 16, 4096);
            MemorySegment heapB = arena.allocate(1 << 16, 4096);
            LibraryInstance a = new AllocLibrary().instantiate(new Context("a", heapA, shared));
            LibraryInstance b = new AllocLibrary().instantiate(new Context("b", heapB, shared));

            MemorySegment own = a.export(Allocator.class).malloc(100);
            assertTrue(own.address() >= heapA.address() && own.address() < heapA.address() + heapA.byteSize());
            assertThrows(IllegalArgumentException.class, () -> b.export(Allocator.class).free(own),
                    "compartment b's allocator does not own compartment a's blocks");
            assertEquals(0, b.export(Allocator.class).stats().allocations());

            MemorySegment common = a.export(SharedAllocator.class).malloc(100);
            assertTrue(common.address() >= shared.address() && common.address() < shared.address() + shared.byteSize());
            assertEquals(1, b.export(SharedAllocator.class).stats().allocations());
            b.export(SharedAllocator.class).free(common);
            assertEquals(0, a.export(SharedAllocator.class).stats().allocations());
            assertFalse(a.export(Allocator.class) instanceof SharedAllocator);
        }
    }
}
