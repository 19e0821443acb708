package flexos.vfs.impl;

import flexos.core.component.Library;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import flexos.vfs.api.FileSystem;

import java.util.Map;
import java.util.Set;

/**
 * The {@code vfs} library: a {@link MountedFileSystem}, files under a host directory or in memory, in the role of
 * Unikraft's {@code vfscore} with 9pfs or ramfs below it. It calls no other library. Closing the instance closes
 * every open file.
 */
public final class VfsLibrary implements Library {

    /** A {@code memory:} mount holds at most this much, or a quarter of the JVM's heap if that is less. */
    static final long MEMORY_CAPACITY = 1L << 30;

    @Override
    public String name() {
        return "vfs";
    }

    @Override
    public Set<Class<?>> exports() {
        return Set.of(FileSystem.class);
    }

    @Override
    public Set<Class<?>> imports() {
        return Set.of();
    }

    @Override
    public LibraryInstance instantiate(LibraryContext context) {
        MountedFileSystem files = new MountedFileSystem(Math.min(MEMORY_CAPACITY, Runtime.getRuntime().maxMemory() / 4));
        return LibraryInstance.of(Map.of(FileSystem.class, files), files::close);
    }
}
