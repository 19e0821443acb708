package flexos.explore.space;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One point of the design space: a partition of the image's libraries into compartments, a mechanism per
 * compartment, and a hardening set per library.
 *
 * <p>The record is always in canonical form, so that two configurations that differ only in how their
 * compartments are numbered are {@linkplain #equals equal}: compartments are numbered 1, 2, ... in the order in
 * which their first library appears in {@link #libraries()} (a restricted growth string). Build one with
 * {@link #of} from any numbering.
 *
 * @param libraries     the libraries, in the image's fixed order
 * @param compartmentOf for each library (same index), its compartment number, canonical (starts at 1, and each
 *                      new compartment is one more than the largest seen so far)
 * @param mechanisms    the mechanism of compartment {@code i + 1} at index {@code i}
 * @param hardening     for each library (same index), its hardening options, sorted
 */
public record Configuration(
        List<String> libraries,
        List<Integer> compartmentOf,
        List<String> mechanisms,
        List<SortedSet<String>> hardening) {

    public Configuration {
        libraries = List.copyOf(libraries);
        compartmentOf = List.copyOf(compartmentOf);
        mechanisms = List.copyOf(mechanisms);
        List<SortedSet<String>> sets = new ArrayList<>(hardening.size());
        for (Set<String> set : hardening) {
            sets.add(Collections.unmodifiableSortedSet(new TreeSet<>(set)));
        }
        hardening = List.copyOf(sets);
        if (compartmentOf.size() != libraries.size() || hardening.size() != libraries.size()) {
            throw new IllegalArgumentException("one compartment and one hardening set per library are needed");
        }
        if (Set.copyOf(libraries).size() != libraries.size()) {
            throw new IllegalArgumentException("a library is listed twice: " + libraries);
        }
        int highest = 0;
        for (int c : compartmentOf) {
            if (c < 1 || c > highest + 1) {
                throw new IllegalArgumentException("compartment numbers are not canonical: " + compartmentOf
                        + " (use Configuration.of to renumber)");
            }
            highest = Math.max(highest, c);
        }
        if (mechanisms.size() != highest) {
            throw new IllegalArgumentException(
                    "expected " + highest + " mechanisms, one per compartment, got " + mechanisms);
        }
    }

    /**
     * Builds the canonical configuration from any compartment labels.
     *
     * @param libraries      the libraries in the image's order
     * @param labelOf        each library's compartment label (any string or number)
     * @param mechanismOf    each label's mechanism
     * @param hardeningOf    each library's hardening options; a missing library has none
     */
    public static Configuration of(List<String> libraries, Map<String, ?> labelOf, Map<?, String> mechanismOf,
                                   Map<String, ? extends Collection<String>> hardeningOf) {
        Map<Object, Integer> number = new HashMap<>();
        List<Integer> compartments = new ArrayList<>();
        List<String> mechanisms = new ArrayList<>();
        List<SortedSet<String>> hardening = new ArrayList<>();
        for (String library : libraries) {
            Object label = labelOf.get(library);
            if (label == null) {
                throw new IllegalArgumentException("library " + library + " has no compartment");
            }
            Integer n = number.get(label);
            if (n == null) {
                n = number.size() + 1;
                number.put(label, n);
                String mechanism = mechanismOf.get(label);
                if (mechanism == null) {
                    throw new IllegalArgumentException("compartment " + label + " has no mechanism");
                }
                mechanisms.add(mechanism);
            }
            compartments.add(n);
            Collection<String> options = hardeningOf.get(library);
            hardening.add(new TreeSet<>(options == null ? List.<String>of() : options));
        }
        return new Configuration(libraries, compartments, mechanisms, hardening);
    }

    /** The number of compartments. */
    public int compartmentCount() {
        return mechanisms.size();
    }

    /** The compartment number of the library at {@code index}. */
    public int compartmentAt(int index) {
        return compartmentOf.get(index);
    }

    /** The mechanism of the compartment holding the library at {@code index}. */
    public String mechanismAt(int index) {
        return mechanisms.get(compartmentOf.get(index) - 1);
    }

    /** The index of {@code library}, or an exception naming the libraries if it is not part of the image. */
    public int indexOf(String library) {
        int i = libraries.indexOf(library);
        if (i < 0) {
            throw new IllegalArgumentException("unknown library " + library + "; the libraries are " + libraries);
        }
        return i;
    }

    /** The libraries of compartment {@code number} (1-based), in image order. */
    public List<String> librariesIn(int number) {
        List<String> in = new ArrayList<>();
        for (int i = 0; i < libraries.size(); i++) {
            if (compartmentOf.get(i) == number) {
                in.add(libraries.get(i));
            }
        }
        return in;
    }

    /** The same layout and mechanisms with other hardening sets, one per library in image order. */
    public Configuration withHardening(List<? extends Set<String>> sets) {
        return new Configuration(libraries, compartmentOf, mechanisms, List.copyOf(sets).stream()
                .<SortedSet<String>>map(TreeSet::new).toList());
    }

    /**
     * A notation-independent, unambiguous string that identifies this configuration, used as the key of the
     * results store: {@code redis:1 libc:1{asan} sched:2 net:2 | 1:fcall 2:mpk}.
     */
    public String key() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < libraries.size(); i++) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(libraries.get(i)).append(':').append(compartmentOf.get(i));
            if (!hardening.get(i).isEmpty()) {
                out.append('{').append(String.join(",", hardening.get(i))).append('}');
            }
        }
        out.append(" |");
        for (int c = 0; c < mechanisms.size(); c++) {
            out.append(' ').append(c + 1).append(':').append(mechanisms.get(c));
        }
        return out.toString();
    }

    /**
     * Parses a {@link #key()} back; the libraries' order is the order written.
     *
     * @throws IllegalArgumentException if {@code key} is not a key
     */
    public static Configuration fromKey(String key) {
        int bar = key.indexOf('|');
        if (bar < 0) {
            throw new IllegalArgumentException("not a configuration key (no '|'): " + key);
        }
        List<String> libraries = new ArrayList<>();
        Map<String, String> label = new HashMap<>();
        Map<String, List<String>> hardening = new HashMap<>();
        for (String token : key.substring(0, bar).trim().split("\\s+")) {
            int colon = token.indexOf(':');
            int brace = token.indexOf('{');
            if (colon < 1) {
                throw new IllegalArgumentException("not a configuration key (bad token '" + token + "'): " + key);
            }
            String library = token.substring(0, colon);
            libraries.add(library);
            label.put(library, token.substring(colon + 1, brace < 0 ? token.length() : brace));
            hardening.put(library, brace < 0 ? List.of()
                    : List.of(token.substring(brace + 1, token.length() - 1).split(",")));
        }
        Map<String, String> mechanism = new HashMap<>();
        for (String token : key.substring(bar + 1).trim().split("\\s+")) {
            int colon = token.indexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException("not a configuration key (bad mechanism '" + token + "'): " + key);
            }
            mechanism.put(token.substring(0, colon), token.substring(colon + 1));
        }
        return of(libraries, label, mechanism, hardening);
    }

    @Override
    public String toString() {
        return key();
    }
}
