package flexos.core.memory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The memory of one image: a private heap per compartment and one shared heap. It owns every region and frees
 * them all when the image stops.
 */
public final class ImageMemory implements AutoCloseable {

    private final MemoryRegion shared;
    private final Map<String, MemoryRegion> privateHeaps = new LinkedHashMap<>();

    public ImageMemory(long sharedHeapBytes) {
        this(MemoryRegion.allocate("shared", sharedHeapBytes));
    }

    /** An image memory whose shared heap is {@code shared}, which it then owns (a mechanism chose where it lies). */
    public ImageMemory(MemoryRegion shared) {
        this.shared = shared;
    }

    /** Allocates the private heap of {@code compartment}. */
    public MemoryRegion createPrivateHeap(String compartment, long bytes) {
        return addPrivateHeap(compartment, MemoryRegion.allocate(compartment, bytes));
    }

    /** Makes {@code region}, which a mechanism placed, the private heap of {@code compartment}; this memory owns it. */
    public synchronized MemoryRegion addPrivateHeap(String compartment, MemoryRegion region) {
        if (privateHeaps.containsKey(compartment)) {
            region.close();
            throw new IllegalStateException("compartment " + compartment + " already has a heap");
        }
        privateHeaps.put(compartment, region);
        return region;
    }

    /** The private heap of {@code compartment}. */
    public synchronized MemoryRegion privateHeap(String compartment) {
        MemoryRegion region = privateHeaps.get(compartment);
        if (region == null) {
            throw new IllegalArgumentException("compartment " + compartment + " has no heap");
        }
        return region;
    }

    public MemoryRegion sharedHeap() {
        return shared;
    }

    @Override
    public synchronized void close() {
        privateHeaps.values().forEach(MemoryRegion::close);
        privateHeaps.clear();
        shared.close();
    }
}
