package flexos.analyze;

import flexos.core.metadata.SourceLocation;

/**
 * Something the analysis noticed about one library's metadata.
 *
 * @param severity how serious it is; {@code --strict} turns warnings into errors
 * @param library  the library concerned
 * @param where    the place in its metadata the finding is about
 * @param message  what was found and what to do
 */
public record Finding(Severity severity, String library, SourceLocation where, String message) {

    /** How serious a finding is. */
    public enum Severity { WARNING, ERROR }

    /** This finding with its severity raised to an error. */
    public Finding asError() {
        return new Finding(Severity.ERROR, library, where, message);
    }

    @Override
    public String toString() {
        return where + ": " + severity.name().toLowerCase(java.util.Locale.ROOT) + ": " + message;
    }
}
