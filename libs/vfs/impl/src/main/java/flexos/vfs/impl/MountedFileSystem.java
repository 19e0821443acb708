package flexos.vfs.impl;

import flexos.vfs.api.FileSystem;
import flexos.vfs.api.VfsException;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;

/**
 * The {@link FileSystem} the {@code vfs} library exports: path checking ({@link VfsPath}), the handle table, and the
 * backend chosen by the one {@link #mount}. Every backend failure becomes its return code here; misuse becomes a
 * {@link VfsException}.
 *
 * <p>The handle table hands out the lowest free number, as POSIX does for file descriptors. It is guarded by this
 * object's lock, held only to find or change an entry; the I/O of one handle holds that handle's own lock, so a slow
 * write on one file never waits for another file.
 */
final class MountedFileSystem implements FileSystem, AutoCloseable {

    private static final int KNOWN_FLAGS = READ | WRITE | CREATE | TRUNCATE | EXCLUSIVE | APPEND;

    /** An open file and its position. */
    private static final class FileHandle {
        final Backend.OpenFile file;
        final int flags;
        long position;

        FileHandle(Backend.OpenFile file, int flags) {
            this.file = file;
            this.flags = flags;
        }
    }

    /** A directory's names as they were when listed, and how many were read. */
    private static final class ListingHandle {
        final List<String> names;
        int next;

        ListingHandle(List<String> names) {
            this.names = names;
        }
    }

    private final long memoryCapacity;
    private volatile Backend backend;
    private Object[] handles = new Object[16];

    /** @param memoryCapacity the byte capacity a {@code memory:} mount gets */
    MountedFileSystem(long memoryCapacity) {
        this.memoryCapacity = memoryCapacity;
    }

    @Override
    public synchronized int mount(String source) {
        if (backend != null) {
            return BUSY;
        }
        if (source == null) {
            return INVALID_PATH;
        }
        try {
            if (source.equals("memory:")) {
                backend = new MemoryBackend(memoryCapacity);
            } else if (source.startsWith("host:") && source.indexOf('\0') < 0) {
                backend = HostBackend.mount(source.substring("host:".length()));
            } else {
                return INVALID_PATH;
            }
            return 0;
        } catch (FsFailure failure) {
            return failure.code;
        }
    }

    @Override
    public String mounted() {
        Backend mounted = backend;
        return mounted == null ? null : mounted.source();
    }

    private Backend backend() {
        Backend mounted = backend;
        if (mounted == null) {
            throw new VfsException("the file system is not mounted: call mount(\"host:DIR\") or mount(\"memory:\") first");
        }
        return mounted;
    }

    @Override
    public int open(String path, int flags) {
        Backend mounted = backend();
        if ((flags & ~KNOWN_FLAGS) != 0 || (flags & (READ | WRITE)) == 0) {
            throw new VfsException("open(" + path + "): flags " + flags + " must include READ (1) and/or WRITE (2)"
                    + " and otherwise only CREATE (4), TRUNCATE (8), EXCLUSIVE (16), APPEND (32)");
        }
        Backend.OpenFile file;
        try {
            file = mounted.open(VfsPath.parse(path), flags);
        } catch (FsFailure failure) {
            return failure.code;
        }
        int handle = register(new FileHandle(file, flags));
        if (handle < 0) {
            try {
                file.close();
            } catch (FsFailure ignored) {
                // the caller learns TOO_MANY_OPEN; a failure to close the file it never got changes nothing for it
            }
        }
        return handle;
    }

    @Override
    public int read(int handle, MemorySegment buffer, long offset, int length) {
        FileHandle file = file(handle, READ, "read");
        checkRange(buffer, offset, length);
        if (buffer.isReadOnly()) {
            throw new VfsException("read on handle " + handle + " into a read-only segment");
        }
        synchronized (file) {
            try {
                int count = file.file.read(file.position, buffer, offset, length);
                file.position += count;
                return count;
            } catch (FsFailure failure) {
                return failure.code;
            }
        }
    }

    @Override
    public int write(int handle, MemorySegment buffer, long offset, int length) {
        FileHandle file = file(handle, WRITE, "write");
        checkRange(buffer, offset, length);
        synchronized (file) {
            try {
                file.position = file.file.write(file.position, (file.flags & APPEND) != 0, buffer, offset, length);
                return length;
            } catch (FsFailure failure) {
                return failure.code;
            }
        }
    }

    @Override
    public int fsync(int handle) {
        FileHandle file = file(handle, 0, "fsync");
        synchronized (file) {
            try {
                file.file.fsync();
                return 0;
            } catch (FsFailure failure) {
                return failure.code;
            }
        }
    }

