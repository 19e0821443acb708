package flexos.libc.api;

import java.lang.foreign.MemorySegment;

/**
 * Strict conversions between numbers and their decimal text, as Redis needs them: a number's text must be
 * canonical (no spaces, no {@code +}, no leading zeros) to parse, so that {@code "007"} stays a string.
 */
public interface NumberRoutines {

    /** The value of {@code s[offset, offset+length)} as a canonical signed 64-bit decimal. */
    long strtoll(MemorySegment s, long offset, long length) throws NumberFormatException;

    /** Writes {@code value} in decimal at {@code dst[offset]}; returns the number of bytes written (at most 20). */
    int lltoa(long value, MemorySegment dst, long offset);

    /** The value of {@code s[offset, offset+length)} as a double; accepts {@code inf}, {@code -inf}. */
    double strtod(MemorySegment s, long offset, long length) throws NumberFormatException;

    /** Writes {@code value} the way Redis prints a double; returns the number of bytes written (at most 32). */
    int dtoa(double value, MemorySegment dst, long offset);
}
