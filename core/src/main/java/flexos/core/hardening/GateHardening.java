package flexos.core.hardening;

import flexos.core.component.Library;
import flexos.core.metadata.CallPolicy;
import flexos.core.metadata.FunctionRef;
import flexos.core.metadata.LibraryMetadata;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The run-time side of hardening for one image: turns the export a caller would reach into the gate its
 * hardening asks for. It is applied to every call site, inside a compartment or across one, since hardening is
 * a property of a library, not of a boundary. In order:
 * <ol>
 *   <li>the callee's {@code contracts} wrap its export ({@link ContractedLibrary});</li>
 *   <li>if either end has {@code asan} and the callee is an allocator, the caller gets an {@code asan} allocator
 *       of its own ({@link SanitizingAllocatorLibrary}), so only the hardened library's allocations pay;
 *       other APIs passing segments get every segment argument checked against the image's {@link ShadowMemory};</li>
 *   <li>the caller's {@code cfi} refuses, in a generated gate class, every function its {@code [Call]} clause does
 *       not list.</li>
 * </ol>
 * A call site whose ends have no hardening gets the export itself.
 */
public final class GateHardening {

    /** One end of a call site: a library, its metadata and the options set on it. */
    public record End(Library library, LibraryMetadata metadata, List<HardeningOption> harden) {
        public End {
            harden = List.copyOf(harden);
        }

        String name() {
            return library.name();
        }

        boolean has(HardeningOption option) {
            return harden.contains(option);
        }
    }

    private final ShadowMemory shadow = new ShadowMemory();
    /** asan allocators by caller, compartment and API, so that every lookup of a caller's gate sees one heap. */
    private final Map<String, Object> sanitizedAllocators = new ConcurrentHashMap<>();

    /** The image's shadow state. */
    public ShadowMemory shadow() {
        return shadow;
    }

    /**
     * The gate through which {@code caller}, running in {@code callerCompartment}, calls {@code api} of {@code callee}.
     *
     * @param export the callee's export, or the mechanism's gate to it
     * @param heap   the heap the callee allocates from for this caller, named in {@code asan} reports
     */
    public <T> T harden(Class<T> api, T export, End caller, End callee, String callerCompartment, MemorySegment heap) {
        T gate = export;
        if (callee.has(HardeningOption.CONTRACTS) && callee.library() instanceof ContractedLibrary contracted) {
            gate = contracted.contractChecked(api, gate, caller.name());
        }
        boolean asan = caller.has(HardeningOption.ASAN) || callee.has(HardeningOption.ASAN);
        boolean checkSegments = asan && HardeningCheck.passesMemory(api);
        if (asan && callee.library() instanceof SanitizingAllocatorLibrary allocator) {
            T current = gate;
            Object sanitized = sanitizedAllocators.computeIfAbsent(
                    caller.name() + "@" + callerCompartment + "/" + api.getName(),
                    k -> {
                        Object made = allocator.sanitized(api, current, caller.name(), heap, shadow);
                        return made == null ? current : made;
                    });
            if (sanitized != current) {
                gate = api.cast(sanitized);
                checkSegments = false; // the allocator validates what it is handed itself
            }
        }
        Set<String> refused = caller.has(HardeningOption.CFI) ? refused(api, caller, callee) : Set.of();
        if (!checkSegments && refused.isEmpty()) {
            return gate;
        }
        List<String> methods = GateClassGenerator.methods(api).stream().map(Method::getName).toList();
        String checked = caller.has(HardeningOption.ASAN) ? caller.name()
                : callee.name() + " (called by " + caller.name() + ")";
        GateGuard guard = new GateGuard(caller.name(), callee.name(), checked, methods,
                describe(caller.metadata().calls()), checkSegments ? shadow : null);
        return GateClassGenerator.wrap(api, gate, guard, refused, checkSegments);
    }

    /** The methods of {@code api} that {@code caller}'s {@code [Call]} clause does not list. */
    private static Set<String> refused(Class<?> api, End caller, End callee) {
        if (!(caller.metadata().calls() instanceof CallPolicy.Only only)) {
            return Set.of();
        }
        Set<String> allowed = only.functions().stream().filter(f -> f.library().equals(callee.name()))
                .map(FunctionRef::function).collect(Collectors.toSet());
        return GateClassGenerator.methods(api).stream().map(Method::getName).filter(m -> !allowed.contains(m))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String describe(CallPolicy policy) {
        return switch (policy) {
            case CallPolicy.Anything a -> "*";
            case CallPolicy.Only only -> only.functions().isEmpty() ? "nothing"
                    : only.functions().stream().map(FunctionRef::toString).collect(Collectors.joining(", "));
        };
    }
}