    @Override
    public int close(int handle) {
        Object entry;
        synchronized (this) {
            entry = lookup(handle, "close");
            handles[handle] = null;
        }
        if (entry instanceof FileHandle file) {
            synchronized (file) {
                try {
                    file.file.close();
                } catch (FsFailure failure) {
                    return failure.code;
                }
            }
        }
        return 0;
    }

    @Override
    public long size(String path) {
        Backend mounted = backend();
        try {
            return mounted.size(VfsPath.parse(path));
        } catch (FsFailure failure) {
            return failure.code;
        }
    }

    @Override
    public int kind(String path) {
        Backend mounted = backend();
        try {
            return mounted.kind(VfsPath.parse(path));
        } catch (FsFailure failure) {
            return failure.code;
        }
    }

    @Override
    public int mkdir(String path) {
        Backend mounted = backend();
        try {
            mounted.mkdir(VfsPath.parse(path));
            return 0;
        } catch (FsFailure failure) {
            return failure.code;
        }
    }

    @Override
    public int rename(String from, String to) {
        Backend mounted = backend();
        try {
            mounted.rename(VfsPath.parse(from), VfsPath.parse(to));
            return 0;
        } catch (FsFailure failure) {
            return failure.code;
        }
    }

    @Override
    public int unlink(String path) {
        Backend mounted = backend();
        try {
            mounted.unlink(VfsPath.parse(path));
            return 0;
        } catch (FsFailure failure) {
            return failure.code;
        }
    }

    @Override
    public int rmdir(String path) {
        Backend mounted = backend();
        try {
            mounted.rmdir(VfsPath.parse(path));
            return 0;
        } catch (FsFailure failure) {
            return failure.code;
        }
    }

    @Override
    public int syncDirectory(String path) {
        Backend mounted = backend();
        try {
            mounted.syncDirectory(VfsPath.parse(path));
            return 0;
        } catch (FsFailure failure) {
            return failure.code;
        }
    }

    @Override
    public int list(String directory) {
        Backend mounted = backend();
        try {
            return register(new ListingHandle(mounted.list(VfsPath.parse(directory))));
        } catch (FsFailure failure) {
            return failure.code;
        }
    }

    @Override
    public String nextName(int listing) {
        Object entry;
        synchronized (this) {
            entry = lookup(listing, "nextName");
        }
        if (!(entry instanceof ListingHandle names)) {
            throw new VfsException("nextName on handle " + listing + ", which is an open file, not a listing");
        }
        synchronized (names) {
            return names.next < names.names.size() ? names.names.get(names.next++) : null;
        }
    }

    /** Closes every open handle and the backend; the file system cannot be used afterwards. */
    @Override
    public synchronized void close() {
        for (int i = 0; i < handles.length; i++) {
            if (handles[i] instanceof FileHandle file) {
                try {
                    file.file.close();
                } catch (FsFailure ignored) {
                    // closing everything matters more than one file's complaint
                }
            }
            handles[i] = null;
        }
        Backend mounted = backend;
        if (mounted != null) {
            mounted.close();
        }
    }

    /** How many handles are open, for tests. */
    synchronized int openHandles() {
        int open = 0;
        for (Object entry : handles) {
            if (entry != null) {
                open++;
            }
        }
        return open;
    }

    private synchronized int register(Object entry) {
        for (int i = 0; i < handles.length; i++) {
            if (handles[i] == null) {
                handles[i] = entry;
                return i;
            }
        }
        if (handles.length == MAX_HANDLES) {
            return TOO_MANY_OPEN;
        }
        int id = handles.length;
        handles = Arrays.copyOf(handles, Math.min(MAX_HANDLES, handles.length * 2));
        handles[id] = entry;
        return id;
    }

    private Object lookup(int handle, String operation) {
        Object entry = handle >= 0 && handle < handles.length ? handles[handle] : null;
        if (entry == null) {
            throw new VfsException(operation + " on handle " + handle + ", which is not open (never opened, or closed)");
        }
        return entry;
    }

    /** The open file behind {@code handle}, which must allow {@code mode} ({@link #READ}, {@link #WRITE} or 0). */
    private FileHandle file(int handle, int mode, String operation) {
        Object entry;
        synchronized (this) {
            entry = lookup(handle, operation);
        }
        if (!(entry instanceof FileHandle file)) {
            throw new VfsException(operation + " on handle " + handle + ", which is a listing, not an open file");
        }
        if ((file.flags & mode) != mode) {
            throw new VfsException(operation + " on handle " + handle + ", which was opened without "
                    + (mode == READ ? "READ" : "WRITE"));
        }
        return file;
    }

    private static void checkRange(MemorySegment buffer, long offset, int length) {
        long size = buffer.byteSize();
        if (offset < 0 || length < 0 || offset > size - length) {
            throw new IndexOutOfBoundsException(
                    "range [" + offset + ", " + offset + " + " + length + ") is outside a segment of " + size + " bytes");
        }
    }
}
