package flexos.vfs.impl;

import flexos.vfs.api.FileSystem;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Files in a directory of the host, through {@code java.nio}: the analogue of Unikraft's 9pfs share of a host
 * folder.
 *
 * <p><b>Confinement.</b> The root is the directory's real path, taken once when mounting. Every path is walked from
 * the root one component at a time without following links: a symbolic link anywhere on the way, the last component
 * included, is {@link FileSystem#OUTSIDE_ROOT}; the last component is then opened with {@code O_NOFOLLOW}
 * ({@link LinkOption#NOFOLLOW_LINKS}), so a link put in its place after the check still fails to open. {@code ..}
 * never reaches here ({@link VfsPath}). What this cannot close: a process of the host that swaps a directory on the
 * way for a link between the walk and the open could redirect that one call (Java has no {@code openat}); the file
 * system's own callers cannot, since the API makes no links. Names that are neither files nor directories (devices,
 * pipes, sockets) are {@link FileSystem#DENIED}, so no call blocks on a pipe.
 */
final class HostBackend implements Backend {

    private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private final Path root;

    private HostBackend(Path root) {
        this.root = root;
    }

    /** A backend rooted at {@code directory}'s real path. */
    static HostBackend mount(String directory) throws FsFailure {
        if (directory.isEmpty()) {
            throw new FsFailure(FileSystem.INVALID_PATH);
        }
        try {
            Path real = Path.of(directory).toAbsolutePath().toRealPath();
            if (!Files.isDirectory(real)) {
                throw new FsFailure(FileSystem.NOT_DIRECTORY);
            }
            return new HostBackend(real);
        } catch (InvalidPathException e) {
            throw new FsFailure(FileSystem.INVALID_PATH);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    @Override
    public String source() {
        return "host:" + root;
    }

    /** The host path of {@code path}, after checking that no component of it is a link or a non-directory on the way. */
    private Path resolve(VfsPath path) throws FsFailure {
        Path at = root;
        List<String> components = path.components();
        for (int i = 0; i < components.size(); i++) {
            try {
                at = at.resolve(components.get(i));
            } catch (InvalidPathException e) {
                throw new FsFailure(FileSystem.INVALID_PATH);
            }
            BasicFileAttributes attributes = attributesOrNull(at);
            boolean last = i == components.size() - 1;
            if (attributes == null) {
                if (last) {
                    return at;
                }
                throw new FsFailure(FileSystem.NOT_FOUND);
            }
            if (attributes.isSymbolicLink()) {
                throw new FsFailure(FileSystem.OUTSIDE_ROOT);
            }
            if (!last && !attributes.isDirectory()) {
                throw new FsFailure(FileSystem.NOT_DIRECTORY);
            }
        }
        return at;
    }

    private static BasicFileAttributes attributesOrNull(Path path) throws FsFailure {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, NO_FOLLOW);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** The attributes of an existing name, which is a file or a directory. */
    private static BasicFileAttributes existing(Path path) throws FsFailure {
        BasicFileAttributes attributes = attributesOrNull(path);
        if (attributes == null) {
            throw new FsFailure(FileSystem.NOT_FOUND);
        }
        if (attributes.isSymbolicLink()) {
            throw new FsFailure(FileSystem.OUTSIDE_ROOT);
        }
        if (!attributes.isRegularFile() && !attributes.isDirectory()) {
            throw new FsFailure(FileSystem.DENIED);
        }
        return attributes;
    }

    @Override
    public OpenFile open(VfsPath path, int flags) throws FsFailure {
        if (path.isRoot()) {
            throw new FsFailure(FileSystem.IS_DIRECTORY);
        }
        Path file = resolve(path);
        BasicFileAttributes attributes = attributesOrNull(file);
        if (attributes != null) {
            if (attributes.isSymbolicLink()) {
                throw new FsFailure(FileSystem.OUTSIDE_ROOT);
            }
            if (attributes.isDirectory()) {
                throw new FsFailure(FileSystem.IS_DIRECTORY);
            }
            if (!attributes.isRegularFile()) {
                throw new FsFailure(FileSystem.DENIED);
            }
        }
        Set<OpenOption> options = new HashSet<>();
        options.add(LinkOption.NOFOLLOW_LINKS);
        if ((flags & FileSystem.READ) != 0) {
            options.add(StandardOpenOption.READ);
        }
        if ((flags & FileSystem.WRITE) != 0) {
            options.add(StandardOpenOption.WRITE);
        }
        if ((flags & FileSystem.CREATE) != 0) {
            options.add((flags & FileSystem.EXCLUSIVE) != 0 ? StandardOpenOption.CREATE_NEW : StandardOpenOption.CREATE);
        }
        if ((flags & FileSystem.TRUNCATE) != 0) {
            options.add(StandardOpenOption.TRUNCATE_EXISTING);
        }
        if ((flags & FileSystem.APPEND) != 0) {
            options.add(StandardOpenOption.APPEND);
        }
        try {
            return new HostFile(FileChannel.open(file, options));
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** An open host file; positional I/O, so the handle's position is the caller's. */
    private record HostFile(FileChannel channel) implements OpenFile {

        @Override
        public int read(long position, MemorySegment buffer, long offset, int length) throws FsFailure {
            if (length == 0) {
                return 0;
            }
            ByteBuffer view = buffer.asSlice(offset, length).asByteBuffer();
            try {
                int count = channel.read(view, position);
                return Math.max(count, 0);
            } catch (IOException e) {
                throw failure(e);
            }
        }

        @Override
        public long write(long position, boolean append, MemorySegment buffer, long offset, int length) throws FsFailure {
            ByteBuffer view = buffer.asSlice(offset, length).asByteBuffer();
            try {
                if (append) {
                    while (view.hasRemaining()) {
                        channel.write(view);
                    }
                    return channel.position();
                }
                long at = position;
                while (view.hasRemaining()) {
                    at += channel.write(view, at);
                }
                return at;
            } catch (IOException e) {
                throw failure(e);
            }
        }

        @Override
        public void fsync() throws FsFailure {
            try {
                channel.force(true);
            } catch (IOException e) {
                throw failure(e);
            }
        }

        @Override
        public void close() throws FsFailure {
            try {
                channel.close();
            } catch (IOException e) {
                throw failure(e);
            }
        }
    }

    @Override
    public long size(VfsPath path) throws FsFailure {
        BasicFileAttributes attributes = existing(resolve(path));
        if (attributes.isDirectory()) {
            throw new FsFailure(FileSystem.IS_DIRECTORY);
        }
        return attributes.size();
    }

    @Override
    public int kind(VfsPath path) throws FsFailure {
        return existing(resolve(path)).isDirectory() ? FileSystem.DIRECTORY : FileSystem.FILE;
    }

    @Override
    public void mkdir(VfsPath path) throws FsFailure {
        if (path.isRoot()) {
            throw new FsFailure(FileSystem.EXISTS);
        }
        Path directory = resolve(path);
        try {
            Files.createDirectory(directory);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    @Override
    public void rename(VfsPath from, VfsPath to) throws FsFailure {
        if (from.isRoot() || to.isRoot() || from.contains(to) && !from.equals(to)) {
            throw new FsFailure(FileSystem.INVALID_PATH);
        }
        Path source = resolve(from);
        existing(source);
        Path target = resolve(to);
        if (from.equals(to)) {
            return;
        }
        try {
            // rename(2): atomic, and it replaces an existing file (or empty directory) at the target.
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new FsFailure(FileSystem.IO_ERROR);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    @Override
    public void unlink(VfsPath path) throws FsFailure {
        Path file = resolve(path);
        if (existing(file).isDirectory()) {
            throw new FsFailure(FileSystem.IS_DIRECTORY);
        }
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    @Override
    public void rmdir(VfsPath path) throws FsFailure {
        if (path.isRoot()) {
            throw new FsFailure(FileSystem.DENIED);
        }
        Path directory = resolve(path);
        if (!existing(directory).isDirectory()) {
            throw new FsFailure(FileSystem.NOT_DIRECTORY);
        }
        try {
            Files.delete(directory);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    @Override
    public void syncDirectory(VfsPath path) throws FsFailure {
        Path directory = resolve(path);
        if (!existing(directory).isDirectory()) {
            throw new FsFailure(FileSystem.NOT_DIRECTORY);
        }
        // On Linux a directory opens read-only and fsync(2) of it makes its entries durable.
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            channel.force(true);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    @Override
    public List<String> list(VfsPath path) throws FsFailure {
        Path directory = resolve(path);
        if (!existing(directory).isDirectory()) {
            throw new FsFailure(FileSystem.NOT_DIRECTORY);
        }
        List<byte[]> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                names.add(entry.getFileName().toString().getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw failure(e);
        }
        names.sort(Arrays::compareUnsigned);
        return names.stream().map(n -> new String(n, StandardCharsets.UTF_8)).toList();
    }

    @Override
    public void close() {
        // Nothing is held beyond the open files, which the handle table closes.
    }

    /** The code of a host failure: by exception type, then by the kernel's words ({@code strerror}) in its reason. */
    static FsFailure failure(IOException e) {
        int code = switch (e) {
            case NoSuchFileException x -> FileSystem.NOT_FOUND;
            case FileAlreadyExistsException x -> FileSystem.EXISTS;
            case AccessDeniedException x -> FileSystem.DENIED;
            case DirectoryNotEmptyException x -> FileSystem.NOT_EMPTY;
            case NotDirectoryException x -> FileSystem.NOT_DIRECTORY;
            case FileSystemLoopException x -> FileSystem.OUTSIDE_ROOT;
            case FileSystemException x -> byReason(x.getReason());
            default -> byReason(e.getMessage());
        };
        return new FsFailure(code);
    }

    private static int byReason(String reason) {
        String text = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
        if (text.contains("no space left") || text.contains("quota")) {
            return FileSystem.NO_SPACE;
        }
        if (text.contains("not a directory")) {
            return FileSystem.NOT_DIRECTORY;
        }
        if (text.contains("is a directory")) {
            return FileSystem.IS_DIRECTORY;
        }
        if (text.contains("too many levels of symbolic links")) {
            return FileSystem.OUTSIDE_ROOT;
        }
        if (text.contains("too many open files")) {
            return FileSystem.TOO_MANY_OPEN;
        }
        if (text.contains("directory not empty")) {
            return FileSystem.NOT_EMPTY;
        }
        if (text.contains("file exists")) {
            return FileSystem.EXISTS;
        }
        if (text.contains("no such file")) {
            return FileSystem.NOT_FOUND;
        }
        if (text.contains("permission denied") || text.contains("operation not permitted")
                || text.contains("read-only file system")) {
            return FileSystem.DENIED;
        }
        return FileSystem.IO_ERROR;
    }
}
