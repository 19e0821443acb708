package flexos.explore.profile;

import flexos.explore.space.HardeningMap;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads an {@link ExplorationProfile} from YAML:
 * <pre>
 * application: redis
 * libraries: {redis: R, libc: N, sched: S, net: L}
 * together: [[redis, libc]]
 * mechanisms: [module]
 * single_compartment: fcall
 * spaces:
 *   quick: {description: ..., hardening: {redis: [asan], net: [asan]}}
 * workload: {client: redis-benchmark, arguments: [-t, "get,set"], metrics: [get, set]}
 * </pre>
 * Every key is required except {@code together}; unknown keys are refused, so that a typo is not silently ignored.
 */
public final class ProfileReader {

    /** Where an application's module carries its profile: {@code META-INF/flexos/<application>.explore.yaml}. */
    public static String resourceName(String application) {
        return "META-INF/flexos/" + application + ".explore.yaml";
    }

    private ProfileReader() {
    }

    /**
     * The profile that the module of {@code libraryClass} ships for {@code application}, if it ships one.
     *
     * @throws ProfileException if it ships one that cannot be read
     */
    public static Optional<ExplorationProfile> shippedBy(Class<?> libraryClass, String application) {
        String resource = resourceName(application);
        try {
            InputStream found = libraryClass.getModule().getResourceAsStream(resource);
            if (found == null && libraryClass.getClassLoader() != null) {
                found = libraryClass.getClassLoader().getResourceAsStream(resource);
            }
            if (found == null) {
                return Optional.empty();
            }
            try (InputStream in = found) {
                return Optional.of(read(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource));
            }
        } catch (IOException e) {
            throw new ProfileException(resource + ": cannot read: " + e.getMessage());
        }
    }

    /**
     * Reads a profile.
     *
     * @param where names the text in error messages
     * @throws ProfileException saying which key is missing or wrong
     */
    public static ExplorationProfile read(String yaml, String where) {
        Object root;
        try {
            root = new Load(LoadSettings.builder().setLabel(where).build()).loadFromString(yaml);
        } catch (YamlEngineException e) {
            throw new ProfileException(where + ": not YAML: " + e.getMessage());
        }
        Map<String, Object> top = map(root, where, "the profile");
        known(top, where, "the profile", "application", "libraries", "together", "mechanisms", "single_compartment",
                "spaces", "workload");
        String application = string(top, "application", where);
        Map<Character, String> letters = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : map(required(top, "libraries", where), where, "libraries").entrySet()) {
            String letter = String.valueOf(e.getValue());
            if (letter.length() != 1 || !Character.isLetter(letter.charAt(0)) || letter.equals("H")) {
                throw new ProfileException(where + ": libraries: " + e.getKey() + " needs one letter other than H, "
                        + "not '" + letter + "'");
            }
            if (letters.put(letter.charAt(0), e.getKey()) != null) {
                throw new ProfileException(where + ": libraries: the letter " + letter + " is given twice");
            }
        }
        List<Set<String>> together = new ArrayList<>();
        if (top.containsKey("together")) {
            for (Object group : list(top.get("together"), where, "together")) {
                together.add(new LinkedHashSet<>(strings(group, where, "together")));
            }
        }
        List<String> mechanisms = strings(required(top, "mechanisms", where), where, "mechanisms");
        String single = string(top, "single_compartment", where);
        Map<String, ExplorationProfile.Space> spaces = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : map(required(top, "spaces", where), where, "spaces").entrySet()) {
            String key = "spaces." + e.getKey();
            Map<String, Object> space = map(e.getValue(), where, key);
            known(space, where, key, "description", "hardening");
            Map<String, SortedSet<String>> hardening = new LinkedHashMap<>();
            for (Map.Entry<String, Object> h : map(required(space, "hardening", where), where, key + ".hardening")
                    .entrySet()) {
                if (!letters.containsValue(h.getKey())) {
                    throw new ProfileException(where + ": " + key + ".hardening names " + h.getKey()
                            + ", which is not among the libraries " + letters.values());
                }
                hardening.put(h.getKey(), new TreeSet<>(strings(h.getValue(), where, key + ".hardening")));
            }
            spaces.put(e.getKey(), new ExplorationProfile.Space(string(space, "description", where),
                    new HardeningMap(hardening)));
        }
        if (!spaces.containsKey(ExplorationProfile.DEFAULT_SPACE)) {
            throw new ProfileException(where + ": spaces needs a '" + ExplorationProfile.DEFAULT_SPACE + "' space");
        }
        Map<String, Object> workload = map(required(top, "workload", where), where, "workload");
        known(workload, where, "workload", "client", "arguments", "metrics");
        ExplorationProfile.WorkloadSpec spec = new ExplorationProfile.WorkloadSpec(string(workload, "client", where),
                strings(required(workload, "arguments", where), where, "workload.arguments"),
                strings(required(workload, "metrics", where), where, "workload.metrics"));
        for (Set<String> group : together) {
            for (String library : group) {
                if (!letters.containsValue(library)) {
                    throw new ProfileException(where + ": together names " + library
                            + ", which is not among the libraries " + letters.values());
                }
            }
        }
        return new ExplorationProfile(application, letters, together, mechanisms, single, spaces, spec);
    }

    private static Object required(Map<String, Object> map, String key, String where) {
        Object value = map.get(key);
        if (value == null) {
            throw new ProfileException(where + ": missing '" + key + "'");
        }
        return value;
    }

    private static String string(Map<String, Object> map, String key, String where) {
        Object value = required(map, key, where);
        if (value instanceof Map || value instanceof List) {
            throw new ProfileException(where + ": '" + key + "' must be a single value");
        }
        return String.valueOf(value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String where, String what) {
        if (!(value instanceof Map<?, ?> m)) {
            throw new ProfileException(where + ": " + what + " must be a mapping");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    private static List<?> list(Object value, String where, String what) {
        if (!(value instanceof List<?> l)) {
            throw new ProfileException(where + ": " + what + " must be a list");
        }
        return l;
    }

    private static List<String> strings(Object value, String where, String what) {
        List<String> out = new ArrayList<>();
        for (Object item : list(value, where, what)) {
            if (item instanceof Map || item instanceof List) {
                throw new ProfileException(where + ": " + what + " must be a list of names");
            }
            out.add(String.valueOf(item));
        }
        return out;
    }

    private static void known(Map<String, Object> map, String where, String what, String... keys) {
        Set<String> allowed = Set.of(keys);
        for (String key : map.keySet()) {
            if (!allowed.contains(key)) {
                throw new ProfileException(where + ": unknown key '" + key + "' in " + what + "; the keys are "
                        + List.of(keys));
            }
        }
    }
}
