package flexos.core.mechanism.module;

import flexos.core.config.CallTimeout;
import flexos.core.config.CompartmentSpec;
import flexos.core.config.ConfigException;
import flexos.core.config.OptionReader;
import flexos.core.config.SharingStrategy;
import flexos.core.mechanism.Domain;
import flexos.core.mechanism.GateFault;
import flexos.core.mechanism.Mechanism;
import flexos.core.mechanism.MechanismOptions;
import flexos.core.mechanism.ThreatClass;
import flexos.core.memory.ImageMemory;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Language-based isolation inside one JVM (SPEC §3; the seeds' RedLeaf, Theseus and Singularity). Each compartment
 * defines its libraries' modules again in a {@link ModuleLayer} and class loader of its own, so it has its own
 * classes and static state and sees other compartments only through the API interfaces, which all compartments
 * share from the layer the image started in. The JVM enforces the rest:
 * <ul>
 *   <li>strong encapsulation: another compartment's copy of a module is another module, whose packages are neither
 *       exported nor opened to anyone, so reflection cannot reach into it;</li>
 *   <li>restricted methods: a compartment's modules get native access only when the library's metadata declares
 *       that it reads or writes all memory ({@code Read(*)}/{@code Write(*)}); run the JVM with
 *       {@code --illegal-native-access=deny} so that the others' restricted calls fail;</li>
 *   <li>capability confinement: a compartment's classes reach only their own classes, the API modules, the
 *       reviewed JDK allowlist ({@link Allowlist}) and the host capabilities their metadata declares; every other
 *       reference is refused at the call site as the class loads ({@link ConfiningRewriter}).</li>
 * </ul>
 * Gates are generated classes ({@link GateType}) that copy or share arguments by the compartment's
 * {@linkplain ModuleOptions#sharing() sharing strategy}, wrap callbacks, turn crashes into {@link GateFault}s and,
 * with a {@linkplain ModuleOptions#callTimeoutNanos() call timeout}, stop waiting for a call that does not return.
 *
 * <p>A library that is not in a named module of a module layer (for example on the class path in unit tests), or
 * whose module also holds the APIs it exports or imports, cannot be defined again without splitting its API types;
 * it is then instantiated in place, and only the gates isolate it. {@link #reloads} tells which case applies.
 */
public final class ModuleMechanism implements Mechanism {

    public static final String NAME = "module";

    @Override
    public String name() {
        return NAME;
    }

    /**
     * What the attack rows show the capability confinement stops (AttackSuiteTest checks every claim against its
     * rows): memory read and write, gate confinement, JVM-global state, process control, exit, and fault
     * containment (an Error behind a gate stops that compartment; a gate refuses a caller with its stack nearly full,
     * {@link StackHeadroom}, and the compartment's call sites are linked ahead, so an overflow the caller provokes does
     * not strike inside the callee: the {@code overflow-in-*} rows). Not availability: one JVM has one heap and one
     * set of monitors on shared objects, which no in-process mechanism can divide (the rows {@code hoard-heap} and
     * {@code interned-monitor}; docs/module-mechanism.md, Limits).
     */
    @Override
    public Set<ThreatClass> claims() {
        return CLAIMS;
    }

    private static final Set<ThreatClass> CLAIMS = Collections.unmodifiableSet(EnumSet.of(ThreatClass.MEMORY_READ,
            ThreatClass.MEMORY_WRITE, ThreatClass.GATE_CONFINEMENT, ThreatClass.JVM_GLOBAL_STATE,
            ThreatClass.PROCESS_CONTROL, ThreatClass.EXIT, ThreatClass.FAULT_CONTAINMENT));

    @Override
    public List<String> compartmentKeys() {
        return List.of(SharingStrategy.KEY, CallTimeout.KEY);
    }

    @Override
    public MechanismOptions readOptions(OptionReader entry) throws ConfigException {
        return new ModuleOptions(SharingStrategy.read(entry), CallTimeout.read(entry));
    }

    @Override
    public ModuleOptions defaultOptions() {
        return ModuleOptions.DEFAULT;
    }

    @Override
    public Domain open(CompartmentSpec compartment, ImageMemory memory) {
        return new ModuleDomain(compartment.name(), compartment.options(ModuleOptions.class),
                memory.sharedHeap().segment(), null, ImageDomains.of(memory));
    }

    /**
     * A {@code module} domain for {@code compartment}, with {@code options}, whose gates cross {@code boundary}
     * around every call (see {@link CallBoundary}): how another mechanism adds its own separation to module's
     * confinement ({@code mpk} switches protection-key rights there).
     */
    public static Domain confined(CompartmentSpec compartment, ModuleOptions options, ImageMemory memory,
                                  CallBoundary boundary) {
        return new ModuleDomain(compartment.name(), options, memory.sharedHeap().segment(), boundary,
                ImageDomains.of(memory));
    }

    /**
     * Whether a {@code module} domain would give {@code library} its own copy of its module (true), or has to
     * instantiate it in place (false), with the reason.
     */
    public static String reloads(flexos.core.component.Library library) {
        return ModuleDomain.whyInPlace(library).map(reason -> "in place: " + reason)
                .orElse("own module layer");
    }
}
