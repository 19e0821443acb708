package flexos.attacks.api;

/**
 * The victim of the attack suite: a library that keeps a secret in its compartment's private heap and in its static
 * state, and checks that both stay as it left them.
 */
public interface Vault {

    /** Stores {@code secret} in the vault's private heap and in its static state. */
    void seal(long secret);

    /** The raw address of the sealed secret. The threat model assumes an attacker can learn addresses. */
    long secretAddress();

    /** Whether the secret in memory, the static state and the lent block are exactly as the vault wrote them. */
    boolean intact();

    /** The vault's static state as the vault itself sees it. */
    long staticState();

    /**
     * Lends {@code borrower} a block of the vault's private heap holding public data, for the duration of the call.
     * When the call returns the vault reuses the block: it writes the secret into it.
     */
    void lend(Borrower borrower);

    /**
     * Moves {@code amount} from one of the vault's two accounts to the other. Their sum never changes, and
     * {@link #intact()} checks it: a fault that stops the vault half way through (a stack overflow in the middle of
     * the update) leaves it broken.
     */
    void transfer(long amount);

    /**
     * Moves {@code amount} as {@link #transfer} does, noting the move through a function the vault makes, half way,
     * with a lambda: the first call links that lambda's call site (its bootstrap runs deep in the JDK), so a stack
     * overflow that strikes there leaves the vault broken as it would in {@link #transfer}.
     */
    void transferNoted(long amount);

    /**
     * Moves {@code amount} as {@link #transfer} does, recording the move half way in a record of the vault's, whose
     * {@code toString} is linked ({@code ObjectMethods}) the first time it runs.
     */
    void transferRecorded(long amount);

    /**
     * Moves {@code amount} as {@link #transfer} does, classifying the move half way with a pattern switch, whose call
     * site is linked ({@code SwitchBootstraps}) the first time it runs.
     */
    void transferMatched(long amount);

    /**
     * Moves {@code amount} as {@link #transfer} does, formatting a note half way with {@code String.format}, whose
     * first use in the JVM sets up the JDK's formatting (locale data, number formats) on the caller's stack.
     */
    void transferFormatted(long amount);

    /**
     * Moves {@code amount} as {@link #transfer} does, counting the move half way in the vault's private heap through
     * a {@code VarHandle}, whose access is linked (a signature-polymorphic call) the first time it runs.
     */
    void transferCounted(long amount);
}
