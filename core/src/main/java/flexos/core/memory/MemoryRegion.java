package flexos.core.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A block of off-heap memory owned by one {@link Arena}: a compartment's private heap, or the image's shared heap.
 * Closing the region frees the memory; every segment sliced from it becomes inaccessible at once, so a
 * stale reference faults instead of reading reused memory.
 */
public final class MemoryRegion implements AutoCloseable {

    /** Regions are aligned to a page so that a later mechanism can protect or map them page by page. */
    private static final long PAGE = 4096;

    private final String name;
    private final Arena arena;
    private final MemorySegment segment;

    private MemoryRegion(String name, Arena arena, MemorySegment segment) {
        this.name = name;
        this.arena = arena;
        this.segment = segment;
    }

    /** Allocates a zeroed region of {@code bytes} bytes. Shared arenas let any thread of the image reach it. */
    public static MemoryRegion allocate(String name, long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("region " + name + " needs a positive size, got " + bytes);
        }
        Arena arena = Arena.ofShared();
        try {
            return new MemoryRegion(name, arena, arena.allocate(bytes, PAGE));
        } catch (RuntimeException | OutOfMemoryError e) {
            arena.close();
            throw e;
        }
    }

    /**
     * A region over memory someone else set up, such as a file mapping that other processes share: closing the
     * region closes {@code arena}, which must own {@code segment}.
     */
    public static MemoryRegion of(String name, Arena arena, MemorySegment segment) {
        return new MemoryRegion(name, arena, segment);
    }

    public String name() {
        return name;
    }

    public MemorySegment segment() {
        return segment;
    }

    @Override
    public void close() {
        arena.close();
    }
}
