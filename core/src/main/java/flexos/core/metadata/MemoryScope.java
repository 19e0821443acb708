package flexos.core.metadata;

/** Whose memory a {@code Read(...)} or {@code Write(...)} reaches. */
public enum MemoryScope {
    /** The library's own private memory. */
    OWN("Own"),
    /** The memory the configuration declares shared. */
    SHARED("Shared"),
    /** Any memory at all, including other libraries' own memory ({@code *}). */
    ALL("*");

    private final String syntax;

    MemoryScope(String syntax) {
        this.syntax = syntax;
    }

    /** How the metadata language spells this scope. */
    public String syntax() {
        return syntax;
    }
}
