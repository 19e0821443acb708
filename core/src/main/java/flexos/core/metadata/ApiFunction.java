package flexos.core.metadata;

/** One function of a library's {@code [API]} clause, with its parameter text as written ({@code ...} if elided). */
public record ApiFunction(String name, String parameters) {
}
