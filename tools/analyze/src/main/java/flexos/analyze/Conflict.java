package flexos.analyze;

/**
 * Why two libraries may not share a compartment: {@code offender} does something that {@code guarded}'s
 * {@code [Requires]} clause does not allow.
 *
 * @param guarded  the library whose guarantee would be lost
 * @param offender the library whose behaviour breaks it
 * @param reason   a sentence for people, naming both libraries and the clauses involved
 */
public record Conflict(String guarded, String offender, String reason) {
}
