package flexos.core.metadata;

import java.nio.file.Path;

/** A place in a source file, 1-based, for error messages of the form {@code file:line:col}. */
public record SourceLocation(Path file, int line, int column) {

    public SourceLocation {
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("line and column are 1-based: " + line + ":" + column);
        }
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
