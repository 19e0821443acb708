package flexos.core.mechanism;

/**
 * One place a call needs wiring: a library in one compartment calling an API of a library, in the same
 * compartment (a plain call) or in another (a gate). Immutable.
 *
 * @param api                the API interface called
 * @param callerLibrary      the calling library
 * @param callerCompartment  the caller's compartment
 * @param calleeLibrary      the library that implements {@code api}
 * @param calleeCompartment  the callee's compartment
 */
public record GateSite(Class<?> api, String callerLibrary, String callerCompartment,
                       String calleeLibrary, String calleeCompartment) {

    /** Whether caller and callee share a compartment, in which case every mechanism uses a plain call. */
    public boolean local() {
        return callerCompartment.equals(calleeCompartment);
    }

    @Override
    public String toString() {
        return callerLibrary + "@" + callerCompartment + " -> " + calleeLibrary + "@" + calleeCompartment
                + " (" + api.getSimpleName() + ")";
    }
}
