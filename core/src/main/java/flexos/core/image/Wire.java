package flexos.core.image;

import flexos.core.mechanism.GateSite;

/**
 * One import of one library instance, resolved: the caller calls {@code site.api()} of {@code callee}, whose
 * instance serving it runs in {@code site.calleeCompartment()}. The call is a plain call when the site is local and
 * a gate of the callee's mechanism otherwise; the caller's and callee's hardening wraps it either way.
 *
 * @param caller the calling library
 * @param callee the library that exports the API
 * @param site   where the call goes from and to
 */
public record Wire(PlannedLibrary caller, PlannedLibrary callee, GateSite site) {

    /** Whether the call crosses compartments, and so goes through a gate. */
    public boolean crosses() {
        return !site.local();
    }
}
