package flexos.core.mechanism;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A contract on a {@code MemorySegment} parameter of an API method: the callee touches only the bytes
 * {@code [offset, offset + length)} of the segment, where {@code offset} and {@code length} are the arguments at the
 * indices {@link #offset()} and {@link #length()} (an {@code int} or {@code long} each), and only in the way
 * {@link #access()} says. With {@link #partial()}, the callee may do less than {@code length} bytes of work and
 * returns (as an {@code int} or {@code long}) how many bytes it did, from the window's start; a negative result
 * means none. The attributes of DCE/MS RPC's IDL ({@code [in]}, {@code [out]}, {@code size_is},
 * {@code length_is}) and POSIX {@code read}/{@code write}, which may transfer less than asked, say the same.
 *
 * <p>Gates that call in place ({@code fcall}; {@code module} and {@code mpk} for a segment they share) ignore it. A
 * gate that copies arguments ({@code process}; {@code module} and {@code mpk} with {@code sharing: copy}) copies only
 * the window, only in the direction of {@link #access()}, and for a partial call may shorten {@code length} (to what
 * fits its transport) and copies back only the bytes the result says were done; the callee sees the window as a
 * segment of its own at offset 0. A callee whose result claims more than the window fails the call. A call whose
 * window lies outside the segment is passed unchanged, so the callee fails it as it would in place.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface BufferWindow {

    /** How the callee uses the window's bytes. */
    enum Access {
        /** It only reads them: they are copied in, never back. */
        READ,
        /** It only writes them: they are copied back, never in. */
        WRITE
    }

    /** The index of the parameter that holds the window's first byte. */
    int offset();

    /** The index of the parameter that holds the window's length. */
    int length();

    Access access();

    /** Whether the callee may do fewer bytes than {@code length} and returns how many it did. */
    boolean partial() default false;
}
