package flexos.core.image;

import flexos.core.component.Entrypoint;
import flexos.core.component.Library;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import flexos.core.config.CompartmentSpec;
import flexos.core.hardening.GateHardening;
import flexos.core.mechanism.Domain;
import flexos.core.mechanism.GateSite;
import flexos.core.mechanism.Mechanism;
import flexos.core.mechanism.Mechanisms;
import flexos.core.memory.ImageMemory;
import flexos.core.memory.MemoryRegion;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A started image: every compartment's memory and domain, every library instance, and the gates between them,
 * all instantiated from an {@link ImagePlan}. No library's code changes with the configuration: the image decides,
 * call site by call site, whether a caller gets the callee's own object or a mechanism's gate.
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

    private Image(ImagePlan plan, Mechanisms mechanisms) {
        this.plan = plan;
        this.memory = new ImageMemory(sharedHeap(plan, mechanisms));
    }

    /** The shared heap where the first mechanism that cares wants it (a process mechanism: a mappable file). */
    private static MemoryRegion sharedHeap(ImagePlan plan, Mechanisms mechanisms) {
        long bytes = plan.config().sharedHeapBytes();
        for (CompartmentSpec compartment : plan.config().compartments()) {
            Optional<MemoryRegion> placed = mechanisms.find(compartment.mechanism())
                    .flatMap(m -> m.sharedHeap(plan.config().name(), bytes));
            if (placed.isPresent()) {
                return placed.get();
            }
        }
        return MemoryRegion.allocate("shared", bytes);
    }

    /** Allocates the image's memory, opens its compartments and instantiates its libraries. */
    public static Image start(ImagePlan plan, Mechanisms mechanisms) throws ImageBuildException {
        Image image = new Image(plan, mechanisms);
        try {
            image.open(mechanisms);
            return image;
        } catch (ImageBuildException | RuntimeException e) {
            image.close();
            if (e instanceof ImageBuildException build) {
                throw build;
            }
            throw new ImageBuildException("image " + plan.config().name() + " failed to start: " + e, e);
        }
    }

    private void open(Mechanisms mechanisms) throws ImageBuildException {
        for (CompartmentSpec compartment : plan.config().compartments()) {
            Mechanism mechanism = mechanisms.find(compartment.mechanism()).orElseThrow(() -> new ImageBuildException(
                    "mechanism " + compartment.mechanism() + " of compartment " + compartment.name()
                            + " is not implemented in this build (implemented: " + mechanisms.implementedNames() + ")"));
            memory.createPrivateHeap(compartment.name(), compartment.heapBytes());
            domains.put(compartment.name(), mechanism.open(compartment, memory));
            instances.put(compartment.name(), new HashMap<>());
        }
        for (PlannedLibrary library : plan.libraries()) {
            if (library.library().perCompartment()) {
                for (String compartment : domains.keySet()) {
                    instantiate(library, compartment);
                }
            } else {
                instantiate(library, library.compartment());
            }
        }
        PlannedLibrary application = plan.application();
        entrypoint = instances.get(application.compartment()).get(application.name()).export(Entrypoint.class);
    }

    private void instantiate(PlannedLibrary planned, String compartment) {
        Library library = planned.library();
        Map<Class<?>, Object> gates = new HashMap<>();
        for (Class<?> api : library.imports()) {
            gates.put(api, gateFor(planned, compartment, api));
        }
        LibraryContext context = new Context(compartment, Map.copyOf(gates), planned.harden());
        LibraryInstance instance = domains.get(compartment).instantiate(library, context);
        instances.get(compartment).put(library.name(), instance);
        startOrder.add(instance);
    }

    private Object gateFor(PlannedLibrary caller, String callerCompartment, Class<?> api) {
        PlannedLibrary callee = plan.libraries().stream()
                .filter(l -> l.library().exports().contains(api)).findFirst().orElseThrow();
        String calleeCompartment = callee.library().perCompartment() ? callerCompartment : callee.compartment();
        Object target = instances.get(calleeCompartment).get(callee.name()).export(api);
        GateSite site = new GateSite(api, caller.name(), callerCompartment, callee.name(), calleeCompartment);
        Object gate = site.local() ? target : gate(api, target, site);
        // Hardening belongs to a library, not to a boundary: it wraps local calls and gates alike (SPEC §4).
        return harden(api, gate, caller, callee, callerCompartment);
    }

    private <T> T harden(Class<T> api, Object gate, PlannedLibrary caller, PlannedLibrary callee,
            String callerCompartment) {
        return hardening.harden(api, api.cast(gate), hardeningEnd(caller), hardeningEnd(callee), callerCompartment,
                memory.privateHeap(callerCompartment).segment());
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

    /** The export {@code api} of {@code library} in its compartment, for tests and benchmarks that drive an image. */
    public <T> T export(String library, Class<T> api) {
        PlannedLibrary planned = plan.library(library).orElseThrow(() -> new IllegalArgumentException("no library " + library));
        return instances.get(planned.compartment()).get(library).export(api);
    }

    /** The gate a library sees for {@code api}: what its calls really go through. */
    public <T> T gateSeenBy(String library, Class<T> api) {
        PlannedLibrary planned = plan.library(library).orElseThrow(() -> new IllegalArgumentException("no library " + library));
        if (!planned.library().imports().contains(api)) {
            throw notImported(api, planned.library().imports());
        }
        return api.cast(gateFor(planned, planned.compartment(), api));
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

    /** What one instance sees of the image. */
    private final class Context implements LibraryContext {
        private final String compartment;
        private final Map<Class<?>, Object> gates;
        private final Set<String> hardening;

        Context(String compartment, Map<Class<?>, Object> gates, List<String> hardening) {
            this.compartment = compartment;
            this.gates = gates;
            this.hardening = Set.copyOf(hardening);
        }

        @Override
        public String compartment() {
            return compartment;
        }

        @Override
        public <T> T gate(Class<T> api) {
            Object gate = gates.get(api);
            if (gate == null) {
                throw notImported(api, gates.keySet());
            }
            return api.cast(gate);
        }

        @Override
        public MemorySegment privateHeap() {
            return memory.privateHeap(compartment).segment();
        }

        @Override
        public MemorySegment sharedHeap() {
            return memory.sharedHeap().segment();
        }

        @Override
        public Set<String> hardening() {
            return hardening;
        }
    }
}
