package flexos.net.impl;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * {@link ByteBuffer} views of the segments that callers pass to {@code recv} and {@code send}, cached so that the
 * steady state (a server reusing its connection buffers) allocates nothing per call: each call only moves the
 * cached view's position and limit.
 *
 * <p>The cache is direct-mapped by identity hash and holds {@value #SLOTS} views; a miss replaces the slot's
 * view. Caching is safe because a segment's view shares the segment's scope: I/O through it checks that the
 * segment is still alive (a closed arena fails the call, it never touches freed memory), and a view covers exactly
 * its own segment. Segments larger than a {@code ByteBuffer} can address get an uncached view of the range.
 * Not thread-safe: it serves the single thread that drives the sockets.
 */
final class SegmentBuffers {

    private static final int SLOTS = 64;

    private final MemorySegment[] segments = new MemorySegment[SLOTS];
    private final ByteBuffer[] views = new ByteBuffer[SLOTS];

    /** A buffer whose remaining bytes are exactly {@code segment[offset, offset + length)}. */
    ByteBuffer range(MemorySegment segment, long offset, int length) {
        long size = segment.byteSize();
        if (offset < 0 || length < 0 || offset > size - length) {
            throw new IndexOutOfBoundsException(
                    "range [" + offset + ", " + offset + " + " + length + ") is outside a segment of " + size + " bytes");
        }
        if (size > Integer.MAX_VALUE) {
            return segment.asSlice(offset, length).asByteBuffer();
        }
        int slot = System.identityHashCode(segment) & (SLOTS - 1);
        ByteBuffer view;
        if (segments[slot] == segment) {
            view = views[slot];
        } else {
            view = segment.asByteBuffer();
            segments[slot] = segment;
            views[slot] = view;
        }
        // limit before position: the new position may lie beyond the old limit, never beyond the new one.
        view.limit((int) offset + length).position((int) offset);
        return view;
    }

    /** Forgets every view, so that no segment stays reachable from here. */
    void clear() {
        Arrays.fill(segments, null);
        Arrays.fill(views, null);
    }
}
