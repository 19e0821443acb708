package flexos.core.component;

import java.lang.foreign.MemorySegment;

/**
 * What the image gives one library instance: its gates and its compartment's memory. The image's one
 * implementation is {@link InstanceContext}; a test may implement it to drive a library alone.
 */
public interface LibraryContext {

    /** The name of the compartment this instance runs in. */
    String compartment();

    /**
     * The gate through which this library calls {@code api}, which must be one of its declared imports.
     *
     * @throws IllegalArgumentException if {@code api} was not declared in {@link Library#imports()}
     */
    <T> T gate(Class<T> api);

    /**
     * The private heap of this instance's compartment: memory no other compartment can reach under an isolating
     * mechanism. Only an allocator manages it directly; other libraries allocate through the allocator's API.
     */
    MemorySegment privateHeap();

    /**
     * The image's shared heap, which holds the data the configuration declares shared between compartments
     * (the analogue of FlexOS's {@code flexos_malloc_whitelist}).
     */
    MemorySegment sharedHeap();
}
