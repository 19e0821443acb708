package flexos.core.metadata;

import java.util.Objects;

/**
 * Bad metadata: what was wrong, where ({@code file:line:col}) and what was expected instead.
 *
 * <p>The message has the compiler-like form {@code file:line:col: error: PROBLEM; expected EXPECTED}, so editors
 * and terminals can jump to the place.
 */
public final class MetadataException extends Exception {

    private final SourceLocation where;
    private final String problem;
    private final String expected;

    /**
     * @param where    the place of the fault
     * @param problem  what was wrong, for example {@code unknown clause [Calls]}
     * @param expected what would have been accepted there, or {@code null} when there is nothing useful to suggest
     */
    public MetadataException(SourceLocation where, String problem, String expected) {
        super(format(where, problem, expected));
        this.where = Objects.requireNonNull(where, "where");
        this.problem = Objects.requireNonNull(problem, "problem");
        this.expected = expected;
    }

    private static String format(SourceLocation where, String problem, String expected) {
        return where + ": error: " + problem + (expected == null ? "" : "; expected " + expected);
    }

    /** The place of the fault. */
    public SourceLocation where() {
        return where;
    }

    /** What was wrong, without the location. */
    public String problem() {
        return problem;
    }

    /** What would have been accepted at {@link #where()}; empty when nothing specific can be suggested. */
    public String expected() {
        return expected == null ? "" : expected;
    }
}
