package flexos.core.mechanism.module;

/**
 * A class of a {@code module} compartment that may not be defined at all: it extends or implements a type outside
 * its compartment's confinement (a {@code ClassLoader}, a {@code Thread} subclass ...). Thrown from the
 * compartment's class loader, so the code that needed the class fails, and the gate stops the compartment.
 */
public final class RefusedClassError extends LinkageError {

    RefusedClassError(String message) {
        super(message);
    }
}
