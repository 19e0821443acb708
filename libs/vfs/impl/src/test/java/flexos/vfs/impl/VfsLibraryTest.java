package flexos.vfs.impl;

import flexos.core.component.InstanceContext;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import flexos.vfs.api.FileSystem;
import flexos.vfs.api.VfsException;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The library as an image starts it: one unmounted file system per instance, every handle closed with the instance. */
class VfsLibraryTest {

    /** What an image gives the instance; vfs imports nothing and allocates nothing in the compartment heap. */
    private static final LibraryContext CONTEXT =
            new InstanceContext("files", Map.of(), MemorySegment.NULL, MemorySegment.NULL);

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
