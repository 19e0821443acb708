package flexos.attacks.api;

/** What every hostile library of the attack suite exports: one attempt at one thing the threat model forbids. */
@FunctionalInterface
public interface Attack {

    /**
     * Attacks {@code vault}, which lives in another compartment.
     *
     * @param vault         the victim, as the caller handed it across the gate
     * @param secretAddress the raw address of the victim's secret
     * @return what the attack obtained: the value it read for a reading attack, otherwise 0
     */
    long run(Vault vault, long secretAddress);
}
