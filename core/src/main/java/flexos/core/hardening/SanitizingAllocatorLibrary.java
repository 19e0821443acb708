package flexos.core.hardening;

import java.lang.foreign.MemorySegment;

/**
 * An allocator library that can give a hardened library an {@code asan} allocator of its own: the same API
 * as its ordinary export, over a {@link SanitizedHeap}. Only the hardened library receives it; every other
 * library keeps the ordinary allocator.
 */
public interface SanitizingAllocatorLibrary {

    /**
     * An {@code asan} face of {@code export} (an export of this library for {@code api}) for the library named
     * {@code owner}, allocating from {@code export} and recording shadow state in {@code shadow}; {@code null}
     * if {@code api} is not an allocation API.
     *
     * @param heap the heap {@code export} allocates from, so that reports can give heap offsets
     */
    <T> T sanitized(Class<T> api, T export, String owner, MemorySegment heap, ShadowMemory shadow);
}
