package flexos.analyze.bytecode;

import flexos.core.component.Library;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which library exports which API interface, and the callable methods of each: what a call instruction in bytecode
 * must name to be a cross-library call.
 */
public final class ApiIndex {

    /** An exported API interface: its library and the names of its instance methods, inherited ones included. */
    public record ApiInterface(String library, String internalName, Set<String> methods) {
        public ApiInterface {
            methods = Set.copyOf(methods);
        }
    }

    private final Map<String, ApiInterface> byInternalName;

    private ApiIndex(Map<String, ApiInterface> byInternalName) {
        this.byInternalName = Map.copyOf(byInternalName);
    }

    /** The index of the APIs that {@code libraries} export. */
    public static ApiIndex of(Collection<Library> libraries) {
        Map<String, ApiInterface> index = new HashMap<>();
        for (Library library : libraries) {
            for (Class<?> api : library.exports()) {
                String internal = api.getName().replace('.', '/');
                index.put(internal, new ApiInterface(library.name(), internal, methodNames(api)));
            }
        }
        return new ApiIndex(index);
    }

    /** The public instance methods {@code api} declares or inherits from other interfaces (not from Object). */
    public static Set<String> methodNames(Class<?> api) {
        Set<String> names = new TreeSet<>();
        for (Method m : api.getMethods()) {
            if (!Modifier.isStatic(m.getModifiers()) && !m.isSynthetic() && m.getDeclaringClass() != Object.class) {
                names.add(m.getName());
            }
        }
        return names;
    }

    /** The API interface with this internal name ({@code flexos/alloc/api/Allocator}), if a library exports it. */
    public Optional<ApiInterface> find(String internalName) {
        return Optional.ofNullable(byInternalName.get(internalName));
    }
}
