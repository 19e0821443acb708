package flexos.core.image;

import flexos.core.component.Entrypoint;
import flexos.core.component.InstanceContext;
import flexos.core.component.LibraryInstance;
import flexos.core.config.CompartmentSpec;
import flexos.core.hardening.GateHardening;
import flexos.core.mechanism.Domain;
import flexos.core.mechanism.GateSite;
import flexos.core.memory.ImageMemory;
import flexos.core.memory.MemoryRegion;
import flexos.core.metadata.LibraryMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A started image: every compartment's memory and domain, every library instance, and the gates between them,
 * all instantiated from an {@link ImagePlan}, which it follows without deciding anything again: each planned
 * instance, in order, gets for each of its wires the callee's own object (a local site) or the callee's
 * mechanism's gate (a crossing one), wrapped by the hardening of both ends. No library's code changes with the
 * configuration.
 *
 * <p>Closing the image closes instances in reverse start order, then the domains, then frees the memory.
 */
public final class Image implements AutoCloseable {

    private final ImagePlan plan;
    private final ImageMemory memory;
    private final Map<String, Domain> domains = new LinkedHashMap<>();
    /** Instances by compartment then library: a per-compartment library has one in every compartment. */
    private final Map<String, Map<String, LibraryInstance>> instances = new HashMap<>();
    private final List<LibraryInstance> startOrder = new ArrayList<>();
    private final GateHardening hardening = new GateHardening();
    private Entrypoint entrypoint;

    private Image(ImagePlan plan) {
        this.plan = plan;
        this.memory = new ImageMemory(sharedHeap(plan));
    }

    /** The shared heap where the first mechanism that cares wants it (a process mechanism: a mappable file). */
    private static MemoryRegion sharedHeap(ImagePlan plan) {
        long bytes = plan.config().sharedHeapBytes();
        for (CompartmentSpec compartment : plan.config().compartments()) {
            Optional<MemoryRegion> placed = compartment.mechanism().sharedHeap(plan.config().name(), bytes);
            if (placed.isPresent()) {
                return placed.get();
            }
        }
        return MemoryRegion.allocate("shared", bytes);
    }

