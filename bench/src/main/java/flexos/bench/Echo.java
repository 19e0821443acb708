package flexos.bench;

import java.lang.foreign.MemorySegment;

/** The API crossed in the gate benchmark: a small call, and a call whose argument is a payload. */
public interface Echo {

    /** A small call: two longs in, one out. */
    long add(long x, long y);

    /** A call with a payload: reads {@code length} bytes of {@code block}. */
    long checksum(MemorySegment block, long length);
}
