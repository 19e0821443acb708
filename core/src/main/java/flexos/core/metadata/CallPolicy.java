package flexos.core.metadata;

import java.util.List;

/** The {@code [Call]} clause: the functions of other libraries that a library calls. */
public sealed interface CallPolicy {

    /** {@code [Call] *}: the library may call anything it can reach. */
    record Anything() implements CallPolicy {
    }

    /** {@code [Call] a::f, b::g}: the library calls exactly these functions (possibly none). */
    record Only(List<FunctionRef> functions) implements CallPolicy {
        public Only {
            functions = List.copyOf(functions);
        }
    }
}
