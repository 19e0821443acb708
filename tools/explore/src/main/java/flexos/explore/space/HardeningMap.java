package flexos.explore.space;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What "hardened" means for each library: the hardening options a library takes when the space hardens it. The
 * paper's space hardens each library or not (16 subsets over 4 libraries); which option that is depends on the
 * library, because not every library can take every option (asan needs memory to check, contracts needs declared
 * contracts). Libraries the map does not name are never hardened.
 *
 * <p>Text form, for the command line: {@code redis=asan,libc=asan,sched=contracts,net=asan}; several options of
 * one library are joined by {@code +} ({@code redis=asan+cfi}).
 *
 * @param byLibrary each hardened library's option set, never empty, in the order written
 */
public record HardeningMap(Map<String, SortedSet<String>> byLibrary) {

    public HardeningMap {
        Map<String, SortedSet<String>> copy = new LinkedHashMap<>();
        byLibrary.forEach((library, options) -> {
            if (options.isEmpty()) {
                throw new IllegalArgumentException("library " + library + " is listed with no hardening option");
            }
            copy.put(library, Collections.unmodifiableSortedSet(new TreeSet<>(options)));
        });
        byLibrary = Collections.unmodifiableMap(copy);
    }

    /** No library is hardened. */
    public static HardeningMap none() {
        return new HardeningMap(Map.of());
    }

    /** Every one of {@code libraries} takes the same {@code options} when hardened. */
    public static HardeningMap uniform(List<String> libraries, Set<String> options) {
        Map<String, SortedSet<String>> map = new LinkedHashMap<>();
        libraries.forEach(l -> map.put(l, new TreeSet<>(options)));
        return new HardeningMap(map);
    }

    /**
     * Reads {@code redis=asan,libc=asan,sched=contracts,net=asan}.
     *
     * @throws IllegalArgumentException naming the entry that is wrong and the expected form
     */
    public static HardeningMap parse(String text) {
        Map<String, SortedSet<String>> map = new LinkedHashMap<>();
        String trimmed = text.trim();
        if (trimmed.isEmpty() || trimmed.equals("none")) {
            return none();
        }
        for (String entry : trimmed.split("\\s*,\\s*")) {
            int eq = entry.indexOf('=');
            if (eq < 1 || eq == entry.length() - 1) {
                throw new IllegalArgumentException("cannot read hardening entry '" + entry + "' in '" + text
                        + "'; write LIBRARY=OPTION[+OPTION], e.g. redis=asan,sched=contracts");
            }
            String library = entry.substring(0, eq).trim();
            if (map.containsKey(library)) {
                throw new IllegalArgumentException("library " + library + " is listed twice in '" + text + "'");
            }
            SortedSet<String> options = new TreeSet<>();
            for (String option : entry.substring(eq + 1).split("\\s*\\+\\s*")) {
                if (option.isBlank()) {
                    throw new IllegalArgumentException("empty option in hardening entry '" + entry + "'");
                }
                options.add(option.trim());
            }
            map.put(library, options);
        }
        return new HardeningMap(map);
    }

    /** The options {@code library} takes when hardened; empty if it is never hardened. */
    public SortedSet<String> of(String library) {
        SortedSet<String> set = byLibrary.get(library);
        return set != null ? set : Collections.emptySortedSet();
    }

    /** The hardened libraries. */
    public Set<String> libraries() {
        return byLibrary.keySet();
    }

    @Override
    public String toString() {
        if (byLibrary.isEmpty()) {
            return "none";
        }
        StringBuilder out = new StringBuilder();
        byLibrary.forEach((library, options) -> out.append(out.isEmpty() ? "" : ",").append(library).append('=')
                .append(String.join("+", options)));
        return out.toString();
    }
}
