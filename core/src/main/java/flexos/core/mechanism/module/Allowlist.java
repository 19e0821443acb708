package flexos.core.mechanism.module;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The reviewed list of what code in a {@code module} compartment may reach outside its own classes and the API
 * modules: {@code allowlist.txt} beside this class, one entry a line, with the reason. The file's head describes
 * its syntax. A lookup names the owner the bytecode names (not the class that declares the member): a member entry
 * wins over its class's {@code *} entry, and a class without an entry is not listed.
 */
public final class Allowlist {

    /** Where a listed member's calls go. */
    public enum Route {
        /** Straight to the JDK. */
        DIRECT,
        /** Through a check of every {@code Path} argument against the library's {@code Files} grants. */
        FILES,
        /** Through the compartment's thread tracker. */
        THREADS,
        /** Through a filter that answers only the JVM's descriptive system properties. */
        PROPERTY
    }

    /**
     * One entry.
     *
     * @param refused    a {@code !} entry: the member is refused although its class is listed
     * @param capability the {@code [Host]} capability it needs, as the file writes it ({@code Sockets(listen)}), or
     *                   null for none
     * @param route      where its calls go
     * @param line       the entry's line in the file, for messages
     */
    public record Entry(boolean refused, String capability, Route route, int line) {
    }

    private static final String RESOURCE = "allowlist.txt";
    private static final Set<String> CAPABILITIES = Set.of("Sockets", "Sockets(listen)", "Sockets(connect)", "Files",
            "Threads", "Clock", "Console", "Processes", "Management", "Native");
    private static final Allowlist SHIPPED = load();

    /** owner -> member ("*" for the class entry) -> entry */
    private final Map<String, Map<String, Entry>> entries;

    private Allowlist(Map<String, Map<String, Entry>> entries) {
        this.entries = entries;
    }

    /** The list shipped with this build. */
    public static Allowlist shipped() {
        return SHIPPED;
    }

    private static Allowlist load() {
        try (InputStream in = Allowlist.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from flexos.core");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /**
     * Parses a list in the file's syntax.
     *
     * @throws IllegalArgumentException naming the line of the first malformed entry
     */
    public static Allowlist parse(String text) {
        Map<String, Map<String, Entry>> entries = new HashMap<>();
        int number = 0;
        try (BufferedReader reader = new BufferedReader(new java.io.StringReader(text))) {
            for (String raw = reader.readLine(); raw != null; raw = reader.readLine()) {
                number++;
                int hash = raw.indexOf('#');
                String line = (hash < 0 ? raw : raw.substring(0, hash)).strip();
                if (line.isEmpty()) {
                    continue;
                }
                String[] words = line.split("\\s+");
                boolean refused = words[0].startsWith("!");
                String target = refused ? words[0].substring(1) : words[0];
                int dot = target.lastIndexOf('.');
                if (dot <= 0 || dot == target.length() - 1 || target.contains(".") && target.indexOf('.') != dot) {
                    throw new IllegalArgumentException(RESOURCE + ":" + number + ": expected OWNER.MEMBER, found "
                            + words[0]);
                }
                String capability = null;
                Route route = Route.DIRECT;
                for (int i = 1; i < words.length; i++) {
                    if (words[i].equals("->") && i + 1 < words.length) {
                        route = Route.valueOf(words[++i].toUpperCase(java.util.Locale.ROOT));
                    } else if (CAPABILITIES.contains(words[i]) && capability == null) {
                        capability = words[i];
                    } else {
                        throw new IllegalArgumentException(RESOURCE + ":" + number + ": unexpected '" + words[i]
                                + "' (a capability of " + new TreeSet<>(CAPABILITIES) + ", or -> ROUTE)");
                    }
                }
                Entry previous = entries.computeIfAbsent(target.substring(0, dot), k -> new HashMap<>())
                        .put(target.substring(dot + 1), new Entry(refused, capability, route, number));
                if (previous != null) {
                    throw new IllegalArgumentException(RESOURCE + ":" + number + ": " + target
                            + " is already listed on line " + previous.line());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Allowlist(entries);
    }

    /** The entry for {@code owner.member} (internal name, member name): its own, else its class's {@code *}. */
    public Optional<Entry> find(String owner, String member) {
        Map<String, Entry> members = entries.getOrDefault(owner, Map.of());
        Entry entry = members.get(member);
        return Optional.ofNullable(entry != null ? entry : members.get("*"));
    }

    /** The class entry ({@code OWNER.*}) of {@code owner}: only such a class may be extended or implemented. */
    public Optional<Entry> whole(String owner) {
        return Optional.ofNullable(entries.getOrDefault(owner, Map.of()).get("*"));
    }

    /** Every listed owner, in internal form. */
    public Set<String> owners() {
        return Collections.unmodifiableSet(entries.keySet());
    }
}
