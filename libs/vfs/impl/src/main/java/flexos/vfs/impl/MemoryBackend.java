package flexos.vfs.impl;

import flexos.vfs.api.FileSystem;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Files kept in memory, on the JVM heap of the compartment the library runs in: the analogue of Unikraft's
 * {@code ramfs}. A tree of directories whose files are growable byte arrays. As in POSIX, a file removed or replaced
 * while open stays readable and writable through its handles until they close.
 *
 * <p>The bytes of all files together, those removed but still open included, are bounded by a capacity given at
 * mount; a write beyond it is {@link FileSystem#NO_SPACE}. Files are at most {@link Integer#MAX_VALUE} - 8 bytes (a Java array).
 * One lock guards the whole tree: the backend is for snapshots and tests, not for parallel throughput.
 */
final class MemoryBackend implements Backend {

    private static final int MAX_FILE_BYTES = Integer.MAX_VALUE - 8;

    private abstract static sealed class Node permits Directory, RegularFile {
    }

    private static final class Directory extends Node {
        final TreeMap<String, Node> entries = new TreeMap<>(MemoryBackend::compareUtf8);
    }

    private static final class RegularFile extends Node {
        byte[] data = new byte[0];
        int length;
        /** Whether a directory names it; an unnamed file lives on while {@link #opens} is not 0. */
        boolean linked = true;
        int opens;
    }

    private final Directory root = new Directory();
    private final long capacity;
    private long used;

    MemoryBackend(long capacity) {
        this.capacity = capacity;
    }

    private static int compareUtf8(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String source() {
        return "memory:";
    }

    /** The node at {@code path}, or null when only its last component is missing. */
    private Node lookup(VfsPath path) throws FsFailure {
        Node at = root;
        List<String> components = path.components();
        for (int i = 0; i < components.size(); i++) {
            if (!(at instanceof Directory directory)) {
                throw new FsFailure(FileSystem.NOT_DIRECTORY);
            }
            at = directory.entries.get(components.get(i));
            if (at == null) {
                if (i == components.size() - 1) {
                    return null;
                }
                throw new FsFailure(FileSystem.NOT_FOUND);
            }
        }
        return at;
    }

    private Node existing(VfsPath path) throws FsFailure {
        Node node = lookup(path);
        if (node == null) {
            throw new FsFailure(FileSystem.NOT_FOUND);
        }
        return node;
    }

    private Directory parentOf(VfsPath path) throws FsFailure {
        Node parent = existing(path.parent());
        if (!(parent instanceof Directory directory)) {
            throw new FsFailure(FileSystem.NOT_DIRECTORY);
        }
        return directory;
    }

    @Override
    public synchronized OpenFile open(VfsPath path, int flags) throws FsFailure {
        if (path.isRoot()) {
            throw new FsFailure(FileSystem.IS_DIRECTORY);
        }
        Node node = lookup(path);
        if (node == null) {
            if ((flags & FileSystem.CREATE) == 0) {
                throw new FsFailure(FileSystem.NOT_FOUND);
            }
            RegularFile created = new RegularFile();
            parentOf(path).entries.put(path.name(), created);
            node = created;
        } else if ((flags & FileSystem.CREATE) != 0 && (flags & FileSystem.EXCLUSIVE) != 0) {
            throw new FsFailure(FileSystem.EXISTS);
        }
        if (node instanceof Directory) {
            throw new FsFailure(FileSystem.IS_DIRECTORY);
        }
        RegularFile file = (RegularFile) node;
        if ((flags & FileSystem.TRUNCATE) != 0 && (flags & FileSystem.WRITE) != 0) {
            used -= file.length;
            file.data = new byte[0];
            file.length = 0;
        }
        file.opens++;
        return new MemoryFile(file);
    }

    /** Forgets a file's name; its bytes stop counting once no handle holds it either. */
    private void unlinked(RegularFile file) {
        file.linked = false;
        if (file.opens == 0) {
            used -= file.length;
        }
    }

    private final class MemoryFile implements OpenFile {
        private final RegularFile file;

        MemoryFile(RegularFile file) {
            this.file = file;
        }

        @Override
        public int read(long position, MemorySegment buffer, long offset, int length) {
            synchronized (MemoryBackend.this) {
                if (position >= file.length) {
                    return 0;
                }
                int count = (int) Math.min(length, file.length - position);
                MemorySegment.copy(file.data, (int) position, buffer, ValueLayout.JAVA_BYTE, offset, count);
                return count;
            }
        }

        @Override
        public long write(long position, boolean append, MemorySegment buffer, long offset, int length) throws FsFailure {
            synchronized (MemoryBackend.this) {
                long at = append ? file.length : position;
                long end = at + length;
                if (end > MAX_FILE_BYTES) {
                    throw new FsFailure(FileSystem.NO_SPACE);
                }
                long growth = Math.max(0, end - file.length);
                if (used + growth > capacity) {
                    throw new FsFailure(FileSystem.NO_SPACE);
                }
                if (end > file.data.length) {
                    long size = Math.min(MAX_FILE_BYTES, Math.max(end, Math.max(64, 2L * file.data.length)));
                    file.data = Arrays.copyOf(file.data, (int) size);
                }
                MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, offset, file.data, (int) at, length);
                if (end > file.length) {
                    // A write past the end leaves a hole of zeros, as a sparse POSIX file reads.
                    file.length = (int) end;
                }
                used += growth;
                return end;
            }
        }

        @Override
        public void fsync() {
            // Memory is as durable as it gets here.
        }

        @Override
        public void close() {
            synchronized (MemoryBackend.this) {
                if (--file.opens == 0 && !file.linked) {
                    used -= file.length;
                }
            }
        }
    }

    @Override
    public synchronized long size(VfsPath path) throws FsFailure {
        Node node = existing(path);
        if (node instanceof RegularFile file) {
            return file.length;
        }
        throw new FsFailure(FileSystem.IS_DIRECTORY);
    }

    @Override
    public synchronized int kind(VfsPath path) throws FsFailure {
        return existing(path) instanceof Directory ? FileSystem.DIRECTORY : FileSystem.FILE;
    }

    @Override
    public synchronized void mkdir(VfsPath path) throws FsFailure {
        if (lookup(path) != null) {
            throw new FsFailure(FileSystem.EXISTS);
        }
        parentOf(path).entries.put(path.name(), new Directory());
    }

    @Override
    public synchronized void rename(VfsPath from, VfsPath to) throws FsFailure {
        if (from.isRoot() || to.isRoot() || from.contains(to) && !from.equals(to)) {
            throw new FsFailure(FileSystem.INVALID_PATH);
        }
        Node moving = existing(from);
        Directory targetParent = parentOf(to);
        Node replaced = lookup(to);
        if (from.equals(to)) {
            return;
        }
        if (replaced instanceof Directory directory) {
            if (!(moving instanceof Directory)) {
                throw new FsFailure(FileSystem.IS_DIRECTORY);
            }
            if (!directory.entries.isEmpty()) {
                throw new FsFailure(FileSystem.NOT_EMPTY);
            }
        } else if (replaced != null && moving instanceof Directory) {
            throw new FsFailure(FileSystem.NOT_DIRECTORY);
        }
        parentOf(from).entries.remove(from.name());
        targetParent.entries.put(to.name(), moving);
        if (replaced instanceof RegularFile file) {
            unlinked(file);
        }
    }

    @Override
    public synchronized void unlink(VfsPath path) throws FsFailure {
        Node node = existing(path);
        if (node instanceof Directory) {
            throw new FsFailure(FileSystem.IS_DIRECTORY);
        }
        parentOf(path).entries.remove(path.name());
        unlinked((RegularFile) node);
    }

    @Override
    public synchronized void rmdir(VfsPath path) throws FsFailure {
        if (path.isRoot()) {
            throw new FsFailure(FileSystem.DENIED);
        }
        Node node = existing(path);
        if (!(node instanceof Directory directory)) {
            throw new FsFailure(FileSystem.NOT_DIRECTORY);
        }
        if (!directory.entries.isEmpty()) {
            throw new FsFailure(FileSystem.NOT_EMPTY);
        }
        parentOf(path).entries.remove(path.name());
    }

    @Override
    public synchronized void syncDirectory(VfsPath path) throws FsFailure {
        if (!(existing(path) instanceof Directory)) {
            throw new FsFailure(FileSystem.NOT_DIRECTORY);
        }
    }

    @Override
    public synchronized List<String> list(VfsPath path) throws FsFailure {
        if (!(existing(path) instanceof Directory directory)) {
            throw new FsFailure(FileSystem.NOT_DIRECTORY);
        }
        return List.copyOf(directory.entries.keySet());
    }

    @Override
    public synchronized void close() {
        root.entries.clear();
        used = 0;
    }
}
