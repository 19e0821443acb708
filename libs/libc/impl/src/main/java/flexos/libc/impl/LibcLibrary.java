package flexos.libc.impl;

import flexos.core.component.Library;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import flexos.libc.api.HashRoutines;
import flexos.libc.api.MemoryRoutines;
import flexos.libc.api.NumberRoutines;
import flexos.libc.api.PatternRoutines;

import java.security.SecureRandom;
import java.util.Map;
import java.util.Set;

/**
 * The {@code libc} library: memory, number, hash and pattern routines over bounds-checked segments. It calls no
 * other library and touches only the segments its callers pass in.
 */
public final class LibcLibrary implements Library {

    @Override
    public String name() {
        return "libc";
    }

    @Override
    public Set<Class<?>> exports() {
        return Set.of(MemoryRoutines.class, NumberRoutines.class, HashRoutines.class, PatternRoutines.class);
    }

    @Override
    public Set<Class<?>> imports() {
        return Set.of();
    }

    @Override
    public LibraryInstance instantiate(LibraryContext context) {
        // A fresh random key per instance, so that hash-flooding inputs cannot be precomputed, as Redis seeds
        // its dictionary hash at startup.
        SecureRandom random = new SecureRandom();
        return LibraryInstance.of(Map.of(
                MemoryRoutines.class, new SegmentMemoryRoutines(),
                NumberRoutines.class, new RedisNumberRoutines(),
                HashRoutines.class, new SipHashRoutines(random.nextLong(), random.nextLong()),
                PatternRoutines.class, new GlobPatternRoutines()));
    }
}
