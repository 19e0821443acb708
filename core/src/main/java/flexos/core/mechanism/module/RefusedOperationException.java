package flexos.core.mechanism.module;

/**
 * Thrown in a {@code module} compartment's own code where it reaches a member outside its confinement (one not on
 * the {@link Allowlist}, or one whose {@code [Host]} capability its library does not declare), a path outside its
 * {@code Files} grants, or a thread start after its compartment stopped. The message names the member and why.
 * See {@link ConfiningRewriter} and {@link ConfinedCalls}.
 */
public final class RefusedOperationException extends SecurityException {

    public RefusedOperationException(String message) {
        super(message);
    }
}
