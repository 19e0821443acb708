package flexos.redis;

import java.lang.foreign.MemorySegment;

/** The MATCH filter of the SCAN family, with libc's fnmatch. */
final class ScanFilter {

    private ScanFilter() {
    }

    static boolean matches(Keyspace ks, byte[] pattern, MemorySegment s) {
        return pattern == null || (pattern.length == 1 && pattern[0] == '*') || ks.patterns.fnmatch(
                MemorySegment.ofArray(pattern), 0, pattern.length, s, 0, s.byteSize());
    }
}
