package flexos.libc.api;

import java.lang.foreign.MemorySegment;

/** Hashing of byte ranges, for hash tables. */
public interface HashRoutines {

    /** A well-mixed 64-bit hash of {@code s[offset, offset+length)}, keyed by a per-image random seed. */
    long hash(MemorySegment s, long offset, long length);
}
