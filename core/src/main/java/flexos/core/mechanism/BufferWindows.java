package flexos.core.mechanism;

import java.lang.foreign.MemorySegment;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link BufferWindow} parameters of one API method, and how a gate that copies arguments (a {@code process}
 * gate, a {@code module} or {@code mpk} gate with {@code sharing: copy}) narrows them: the segment becomes its window
 * (offset 0), read-only for {@code READ} (copied in, never back), passed without its bytes for {@code WRITE} (copied
 * back, never in); a partial window may be shortened to what the gate's transport carries, and only the bytes the
 * result says were done are copied back. So a 16 KiB {@code recv} buffer of which 40 bytes are read crosses as 40
 * bytes, once, and a 512 MiB buffer crosses a process gate as a sequence of calls that each fit a slot.
 */
public final class BufferWindows {

    private record One(int segment, int offset, int length, BufferWindow.Access access, boolean partial,
                       boolean offsetIsLong, boolean lengthIsLong) {
    }

    private final One[] windows;

    private BufferWindows(One[] windows) {
        this.windows = windows;
    }

    /** The windows of {@code method}, or null if it has none; a window that does not fit the signature is an error. */
    public static BufferWindows of(Method method) {
        Parameter[] parameters = method.getParameters();
        List<One> found = new ArrayList<>();
        for (int i = 0; i < parameters.length; i++) {
            BufferWindow w = parameters[i].getAnnotation(BufferWindow.class);
            if (w == null) {
                continue;
            }
            if (parameters[i].getType() != MemorySegment.class || !isIndex(parameters, w.offset())
                    || !isIndex(parameters, w.length()) || w.partial() && !isCount(method.getReturnType())) {
                throw new IllegalArgumentException("@BufferWindow on parameter " + i + " of " + method + " does not fit"
                        + " its signature: it marks a MemorySegment, whose offset and length are int or long"
                        + " parameters; a partial window's method returns an int or long count");
            }
            found.add(new One(i, w.offset(), w.length(), w.access(), w.partial(),
                    parameters[w.offset()].getType() == long.class, parameters[w.length()].getType() == long.class));
        }
        return found.isEmpty() ? null : new BufferWindows(found.toArray(One[]::new));
    }

    private static boolean isIndex(Parameter[] parameters, int index) {
        return index >= 0 && index < parameters.length && isCount(parameters[index].getType());
    }

    private static boolean isCount(Class<?> type) {
        return type == int.class || type == long.class;
    }

    /**
     * Replaces each window's segment, offset and length in {@code args} by the window alone, shortening a partial one
     * to {@code partialCap} bytes; returns the bit set of argument positions whose bytes need not be copied in. A
     * window outside its segment (or a null segment) is left as it is: the callee then fails the call itself.
     */
    public long narrow(Object[] args, long partialCap) {
        long blank = 0;
        for (One w : windows) {
            if (!(args[w.segment] instanceof MemorySegment s) || s.byteSize() == 0 && s.address() == 0) {
                continue;
            }
            long offset = ((Number) args[w.offset]).longValue();
            long length = ((Number) args[w.length]).longValue();
            if (offset < 0 || length < 0 || offset > s.byteSize() - length) {
                continue;
            }
            if (w.partial && length > partialCap) {
                length = partialCap;
            }
            MemorySegment window = s.asSlice(offset, length);
            args[w.segment] = w.access == BufferWindow.Access.READ ? window.asReadOnly() : window;
            args[w.offset] = w.offsetIsLong ? (Object) 0L : (Object) 0;
            args[w.length] = w.lengthIsLong ? (Object) length : (Object) (int) length;
            if (w.access == BufferWindow.Access.WRITE && w.segment < 64) {
                blank |= 1L << w.segment;
            }
        }
        return blank;
    }

    /**
     * How many bytes of the (narrowed) segment at {@code position} to copy back after a call that returned
     * {@code result}: all of them, or for a partial window the count the result gives (none if negative); -1 if the
     * count is larger than the window, which breaks the contract (the gate fails the callee).
     */
    public long copyBackBytes(int position, Object result, long segmentBytes) {
        for (One w : windows) {
            if (w.segment == position && w.partial) {
                long done = ((Number) result).longValue();
                return done > segmentBytes ? -1 : Math.max(0, done);
            }
        }
        return segmentBytes;
    }
}
