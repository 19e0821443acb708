package flexos.core.mechanism.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.MemorySegment.Scope;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Memory that several processes map: a file in {@code /dev/shm}, mapped with {@link FileChannel#map} into an
 * {@link Arena}. The file is unlinked the moment it is mapped, so no name is ever left behind, not even after a
 * {@code kill -9}; the creator keeps the file open, and other processes open it through the creator's
 * {@code /proc/<pid>/fd/<n>} link ({@link #procPath()}), which the kernel allows to a process of the same user.
 * The memory is freed when the last process unmaps it.
 *
 * <p>Closing the arena unmaps the memory and closes the file.
 */
final class SharedMemoryFile implements Arena {

    private static final Path SHM = Path.of("/dev/shm");

    private final Arena arena;
    private final FileChannel channel;
    private final MemorySegment segment;
    private final String procPath;

    private SharedMemoryFile(Arena arena, FileChannel channel, MemorySegment segment, String procPath) {
        this.arena = arena;
        this.channel = channel;
        this.segment = segment;
        this.procPath = procPath;
    }

    /** A new zeroed shared mapping of {@code bytes} bytes, already unlinked from {@code /dev/shm}. */
    static SharedMemoryFile create(String purpose, long bytes) {
        Path file = SHM.resolve("flexos-" + ProcessHandle.current().pid() + "-" + purpose + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        Arena arena = Arena.ofShared();
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena);
            String procPath = procPathOf(file);
            return new SharedMemoryFile(arena, channel, segment, procPath);
        } catch (IOException | RuntimeException e) {
            arena.close();
            closeQuietly(channel);
            throw new IllegalStateException("cannot create shared memory " + file + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // Nothing else can be done; the name is the only thing that could be left over.
            }
        }
    }

    /** Maps the shared memory another process created, through its {@link #procPath()}. */
    static MemorySegment open(String procPath, long bytes, Arena arena) {
        try (FileChannel channel = FileChannel.open(Path.of(procPath), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            // The mapping outlives the channel: the file stays alive for as long as it is mapped.
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map shared memory " + procPath, e);
        }
    }

    /** The creator's file descriptor link for {@code file}, found before the name is unlinked. */
    private static String procPathOf(Path file) throws IOException {
        Path fds = Path.of("/proc/self/fd");
        try (DirectoryStream<Path> links = Files.newDirectoryStream(fds)) {
            for (Path link : links) {
                try {
                    if (Files.readSymbolicLink(link).equals(file)) {
                        return "/proc/" + ProcessHandle.current().pid() + "/fd/" + link.getFileName();
                    }
                } catch (IOException raced) {
                    // A descriptor closed while we looked: not ours.
                }
            }
        }
        throw new IOException("no file descriptor of this process refers to " + file);
    }

    /** Where another process of the same user opens this memory, for as long as this process keeps it. */
    String procPath() {
        return procPath;
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

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

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
