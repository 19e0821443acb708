package flexos.core.component;

import java.lang.foreign.MemorySegment;
import java.util.Map;

/**
 * The context of one library instance, wherever it runs: in the image's process ({@code Image}) or in a
 * compartment process. Immutable once made.
 */
public final class InstanceContext implements LibraryContext {

    private final String compartment;
    private final Map<Class<?>, Object> gates;
    private final MemorySegment privateHeap;
    private final MemorySegment sharedHeap;

    /**
     * @param gates one gate per import, each an instance of its key
     */
    public InstanceContext(String compartment, Map<Class<?>, Object> gates, MemorySegment privateHeap,
                           MemorySegment sharedHeap) {
        gates.forEach((api, gate) -> {
            if (!api.isInstance(gate)) {
                throw new IllegalArgumentException("the gate for " + api.getName() + " does not implement it");
            }
        });
        this.compartment = compartment;
        this.gates = Map.copyOf(gates);
        this.privateHeap = privateHeap;
        this.sharedHeap = sharedHeap;
    }

    @Override
    public String compartment() {
        return compartment;
    }

    @Override
    public <T> T gate(Class<T> api) {
        Object gate = gates.get(api);
        if (gate == null) {
            throw new IllegalArgumentException(api.getName() + " is not among this library's declared imports "
                    + gates.keySet().stream().map(Class::getSimpleName).sorted().toList());
        }
        return api.cast(gate);
    }

    @Override
    public MemorySegment privateHeap() {
        return privateHeap;
    }

    @Override
    public MemorySegment sharedHeap() {
        return sharedHeap;
    }
}
