package flexos.core.config;

import flexos.core.metadata.SourceLocation;

/**
 * A mistake in an image configuration: where it is, what is wrong, and how to fix it. The CLI prints
 * {@link #getMessage()} and exits with status 2.
 */
public final class ConfigException extends Exception {

    private final transient SourceLocation where;
    private final String problem;
    private final String fix;

    public ConfigException(SourceLocation where, String problem, String fix) {
        super(where + ": error: " + problem + "\n  fix: " + fix);
        this.where = where;
        this.problem = problem;
        this.fix = fix;
    }

    public SourceLocation where() {
        return where;
    }

    public String problem() {
        return problem;
    }

    public String fix() {
        return fix;
    }
}
