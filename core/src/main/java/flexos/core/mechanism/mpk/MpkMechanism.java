package flexos.core.mechanism.mpk;

import flexos.core.config.CompartmentSpec;
import flexos.core.config.ConfigException;
import flexos.core.config.OptionReader;
import flexos.core.mechanism.Domain;
import flexos.core.mechanism.Mechanism;
import flexos.core.mechanism.MechanismOptions;
import flexos.core.mechanism.module.ModuleMechanism;
import flexos.core.mechanism.module.ModuleOptions;
import flexos.core.memory.ImageMemory;
import flexos.core.memory.MemoryRegion;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Memory protection keys (SPEC §3; FlexOS's {@code intel-pku} backend): {@code module}'s confinement, plus a
 * private heap per compartment tagged with a protection key of its own, and gates that switch the thread's PKRU.
 *
 * <ul>
 *   <li><b>Confinement.</b> Each compartment is a {@code module} domain
 *       ({@link ModuleMechanism#confined}): its own module layer and class loader, the same refusals of host and
 *       JVM-global operations, the same gates (copy or shared arguments, callbacks, fault containment, call
 *       timeouts), and the same options ({@code sharing}, {@code call_timeout}). Native access is granted as
 *       {@code module} grants it: to a library whose metadata declares {@code Read(*)} or {@code Write(*)}.</li>
 *   <li><b>Keys and heaps.</b> Each compartment's private heap is mapped on pages of its own and tagged with a key
 *       of its own ({@link ProtectedHeap}); the allocator's metadata lives inside, so it is covered too. Key 0, the
 *       key of every page nobody tagged, holds the shared heap and everything the JVM itself needs. A CPU has 16
 *       keys, so an image may have {@value #USABLE_KEYS} mpk compartments.</li>
 *   <li><b>Gates.</b> A call into a compartment runs with PKRU = key 0 and the callee's key, nothing else
 *       ({@link Pkru}); on return, and on exception, the caller's PKRU comes back. Arguments are marshalled before
 *       the switch and results after it, with the caller's rights. A callback handed in runs with the rights of the
 *       side that handed it over. Threads start with no compartment key: the kernel gives every thread of a new
 *       process key 0 only, a new thread inherits its creator's PKRU, and keys are allocated with access disabled
 *       for the thread that starts the image.</li>
 *   <li><b>Faults.</b> A library with native access that touches another compartment's heap takes a
 *       protection-key fault, which the JVM cannot resume from: the image stops, and the crash report names who
 *       touched whose memory ({@link PkeyFaultReport}). Memory is protected; availability is not.</li>
 * </ul>
 *
 * <p>What it does not protect, in {@code docs/mpk-mechanism.md}: memory under key 0 (the Java heap, the JVM's own
 * memory, in-flight argument copies) is reachable by raw address from a library with native access, because every
 * thread must reach it to run Java at all; and the heaps of {@code fcall} and {@code module} compartments are not
 * tagged.
 */
public final class MpkMechanism implements Mechanism {

    public static final String NAME = "mpk";
    /** Protection keys a compartment can have: keys 1 to 15 (key 0 is every untagged page's). */
    public static final int USABLE_KEYS = Pkru.KEYS - 1;

    private static final ModuleMechanism MODULE = new ModuleMechanism();

    private final Supplier<Availability> machine;

    public MpkMechanism() {
        this(PkuSupport::onThisMachine);
    }

    /** An mpk mechanism that takes {@code machine}'s word on whether this machine has keys (tests). */
    MpkMechanism(Supplier<Availability> machine) {
        this.machine = machine;
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * module's claims, since mpk is module's domain, and raw memory: a library with native access cannot reach
     * another compartment's heap, which the CPU refuses (the image then stops, so availability is not claimed).
     * Checked where the CPU has pku; elsewhere no row runs under mpk.
     */
    @Override
    public java.util.Set<flexos.core.mechanism.ThreatClass> claims() {
        java.util.Set<flexos.core.mechanism.ThreatClass> claims = java.util.EnumSet.copyOf(MODULE.claims());
        claims.add(flexos.core.mechanism.ThreatClass.NATIVE_MEMORY);
        return claims;
    }

    @Override
    public List<String> compartmentKeys() {
        return MODULE.compartmentKeys();
    }

    @Override
    public MechanismOptions readOptions(OptionReader entry) throws ConfigException {
        return MODULE.readOptions(entry);
    }

    @Override
    public ModuleOptions defaultOptions() {
        return ModuleOptions.DEFAULT;
    }

    @Override
    public Availability availability() {
        return machine.get();
    }

    /** Refuses an image with more mpk compartments than a CPU has keys for. */
    @Override
    public Availability availability(List<CompartmentSpec> compartments) {
        Availability here = availability();
        if (!here.available()) {
            return here;
        }
        return budget(compartments.size());
    }

    /** Whether an image of {@code compartments} mpk compartments fits in a CPU's keys. */
    static Availability budget(int compartments) {
        if (compartments > USABLE_KEYS) {
            return Availability.unavailable("the image has " + compartments + " mpk compartments, but a CPU has "
                    + USABLE_KEYS + " protection keys for compartments (keys 1 to 15; key 0 belongs to the shared heap"
                    + " and the JVM); merge compartments or put some under another mechanism");
        }
        return Availability.AVAILABLE;
    }

    /** The compartment's heap on pages of its own, tagged with a new protection key. */
    @Override
    public Optional<MemoryRegion> privateHeap(String image, CompartmentSpec compartment) {
        return Optional.of(ProtectedHeap.map(image, compartment.name(), compartment.heapBytes()));
    }

    @Override
    public Domain open(CompartmentSpec compartment, ImageMemory memory) {
        long base = memory.privateHeap(compartment.name()).segment().address();
        ProtectedHeap.Tagged heap = ProtectedHeap.at(base).orElseThrow(() -> new IllegalStateException(
                "the private heap of mpk compartment " + compartment.name() + " was not mapped by mpk"));
        CompartmentRights rights = new CompartmentRights(Pkru.compartment(heap.key()));
        return new MpkDomain(heap.image(), compartment.name(), rights,
                ModuleMechanism.confined(compartment, compartment.options(ModuleOptions.class), memory, rights));
    }
}
