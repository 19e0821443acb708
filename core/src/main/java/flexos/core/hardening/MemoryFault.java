package flexos.core.hardening;

/**
 * A memory error that {@code asan} detected, reported instead of the access or the free that would have made it.
 * The message names the library, the allocation (its heap offset and size) and the faulting offset, as
 * AddressSanitizer's reports do.
 */
public final class MemoryFault extends RuntimeException {

    /** The classes of memory error {@code asan} detects. */
    public enum Kind {
        HEAP_BUFFER_OVERFLOW("heap-buffer-overflow"),
        USE_AFTER_FREE("heap-use-after-free"),
        DOUBLE_FREE("double-free"),
        INVALID_FREE("bad-free");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** AddressSanitizer's name for the error. */
        public String label() {
            return label;
        }
    }

    private final Kind kind;
    private final String library;
    private final long faultOffset;

    MemoryFault(Kind kind, String library, long faultOffset, String detail) {
        super("asan: " + kind.label() + " in " + library + ": " + detail);
        this.kind = kind;
        this.library = library;
        this.faultOffset = faultOffset;
    }

    public Kind kind() {
        return kind;
    }

    /** The hardened library in which the error was detected. */
    public String library() {
        return library;
    }

    /** The heap offset of the first byte the faulting access or free touched. */
    public long faultOffset() {
        return faultOffset;
    }
}
