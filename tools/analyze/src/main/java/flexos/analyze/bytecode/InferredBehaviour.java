package flexos.analyze.bytecode;

import flexos.core.metadata.FunctionRef;
import java.util.List;
import java.util.Map;

/**
 * What a library's bytecode shows about its behaviour.
 *
 * @param library      the library
 * @param calls        each other library's API method it calls, with the first place that calls it
 *                     ({@code pkg.Class.method})
 * @param nativeAccess each use of native access (restricted FFM methods, {@code System.load*}, {@code native}
 *                     methods), as {@code what at where}
 * @param unsafe       each use of {@code sun.misc.Unsafe} or {@code jdk.internal.misc.Unsafe}, as {@code what at where}
 */
public record InferredBehaviour(String library, Map<FunctionRef, String> calls, List<String> nativeAccess,
        List<String> unsafe) {

    public InferredBehaviour {
        calls = Map.copyOf(calls);
        nativeAccess = List.copyOf(nativeAccess);
        unsafe = List.copyOf(unsafe);
    }

    /** Whether the library can reach memory beyond the objects and segments it is given. */
    public boolean reachesAllMemory() {
        return !nativeAccess.isEmpty() || !unsafe.isEmpty();
    }
}
