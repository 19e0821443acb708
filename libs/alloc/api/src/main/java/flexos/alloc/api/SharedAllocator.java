package flexos.alloc.api;

/**
 * An {@link Allocator} over the image's shared heap: blocks other compartments may see. Importing this API is how a
 * library declares that it shares data, as FlexOS's {@code flexos_malloc_whitelist} does; everything else a library
 * allocates stays in its compartment's private heap.
 */
public interface SharedAllocator extends Allocator {
}
