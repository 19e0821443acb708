package flexos.alloc.api;

/**
 * A heap's occupancy at one moment.
 *
 * @param capacity    the bytes the heap manages
 * @param used        the bytes in allocated blocks, headers included
 * @param allocations the number of live blocks
 */
public record HeapStats(long capacity, long used, long allocations) {
}
