package flexos.attacks;

/**
 * One run of a hardening fault.
 *
 * @param fault    the fault's name
 * @param hardened whether the option was on for the library it hardens
 * @param outcome  caught or missed
 * @param detail   the report that caught it, or what the fault did when nothing caught it
 */
public record FaultResult(String fault, boolean hardened, FaultOutcome outcome, String detail) {
}
