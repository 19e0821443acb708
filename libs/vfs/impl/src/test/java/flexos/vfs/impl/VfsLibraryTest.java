package flexos.vfs.impl;

import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import flexos.vfs.api.FileSystem;
import flexos.vfs.api.VfsException;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The library as an image starts it: one unmounted file system per instance, every handle closed with the instance. */
class VfsLibraryTest {

    /** What an image gives the instance; vfs uses none of it. */
    private static final LibraryContext CONTEXT = new LibraryContext() {
        @Override
        public String compartment() {
            return "files";
        }

        @Override
        public <T> T gate(Class<T> api) {
            throw new IllegalArgumentException("vfs imports nothing, asked for " + api.getName());
        }

        @Override
        public MemorySegment privateHeap() {
            return MemorySegment.NULL;
        }

        @Override
        public MemorySegment sharedHeap() {
            return MemorySegment.NULL;
        }

        // Not an @Override: the image's context is losing this method, and the test must compile either way.
        public Set<String> hardening() {
            return Set.of();
        }
    };

    @Test
    void eachInstanceIsItsOwnUnmountedFileSystemAndClosingItClosesEveryHandle() {
        LibraryInstance first = new VfsLibrary().instantiate(CONTEXT);
        LibraryInstance second = new VfsLibrary().instantiate(CONTEXT);
        FileSystem a = first.export(FileSystem.class);
        FileSystem b = second.export(FileSystem.class);
        assertEquals(0, a.mount("memory:"));
        assertEquals(0, b.mount("memory:"), "mounting one instance does not mount the other");
        int h = a.open("f", FileSystem.WRITE | FileSystem.CREATE);
        assertEquals(FileSystem.NOT_FOUND, b.kind("f"));
        first.close();
        assertThrows(VfsException.class, () -> a.fsync(h), "the handle died with its instance");
        second.close();
    }
}
