package flexos.attacks.faults.heapbug;

import flexos.alloc.api.Allocator;
import flexos.core.component.Entrypoint;
import flexos.core.component.Library;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import flexos.libc.api.MemoryRoutines;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code asan} faults: a C-like buggy application that allocates through the image's allocator and writes
 * through libc. {@code run([fault])} commits one bug and returns 1 if it silently corrupted another allocation (what
 * a user would live with if nothing stopped it), 0 if the other allocation is intact:
 * <ul>
 *   <li>{@code overflow}: a 48-byte memset from the start of a 16-byte block, reached by base + offset on the
 *       heap, over the neighbour block.</li>
 *   <li>{@code use-after-free}: a memset through a kept slice of a freed block, over the block allocated next.</li>
 *   <li>{@code double-free}: frees a block twice, after its memory went to another allocation, which is then
 *       handed out a second time.</li>
 * </ul>
 */
public final class HeapBugLibrary implements Library {

    public String name() { return "heapbug"; }
    public Set<Class<?>> exports() { return Set.of(Entrypoint.class); }
    public Set<Class<?>> imports() { return Set.of(Allocator.class, MemoryRoutines.class); }

    public LibraryInstance instantiate(LibraryContext context) {
        Allocator alloc = context.gate(Allocator.class);
        MemoryRoutines libc = context.gate(MemoryRoutines.class);
        MemorySegment heap = context.privateHeap();
        Entrypoint entry = new Entrypoint() {
            public int run(List<String> args) {
                return switch (args.getFirst()) {
                    case "overflow" -> {
                        MemorySegment mine = alloc.malloc(16);
                        MemorySegment neighbour = alloc.malloc(16);
                        libc.memset(neighbour, 0, (byte) 7, 16);
                        MemorySegment pointer = heap.asSlice(mine.address() - heap.address(), 48);
                        libc.memset(pointer, 0, (byte) 0, 48);
                        yield neighbour.get(ValueLayout.JAVA_BYTE, 0) != 7 ? 1 : 0;
                    }
                    case "use-after-free" -> {
                        MemorySegment kept = alloc.malloc(32);
                        alloc.free(kept);
                        MemorySegment next = alloc.malloc(32);
                        libc.memset(next, 0, (byte) 5, 32);
                        libc.memset(kept, 0, (byte) 9, 32);
                        yield next.get(ValueLayout.JAVA_BYTE, 0) != 5 ? 1 : 0;
                    }
                    case "double-free" -> {
                        MemorySegment first = alloc.malloc(64);
                        alloc.free(first);
                        MemorySegment other = alloc.malloc(64);
                        alloc.free(first);
                        MemorySegment third = alloc.malloc(64);
                        yield third.address() == other.address() ? 1 : 0;
                    }
                    default -> throw new IllegalArgumentException("no fault " + args.getFirst());
                };
            }
            public void requestStop() {
            }
        };
        return LibraryInstance.of(Map.of(Entrypoint.class, entry));
    }
}
