package flexos.core.mechanism.module;

/**
 * Thrown in a {@code module} compartment's own code where it invokes an operation the mechanism refuses to
 * compartments: ending the JVM ({@code System.exit}, {@code Runtime.exit}, {@code Runtime.halt}) or
 * {@code sun.misc.Unsafe}, directly, through {@code java.lang.reflect.Method.invoke} or through a
 * {@code MethodHandles.Lookup}. See {@link RefusedCalls}.
 */
public final class RefusedOperationException extends SecurityException {

    public RefusedOperationException(String message) {
        super(message);
    }
}
