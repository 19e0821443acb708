package flexos.explore.space;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;

/**
 * The paper's short notation for a configuration, {@code R1H N1 S2H L3H}: one token per library, made of the
 * library's letter, its compartment number and its hardening.
 *
 * <ul>
 *   <li>{@code H} after the number means that library's hardened set (its entry in the notation's
 *       {@link HardeningMap}: {@code asan} for redis, {@code contracts} for sched, ...); {@code {asan,cfi}} names a
 *       set explicitly; nothing means no hardening.</li>
 *   <li>A compartment whose mechanism is not the notation's default mechanism is written after the library
 *       tokens as {@code 2:process}. In the paper every compartment used MPK, so the paper's notation has
 *       {@code mpk} as its default and needs no such token. A configuration of one compartment has a default of
 *       its own, because it separates nothing: an exploration typically runs it unisolated ({@code fcall}) and
 *       every split layout under one isolation mechanism, and both are then written without tokens.</li>
 * </ul>
 *
 * Parsing accepts the tokens in any order and any compartment numbering; the result is canonical.
 *
 * @param letters          each library's letter, in the image's library order
 * @param hardened         what {@code H} stands for, per library
 * @param defaultMechanism the mechanism of compartments that carry no mechanism token
 * @param singleCompartmentMechanism the same for a configuration of one compartment
 */
public record Notation(Map<Character, String> letters, HardeningMap hardened, String defaultMechanism,
                       String singleCompartmentMechanism) {

    public Notation {
        letters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(letters));
        if (letters.containsKey('H')) {
            throw new IllegalArgumentException("H means hardened and cannot name a library: " + letters);
        }
        if (Set.copyOf(letters.values()).size() != letters.size()) {
            throw new IllegalArgumentException("two letters name the same library: " + letters);
        }
    }

    /** A notation whose one-compartment configurations have the same default mechanism as the others. */
    public Notation(Map<Character, String> letters, HardeningMap hardened, String defaultMechanism) {
        this(letters, hardened, defaultMechanism, defaultMechanism);
    }

    /** This notation with other default mechanisms: {@code split} for split layouts, {@code single} otherwise. */
    public Notation withMechanisms(String split, String single) {
        return new Notation(letters, hardened, split, single);
    }

    /** The libraries, in the order of the letters. */
    public List<String> libraries() {
        return List.copyOf(letters.values());
    }

    /** Writes {@code configuration} in this notation. */
    public String format(Configuration configuration) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<Character, String> entry : letters.entrySet()) {
            int i = configuration.indexOf(entry.getValue());
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(entry.getKey()).append(configuration.compartmentAt(i));
            SortedSet<String> set = configuration.hardening().get(i);
            if (!set.isEmpty()) {
                out.append(set.equals(hardened.of(entry.getValue())) ? "H" : "{" + String.join(",", set) + "}");
            }
        }
        for (int c = 1; c <= configuration.compartmentCount(); c++) {
            String mechanism = configuration.mechanisms().get(c - 1);
            if (!mechanism.equals(configuration.compartmentCount() == 1 ? singleCompartmentMechanism
                    : defaultMechanism)) {
                out.append(' ').append(c).append(':').append(mechanism);
            }
        }
        return out.toString();
    }

    /**
     * Reads a configuration written in this notation.
     *
     * @throws IllegalArgumentException naming the token that is wrong and what was expected
     */
    public Configuration parse(String text) {
        Map<String, String> label = new HashMap<>();
        Map<String, List<String>> hardening = new HashMap<>();
        Map<String, String> mechanism = new HashMap<>();
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("empty configuration; expected tokens such as "
                    + example());
        }
        for (String token : trimmed.split("\\s+")) {
            char first = token.charAt(0);
            if (Character.isDigit(first)) {
                int colon = token.indexOf(':');
                if (colon < 0 || colon == token.length() - 1) {
                    throw bad(text, token, "a mechanism token is written NUMBER:MECHANISM, e.g. 2:process");
                }
                mechanism.put(token.substring(0, colon), token.substring(colon + 1));
                continue;
            }
            String library = letters.get(first);
            if (library == null) {
                throw bad(text, token, "the letter must be one of " + letters.keySet());
            }
            if (label.containsKey(library)) {
                throw bad(text, token, "library " + library + " is written twice");
            }
            int end = 1;
            while (end < token.length() && Character.isDigit(token.charAt(end))) {
                end++;
            }
            if (end == 1) {
                throw bad(text, token, "a compartment number must follow the letter, e.g. " + first + "1");
            }
            label.put(library, token.substring(1, end));
            String rest = token.substring(end);
            if (rest.isEmpty()) {
                hardening.put(library, List.of());
            } else if (rest.equals("H")) {
                if (hardened.of(library).isEmpty()) {
                    throw bad(text, token, "H means nothing for " + library + ", which this notation never hardens "
                            + "(hardened: " + hardened + "); write {option,option}");
                }
                hardening.put(library, List.copyOf(hardened.of(library)));
            } else if (rest.startsWith("{") && rest.endsWith("}")) {
                String inside = rest.substring(1, rest.length() - 1).trim();
                hardening.put(library, inside.isEmpty() ? List.of() : List.of(inside.split("\\s*,\\s*")));
            } else {
                throw bad(text, token, "after the compartment number write nothing, H, or {option,option}");
            }
        }
        List<String> missing = new ArrayList<>();
        for (String library : letters.values()) {
            if (!label.containsKey(library)) {
                missing.add(library);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("configuration '" + text + "' does not place " + missing
                    + "; write one token per library, e.g. " + example());
        }
        Map<String, String> mechanismOfLabel = new HashMap<>();
        for (String l : label.values()) {
            mechanismOfLabel.put(l, mechanism.getOrDefault(l, Set.copyOf(label.values()).size() == 1
                    ? singleCompartmentMechanism : defaultMechanism));
        }
        for (String l : mechanism.keySet()) {
            if (!label.containsValue(l)) {
                throw new IllegalArgumentException("configuration '" + text + "' gives a mechanism to compartment "
                        + l + ", which holds no library");
            }
        }
        return Configuration.of(libraries(), label, mechanismOfLabel, hardening);
    }

    private String example() {
        StringBuilder out = new StringBuilder();
        int c = 1;
        for (Map.Entry<Character, String> entry : letters.entrySet()) {
            boolean h = c == 1 && !hardened.of(entry.getValue()).isEmpty();
            out.append(out.isEmpty() ? "" : " ").append(entry.getKey()).append(c).append(h ? "H" : "");
            c = Math.min(c + 1, 2);
        }
        return "'" + out + "'";
    }

    private static IllegalArgumentException bad(String text, String token, String expected) {
        return new IllegalArgumentException("bad token '" + token + "' in configuration '" + text + "': " + expected);
    }
}
