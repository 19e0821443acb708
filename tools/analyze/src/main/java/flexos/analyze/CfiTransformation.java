package flexos.analyze;

import flexos.core.metadata.CallPolicy;
import flexos.core.metadata.FunctionRef;
import flexos.core.metadata.LibraryMetadata;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * CFI as a metadata transformation: {@code [Call] *} becomes the calls found in the library's bytecode, because
 * the hardened library's gates refuse any other call. Candidates are the libraries that may call anything; one
 * without bytecode cannot be hardened this way, since nothing says which calls it really makes.
 */
public final class CfiTransformation implements MetadataTransformation {

    private final Map<String, Set<FunctionRef>> callsInBytecode;

    /** @param callsInBytecode by library name, the other libraries' API methods its bytecode calls */
    public CfiTransformation(Map<String, Set<FunctionRef>> callsInBytecode) {
        this.callsInBytecode = Map.copyOf(callsInBytecode);
    }

    @Override
    public String name() {
        return "cfi";
    }

    @Override
    public Optional<LibraryMetadata> apply(LibraryMetadata library) {
        Set<FunctionRef> found = callsInBytecode.get(library.library());
        if (!(library.calls() instanceof CallPolicy.Anything) || found == null) {
            return Optional.empty();
        }
        var calls = found.stream().sorted(Comparator.comparing(FunctionRef::toString)).toList();
        return Optional.of(library.withCalls(new CallPolicy.Only(calls)));
    }

    @Override
    public Optional<String> whyNot(LibraryMetadata library) {
        return library.calls() instanceof CallPolicy.Anything && !callsInBytecode.containsKey(library.library())
                ? Optional.of(library.library() + " may call anything ([Call] *) but no bytecode of it was analysed,"
                        + " so cfi cannot tell which calls it makes")
                : Optional.empty();
    }
}
