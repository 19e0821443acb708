package flexos.core.mechanism.process;

import flexos.core.mechanism.process.sandbox.Descriptors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.MemorySegment.Scope;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Memory that several processes map: an anonymous memory file ({@code memfd_create}), mapped with
 * {@link FileChannel#map} into an {@link Arena}. It has no name anywhere, so no other process can open it: a
 * compartment process gets it only as a descriptor the image hands over ({@link #fd()},
 * {@link flexos.core.mechanism.process.sandbox.DescriptorHandover}), and maps it with {@link #adopt}. Its size is
 * sealed once mapped, so no holder can shrink it under the others' mappings. The memory is freed when the last
 * process unmaps it and closes its descriptor, so nothing is left behind, not even after a {@code kill -9}.
 *
 * <p>Closing the arena unmaps the memory and closes the file.
 */
final class SharedMemoryFile implements Arena {

    private final Arena arena;
    private final FileChannel channel;
    private final MemorySegment segment;
    private final int fd;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SharedMemoryFile(Arena arena, FileChannel channel, MemorySegment segment, int fd) {
        this.arena = arena;
        this.channel = channel;
        this.segment = segment;
        this.fd = fd;
    }

    /** A new zeroed shared mapping of {@code bytes} bytes; {@code purpose} labels it in {@code /proc/<pid>/fd}. */
    static SharedMemoryFile create(String purpose, long bytes) {
        int fd = Descriptors.memoryFile("flexos-" + purpose);
        Arena arena = Arena.ofShared();
        FileChannel channel = null;
        try {
            channel = reopen(fd);
            // Mapping read-write past the end grows the file to the mapping's size.
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena);
            Descriptors.sealSize(fd);
            return new SharedMemoryFile(arena, channel, segment, fd);
        } catch (IOException | RuntimeException e) {
            arena.close();
            closeQuietly(channel);
            Descriptors.close(fd);
            throw new IllegalStateException("cannot create shared memory for " + purpose + ": " + e.getMessage(), e);
        }
    }

    /**
     * Maps {@code bytes} bytes of the memory file another process handed over as descriptor {@code fd}, then closes
     * {@code fd}: the mapping keeps the memory alive, and no descriptor is left for code of this process to find.
     */
    static MemorySegment adopt(int fd, long bytes, Arena arena) {
        try (FileChannel channel = reopen(fd)) {
            if (channel.size() != bytes) {
                throw new IOException("the memory file has " + channel.size() + " bytes, not " + bytes);
            }
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map the shared memory handed over as descriptor " + fd, e);
        } finally {
            Descriptors.close(fd);
        }
    }

    /** A channel on this process's own descriptor {@code fd} (Java cannot wrap a raw descriptor otherwise). */
    private static FileChannel reopen(int fd) throws IOException {
        return FileChannel.open(Path.of(Descriptors.ownPath(fd)), StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /** The descriptor to hand to a compartment process; valid until this file is closed. */
    int fd() {
        return fd;
    }

    MemorySegment segment() {
        return segment;
    }

    @Override
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        return arena.allocate(byteSize, byteAlignment);
    }

    @Override
    public Scope scope() {
        return arena.scope();
    }

    /** Unmaps the memory and closes the file; closing again does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            arena.close();
        } finally {
            closeQuietly(channel);
            Descriptors.close(fd);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Closing a file we only read and mapped cannot lose data.
            }
        }
    }
}
