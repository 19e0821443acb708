package flexos.core.hardening;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * What a hardened gate calls before, or instead of, entering the callee: the {@code asan} check of each segment
 * argument and the {@code cfi} refusal of a function the caller may not call. Generated gate classes
 * ({@link GateClassGenerator}) hold one and pass it the index of the method called, so the hot path builds no
 * strings and allocates nothing.
 */
public final class GateGuard {

    private final String caller;
    private final String callee;
    private final String checkedLibrary;
    private final List<String> methods;
    private final String allowed;
    private final ShadowMemory shadow;

    /**
     * @param caller         the calling library
     * @param callee         the called library
     * @param checkedLibrary the library named in {@code asan} reports (the hardened end of the gate)
     * @param methods        the gate's methods, by the index the generated class passes
     * @param allowed        the caller's {@code [Call]} clause, for {@code cfi} errors
     * @param shadow         the image's shadow state, or {@code null} if the gate checks no memory
     */
    GateGuard(String caller, String callee, String checkedLibrary, List<String> methods, String allowed,
            ShadowMemory shadow) {
        this.caller = caller;
        this.callee = callee;
        this.checkedLibrary = checkedLibrary;
        this.methods = List.copyOf(methods);
        this.allowed = allowed;
        this.shadow = shadow;
    }

    /** Checks argument {@code argument} (0-based) of method {@code method} against the shadow. */
    public void check(MemorySegment segment, int method, int argument) {
        long bad = shadow.firstBadByte(segment);
        if (bad >= 0) {
            throw shadow.fault(checkedLibrary, caller + " -> " + callee + "::" + methods.get(method) + " argument "
                    + (argument + 1), segment.address(), segment.byteSize(), bad);
        }
    }

    /** The error for a call of method {@code method}, which the caller's call policy does not allow. */
    public RuntimeException refused(int method) {
        return new CallPolicyViolation(caller, callee + "::" + methods.get(method), allowed);
    }
}
