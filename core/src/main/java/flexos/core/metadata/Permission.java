package flexos.core.metadata;

/**
 * One element of a {@code [Requires]} clause: what {@code subject} (another library, or {@code *} for any other
 * library in the same compartment) is allowed to do. {@code *(Read, Own)} lets others read this library's own
 * memory; {@code *(Call, yield)} lets them call {@code yield}.
 *
 * @param subject the library name the permission is for, or {@code *}
 * @param action  the action allowed
 * @param object  for memory actions {@code Own}, {@code Shared} or {@code *}; for calls a function name or {@code *}
 */
public record Permission(String subject, Action action, String object) {

    /** What a permission allows. */
    public enum Action { READ, WRITE, CALL }

    @Override
    public String toString() {
        String verb = switch (action) {
            case READ -> "Read";
            case WRITE -> "Write";
            case CALL -> "Call";
        };
        return subject + "(" + verb + ", " + object + ")";
    }
}
