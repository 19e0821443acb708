package flexos.redis;

/**
 * The elements {@code [first, last]} that a Redis range command's {@code start stop} arguments select, after
 * Redis's rules: negative indexes count from the end, and the range is clipped to the value's length.
 */
record IndexRange(long first, long last) {

    /** The range {@code start stop} selects in a value of {@code length} elements, or {@code null} if it is empty. */
    static IndexRange of(long start, long stop, long length) {
        if (start < 0) {
            start += length;
        }
        if (stop < 0) {
            stop += length;
        }
        if (start < 0) {
            start = 0;
        }
        if (start > stop || start >= length) {
            return null;
        }
        return new IndexRange(start, Math.min(stop, length - 1));
    }

    long count() {
        return last - first + 1;
    }
}
