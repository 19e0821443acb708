package flexos.analyze.bytecode;

import flexos.core.metadata.FunctionRef;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a library's bytecode shows about its behaviour.
 *
 * @param library      the library
 * @param calls        each other library's API method it calls, with the first place that calls it
 *                     ({@code pkg.Class.method})
 * @param nativeAccess each use of native access (restricted FFM methods, {@code System.load*}, {@code native}
 *                     methods), as {@code what at where}
 * @param unsafe       each use of {@code sun.misc.Unsafe} or {@code jdk.internal.misc.Unsafe}, as {@code what at where}
 * @param hostUses     each {@code [Host]} capability its code needs in a {@code module} compartment (as the
 *                     allowlist writes it: {@code Sockets(listen)}, {@code Clock}), with the first member that needs
 *                     it, as {@code member in class}
 * @param unconfined   what its code refers to that a {@code module} compartment refuses whatever it declares, as
 *                     {@code member in class: why}
 * @param reachableCapabilities every capability needed by its code or by the classes of its module that code refers
 *                     to, transitively (code compiled into its module from another project, as LuaJ in lua's)
 */
public record InferredBehaviour(String library, Map<FunctionRef, String> calls, List<String> nativeAccess,
        List<String> unsafe, Map<String, String> hostUses, List<String> unconfined,
        Set<String> reachableCapabilities) {

    public InferredBehaviour {
        calls = Map.copyOf(calls);
        nativeAccess = List.copyOf(nativeAccess);
        unsafe = List.copyOf(unsafe);
        hostUses = Map.copyOf(hostUses);
        unconfined = List.copyOf(unconfined);
        reachableCapabilities = Set.copyOf(reachableCapabilities);
    }

    /** Without the capabilities of code compiled into its module from elsewhere: its own code is all it runs. */
    public InferredBehaviour(String library, Map<FunctionRef, String> calls, List<String> nativeAccess,
                             List<String> unsafe, Map<String, String> hostUses, List<String> unconfined) {
        this(library, calls, nativeAccess, unsafe, hostUses, unconfined, hostUses.keySet());
    }

    /** Behaviour inferred without the confinement check (no host uses known). */
    public InferredBehaviour(String library, Map<FunctionRef, String> calls, List<String> nativeAccess,
                             List<String> unsafe) {
        this(library, calls, nativeAccess, unsafe, Map.of(), List.of(), Set.of());
    }

    /** Whether the library can reach memory beyond the objects and segments it is given. */
    public boolean reachesAllMemory() {
        return !nativeAccess.isEmpty() || !unsafe.isEmpty();
    }
}
