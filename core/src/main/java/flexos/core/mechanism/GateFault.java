package flexos.core.mechanism;

/**
 * A call through an isolating gate failed inside the callee's compartment: its code threw something the API does not
 * let cross (an exception of the compartment's own classes, an {@link Error}), tried an operation the mechanism
 * refuses (such as {@code System.exit}), ran past its compartment's call timeout, or the compartment had already
 * failed. The caller gets this instead of the callee's crash; the rest of the image keeps running.
 *
 * <p>The message never includes text computed by the callee's code: calling a hostile exception's
 * {@code getMessage()} would run that compartment's code on the caller's side of the gate.
 *
 * <p>It is thrown on the caller's thread, by the gate, and only by gates of isolating mechanisms ({@code fcall}
 * has no gate to throw it). Whether the callee's compartment goes on taking calls is
 * {@link #compartmentFailed()}: a fault that leaves the compartment sound (a refused call, an interrupted wait) keeps
 * it open; one after which its state cannot be trusted stops it.
 */
public final class GateFault extends RuntimeException {

    private final String compartment;
    private final boolean compartmentFailed;

    public GateFault(String compartment, boolean compartmentFailed, String message) {
        super(message, null, false, true);
        this.compartment = compartment;
        this.compartmentFailed = compartmentFailed;
    }

    /** The compartment whose code failed. */
    public String compartment() {
        return compartment;
    }

    /** Whether the compartment was stopped: every later call into it fails at once with a {@code GateFault}. */
    public boolean compartmentFailed() {
        return compartmentFailed;
    }
}
