package flexos.core.text;

/**
 * JSON string literals, for the commands whose {@code --json} output is written by hand: a dependency for one
 * escaping rule would cost more than these lines.
 */
public final class JsonText {

    private JsonText() {
    }

    /** {@code value} as a JSON string literal, quotes included (RFC 8259 §7). */
    public static String quote(String value) {
        return appendQuoted(new StringBuilder(value.length() + 2), value).toString();
    }

    /** Appends {@code value} as a JSON string literal to {@code out}, and returns {@code out}. */
    public static StringBuilder appendQuoted(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }
}
