package flexos.core.mechanism.module;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The supertypes of a JDK class, nearest first, by internal name: what {@link Confinement} walks to find the member
 * entry that governs an inherited member. Classes are loaded from the platform class loader without being
 * initialized; a name the JDK does not have has none.
 */
final class JdkSupertypes {

    private static final Map<String, List<String>> KNOWN = new ConcurrentHashMap<>();

    private JdkSupertypes() {
    }

    static List<String> of(String owner) {
        return KNOWN.computeIfAbsent(owner, JdkSupertypes::compute);
    }

    private static List<String> compute(String owner) {
        Class<?> type;
        try {
            type = Class.forName(owner.replace('/', '.'), false, ClassLoader.getPlatformClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return List.of();
        }
        Set<Class<?>> seen = new LinkedHashSet<>();
        List<Class<?>> frontier = List.of(type);
        while (!frontier.isEmpty()) {
            List<Class<?>> next = new ArrayList<>();
            for (Class<?> c : frontier) {
                if (c.getSuperclass() != null && seen.add(c.getSuperclass())) {
                    next.add(c.getSuperclass());
                }
                for (Class<?> i : c.getInterfaces()) {
                    if (seen.add(i)) {
                        next.add(i);
                    }
                }
            }
            frontier = next;
        }
        List<String> names = new ArrayList<>();
        for (Class<?> c : seen) {
            names.add(c.getName().replace('.', '/'));
        }
        return List.copyOf(names);
    }
}
