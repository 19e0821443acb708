package flexos.core.hardening;

import flexos.core.component.Library;
import flexos.core.metadata.FunctionRef;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The other libraries' API functions a library's bytecode calls ({@link LibraryBytecode}): call instructions and
 * method references naming a method of an API interface another library of the image exports. Calls made by
 * reflection are not seen: {@code cfi} refuses those at the gate instead.
 */
final class LibraryCallScanner {

    /** Exported API interfaces by internal name: the exporting library and the API class. */
    private final Map<String, Map.Entry<String, Class<?>>> apis = new TreeMap<>();

    LibraryCallScanner(Collection<Library> libraries) {
        for (Library library : libraries) {
            for (Class<?> api : library.exports()) {
                apis.put(api.getName().replace('.', '/'), Map.entry(library.name(), api));
            }
        }
    }

    /**
     * Each function of another library that {@code library}'s code calls, with the first method that calls it.
     *
     * @throws IOException if the library's classes cannot be read
     */
    Map<FunctionRef, String> calls(Library library) throws IOException {
        Map<FunctionRef, String> calls = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        LibraryBytecode.of(library).forEachReference(ref -> {
            Map.Entry<String, Class<?>> api = apis.get(ref.owner());
            if (api != null && !api.getKey().equals(library.name()) && GateClassGenerator.methods(api.getValue())
                    .stream().anyMatch(m -> m.getName().equals(ref.name()))) {
                calls.putIfAbsent(new FunctionRef(api.getKey(), ref.name()), ref.where());
            }
        });
        return calls;
    }
}
