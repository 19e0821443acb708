package flexos.vfs.impl;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * What stores the files of a mounted {@link MountedFileSystem}: the host directory ({@link HostBackend}) or memory
 * ({@link MemoryBackend}). Paths are already checked ({@link VfsPath}); every ordinary failure is an
 * {@link FsFailure} with the code the caller gets. Implementations are thread-safe.
 */
interface Backend extends AutoCloseable {

    /** One open file: its position and what it may do are kept by the caller's handle. */
    interface OpenFile {
        /** Reads at {@code position}: the count, or 0 at the end. */
        int read(long position, MemorySegment buffer, long offset, int length) throws FsFailure;

        /** Writes everything at {@code position} (ignored when {@code append}); returns the position after it. */
        long write(long position, boolean append, MemorySegment buffer, long offset, int length) throws FsFailure;

        void fsync() throws FsFailure;

        void close() throws FsFailure;
    }

    /** {@code "memory:"}, or {@code "host:"} and the root's real path. */
    String source();

    /** Opens a file with {@link flexos.vfs.api.FileSystem}'s flags (already validated). */
    OpenFile open(VfsPath path, int flags) throws FsFailure;

    long size(VfsPath path) throws FsFailure;

    int kind(VfsPath path) throws FsFailure;

    void mkdir(VfsPath path) throws FsFailure;

    void rename(VfsPath from, VfsPath to) throws FsFailure;

    void unlink(VfsPath path) throws FsFailure;

    void rmdir(VfsPath path) throws FsFailure;

    void syncDirectory(VfsPath path) throws FsFailure;

    /** The names in a directory, in byte order of their UTF-8. */
    List<String> list(VfsPath directory) throws FsFailure;

    /** Releases what the backend holds; open files are closed by the handle table first. */
    @Override
    void close();
}
