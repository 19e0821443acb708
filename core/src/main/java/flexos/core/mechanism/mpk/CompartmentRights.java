package flexos.core.mechanism.mpk;

import flexos.core.mechanism.mpk.cpu.PkruRegister;
import flexos.core.mechanism.module.CallBoundary;

/**
 * A set of protection-key rights a thread can be switched into: an mpk compartment's ({@link Pkru#compartment}), or
 * wherever a callback was handed over from. Crossing it is one {@code rdpkru}+{@code wrpkru} on the way in and one
 * {@code wrpkru} on the way out; the saved value lives in the gate's frame, so nested calls and exceptions restore
 * exactly what each caller had.
 */
final class CompartmentRights implements CallBoundary {

    private final int pkru;

    CompartmentRights(int pkru) {
        this.pkru = pkru;
    }

    /** The PKRU a thread has inside. */
    int pkru() {
        return pkru;
    }

    @Override
    public int enter() {
        return PkruRegister.swap(pkru);
    }

    @Override
    public void leave(int entered) {
        PkruRegister.write(entered);
    }

    /** The rights the calling thread has now: a callback it hands over runs with them. */
    @Override
    public CallBoundary back() {
        return new CompartmentRights(PkruRegister.read());
    }

    @Override
    public String toString() {
        return "PKRU " + Pkru.describe(pkru);
    }
}
