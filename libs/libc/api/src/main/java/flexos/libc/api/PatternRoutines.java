package flexos.libc.api;

import java.lang.foreign.MemorySegment;

/** {@code fnmatch}-style glob matching, as Redis's {@code KEYS} uses it. */
public interface PatternRoutines {

    /**
     * Whether {@code s[sOffset, sOffset+sLength)} matches the glob {@code pattern[pOffset, pOffset+pLength)}:
     * {@code *}, {@code ?}, {@code [abc]}, {@code [^a-z]} and {@code \} escapes, byte by byte.
     */
    boolean fnmatch(MemorySegment pattern, long pOffset, long pLength, MemorySegment s, long sOffset, long sLength);
}
