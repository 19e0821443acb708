package flexos.libc.api;

import java.lang.foreign.MemorySegment;

/** {@code <string.h>}'s memory routines over segments. Offsets and lengths are in bytes and bounds-checked. */
public interface MemoryRoutines {

    /** Copies {@code n} bytes; the ranges must not overlap. */
    void memcpy(MemorySegment dst, long dstOffset, MemorySegment src, long srcOffset, long n);

    /** Copies {@code n} bytes; the ranges may overlap. */
    void memmove(MemorySegment dst, long dstOffset, MemorySegment src, long srcOffset, long n);

    /** Sets {@code n} bytes to {@code value}. */
    void memset(MemorySegment dst, long offset, byte value, long n);

    /** Compares two byte ranges as unsigned bytes, shorter-is-smaller on a common prefix: negative, 0 or positive. */
    int memcmp(MemorySegment a, long aOffset, long aLength, MemorySegment b, long bOffset, long bLength);

    /** The offset of the first {@code value} in {@code [from, to)}, or -1. */
    long memchr(MemorySegment s, long from, long to, byte value);
}
