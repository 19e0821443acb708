package flexos.attacks;

/**
 * The outcome of one attack under one mechanism, and what was observed to decide it.
 *
 * @param attack    the attack's name
 * @param mechanism the mechanism separating the attacker from the vault
 * @param outcome   blocked, succeeded or contained
 * @param detail    what happened, in a few words
 */
public record AttackResult(String attack, String mechanism, Outcome outcome, String detail) {
}
