package flexos.alloc.impl;

import flexos.alloc.api.Allocator;
import flexos.alloc.api.SharedAllocator;
import flexos.core.component.Library;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import flexos.core.hardening.SanitizedHeap;
import flexos.core.hardening.SanitizingAllocatorLibrary;
import flexos.core.hardening.ShadowMemory;

import java.lang.foreign.MemorySegment;

import java.util.Map;
import java.util.Set;

/**
 * The {@code alloc} library: a {@link TlsfAllocator} over the compartment's private heap, exported as
 * {@link Allocator}, and one over the image's shared heap, exported as {@link SharedAllocator}.
 *
 * <p>It is {@linkplain #perCompartment() instantiated once per compartment}, as FlexOS gives every compartment
 * its own allocator. All instances open the same shared heap; because a TLSF heap keeps all its state, its lock
 * included, inside its memory, they attach to one heap instead of each formatting its own.
 */
public final class AllocLibrary implements Library, SanitizingAllocatorLibrary {

    @Override
    public String name() {
        return "alloc";
    }

    @Override
    public Set<Class<?>> exports() {
        return Set.of(Allocator.class, SharedAllocator.class);
    }

    @Override
    public Set<Class<?>> imports() {
        return Set.of();
    }

    @Override
    public boolean perCompartment() {
        return true;
    }

    @Override
    public LibraryInstance instantiate(LibraryContext context) {
        TlsfAllocator own = TlsfAllocator.open(context.privateHeap());
        SharedAllocator shared = new SharedHeapAllocator(TlsfAllocator.open(context.sharedHeap()));
        return LibraryInstance.of(Map.of(Allocator.class, own, SharedAllocator.class, shared));
    }

    @Override
    public <T> T sanitized(Class<T> api, T export, String owner, MemorySegment heap, ShadowMemory shadow) {
        if (api != Allocator.class) {
            return null;
        }
        Allocator raw = (Allocator) export;
        return api.cast(new AsanAllocator(raw, new SanitizedHeap(owner, heap, raw::malloc, raw::free, shadow,
                SanitizedHeap.DEFAULT_QUARANTINE_BYTES)));
    }
}