    /** Allocates the image's memory, opens its compartments and instantiates its libraries. */
    public static Image start(ImagePlan plan) throws ImageBuildException {
        Image image = new Image(plan);
        try {
            image.open();
            return image;
        } catch (RuntimeException e) {
            try {
                image.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw new ImageBuildException("image " + plan.config().name() + " failed to start: " + e, e);
        }
    }

    private void open() {
        for (CompartmentSpec compartment : plan.config().compartments()) {
            Optional<MemoryRegion> placed = compartment.mechanism().privateHeap(plan.config().name(), compartment);
            if (placed.isPresent()) {
                memory.addPrivateHeap(compartment.name(), placed.get());
            } else {
                memory.createPrivateHeap(compartment.name(), compartment.heapBytes());
            }
            List<LibraryMetadata> placedHere = plan.instances().stream()
                    .filter(i -> i.compartment().equals(compartment.name())).map(i -> i.library().metadata()).toList();
            domains.put(compartment.name(), compartment.mechanism().open(compartment, memory, placedHere));
            instances.put(compartment.name(), new HashMap<>());
        }
        for (PlannedInstance planned : plan.instances()) {
            instantiate(planned);
        }
        PlannedLibrary application = plan.application();
        entrypoint = domains.get(application.compartment()).entrance(Entrypoint.class,
                instances.get(application.compartment()).get(application.name()).export(Entrypoint.class));
    }

    private void instantiate(PlannedInstance planned) {
        Map<Class<?>, Object> gates = new HashMap<>();
        for (Wire wire : planned.imports()) {
            gates.put(wire.site().api(), gateFor(wire));
        }
        String compartment = planned.compartment();
        InstanceContext context = new InstanceContext(compartment, gates, memory.privateHeap(compartment).segment(),
                memory.sharedHeap().segment());
        PlannedLibrary library = planned.library();
        LibraryInstance instance = domains.get(compartment).instantiate(library.library(), library.metadata(), context);
        instances.get(compartment).put(library.name(), instance);
        startOrder.add(instance);
    }

    /** What the caller of {@code wire} calls: the callee's export, or its mechanism's gate, hardened. */
    private Object gateFor(Wire wire) {
        GateSite site = wire.site();
        Object target = instances.get(site.calleeCompartment()).get(site.calleeLibrary()).export(site.api());
        Object gate = wire.crosses() ? gate(site.api(), target, site) : target;
        // Hardening belongs to a library, not to a boundary: it wraps local calls and gates alike (SPEC §4).
        return harden(site.api(), gate, wire);
    }

    private <T> T harden(Class<T> api, Object gate, Wire wire) {
        String callerCompartment = wire.site().callerCompartment();
        return hardening.harden(api, api.cast(gate), hardeningEnd(wire.caller()), hardeningEnd(wire.callee()),
                callerCompartment, memory.privateHeap(callerCompartment).segment());
    }

    private static GateHardening.End hardeningEnd(PlannedLibrary library) {
        return new GateHardening.End(library.library(), library.metadata(), library.harden());
    }

    private <T> T gate(Class<T> api, Object target, GateSite site) {
        return domains.get(site.calleeCompartment()).gate(api, api.cast(target), site);
    }

    public ImagePlan plan() {
        return plan;
    }

    /** Runs the application on the calling thread until it returns; returns its exit status. */
    public int run(List<String> args) throws Exception {
        return entrypoint.run(args);
    }

    /** Asks the running application to return. Safe from any thread. */
    public void requestStop() {
        if (entrypoint != null) {
            entrypoint.requestStop();
        }
    }

    /**
     * The export {@code api} of {@code library} in its compartment, for tests and benchmarks that drive an image,
     * through its compartment's {@linkplain Domain#entrance entrance}.
     */
    public <T> T export(String library, Class<T> api) {
        PlannedLibrary planned = plan.library(library).orElseThrow(() -> new IllegalArgumentException("no library " + library));
        return domains.get(planned.compartment()).entrance(api,
                instances.get(planned.compartment()).get(library).export(api));
    }

    /**
     * The gate a library sees for {@code api}: what its calls really go through. A local site's object is handed
     * out through the compartment's {@linkplain Domain#entrance entrance}, since the thread calling it is not
     * running in the compartment; a gate is handed out as it is: it crosses into the callee itself.
     */
    public <T> T gateSeenBy(String library, Class<T> api) {
        PlannedLibrary planned = plan.library(library).orElseThrow(() -> new IllegalArgumentException("no library " + library));
        Wire wire = plan.instance(library, planned.compartment()).flatMap(i -> i.wireOf(api))
                .orElseThrow(() -> notImported(api, planned.library().imports()));
        T seen = api.cast(gateFor(wire));
        return wire.crosses() ? seen : domains.get(planned.compartment()).entrance(api, seen);
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (LibraryInstance instance : startOrder.reversed()) {
            try {
                instance.close();
            } catch (RuntimeException e) {
                failure = accumulate(failure, e);
            }
        }
        startOrder.clear();
        for (Domain domain : List.copyOf(domains.values()).reversed()) {
            try {
                domain.close();
            } catch (Exception e) {
                failure = accumulate(failure, new IllegalStateException("closing " + domain.compartment(), e));
            }
        }
        domains.clear();
        memory.close();
        if (failure != null) {
            throw failure;
        }
    }

    private static IllegalArgumentException notImported(Class<?> api, Set<Class<?>> imports) {
        return new IllegalArgumentException(api.getName() + " is not among this library's declared imports "
                + imports.stream().map(Class::getSimpleName).sorted().toList());
    }

    private static RuntimeException accumulate(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }
}
