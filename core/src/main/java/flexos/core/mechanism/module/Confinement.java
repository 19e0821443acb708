package flexos.core.mechanism.module;

import flexos.core.metadata.HostCapabilities;
import flexos.core.metadata.HostCapability;
import java.lang.classfile.ClassModel;
import java.lang.classfile.FieldModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What one library's code in a {@code module} compartment may reach (docs/module-mechanism.md, "Confinement"): its
 * own classes, the API modules ({@code flexos.*.api}), and the {@link Allowlist}'s JDK and {@code flexos.core}
 * members, those that need a host capability only when the library's {@code [Host]} clause declares it. Everything
 * else is refused.
 *
 * <p>A reference names an owner; for an own class that does not declare the member, the decision is that of the
 * supertype it inherits it from. For a listed JDK owner, a member entry of one of its JDK supertypes (say
 * {@code Throwable.printStackTrace} for {@code RuntimeException.printStackTrace}) wins over the owner's {@code *}.
 * Used at class definition ({@link ConfiningRewriter}), by {@code flexos build} and by {@code flexos analyze}.
 */
public final class Confinement {

    /** The decision on one reference. */
    public sealed interface Decision {
        /** Reached as it is, or through {@code route}. */
        record Allowed(Allowlist.Route route) implements Decision {
        }

        /**
         * Refused.
         *
         * @param why        one sentence naming the member and the reason
         * @param capability the {@code [Host]} capability that would allow it, or null when nothing would
         */
        record Refused(String why, String capability) implements Decision {
        }
    }

    static final Decision.Allowed DIRECT = new Decision.Allowed(Allowlist.Route.DIRECT);

    private final String library;
    private final Allowlist allowlist;
    private volatile HostCapabilities host;
    private final Function<String, ClassModel> ownClass;
    private final Function<String, String> moduleOf;
    private final Map<String, Decision> decided = new ConcurrentHashMap<>();

    /**
     * @param library   the library's name, for messages
     * @param host      its {@code [Host]} capabilities
     * @param ownClass  the class model of an own class by internal name, or null when the name is not an own class
     * @param moduleOf  the name of the module of a class that is not own, by internal name, or null when no such
     *                  class can be found
     */
    public Confinement(String library, Allowlist allowlist, HostCapabilities host, Function<String, ClassModel> ownClass,
                       Function<String, String> moduleOf) {
        this.library = library;
        this.allowlist = allowlist;
        this.host = host;
        this.ownClass = ownClass;
        this.moduleOf = moduleOf;
    }

    /** The library's capabilities. */
    public HostCapabilities host() {
        return host;
    }

    /** Adds the capabilities of another library defined from the same module in the same compartment. */
    void grant(HostCapabilities more) {
        List<HostCapability> union = new ArrayList<>(host.declared());
        for (HostCapability capability : more.declared()) {
            if (!host.has(capability.getClass())) {
                union.add(capability);
            } else if (!host.declared().contains(capability)) {
                throw new IllegalStateException("libraries of one module declare different " + capability.syntax()
                        + " capabilities in one compartment: " + host.syntax() + " and " + more.syntax());
            }
        }
        host = new HostCapabilities(union);
        decided.clear();
    }

    /** Whether code of this library may name {@code owner} as its superclass or an interface it implements. */
    public Optional<String> refusedSupertype(String owner) {
        if (isOwn(owner) || isApi(owner)) {
            return Optional.empty();
        }
        Optional<Allowlist.Entry> whole = allowlist.whole(owner);
        if (whole.isEmpty() || whole.get().refused()) {
            return Optional.of(dotted(owner) + " is not a class the module allowlist lets a compartment extend or "
                    + "implement");
        }
        String missing = missing(whole.get().capability());
        return missing == null ? Optional.empty() : Optional.of("extending " + dotted(owner) + " needs [Host] "
                + missing + ", which library " + library + " does not declare");
    }

    /** The decision on a reference to member {@code name} of {@code owner} (internal name). */
    public Decision decide(String owner, String name) {
        String key = owner + '.' + name;
        Decision known = decided.get(key);
        if (known == null) {
            known = decideUncached(owner, name, 0);
            decided.put(key, known);
        }
        return known;
    }

    private Decision decideUncached(String owner, String name, int depth) {
        if (owner.startsWith("[")) {
            return DIRECT; // arrays: clone, length
        }
        ClassModel own = ownClass.apply(owner);
        if (own != null) {
            if (declares(own, name) || depth > 32) {
                return DIRECT;
            }
            List<String> supertypes = new ArrayList<>();
            own.superclass().map(ClassEntry::asInternalName).ifPresent(supertypes::add);
            own.interfaces().forEach(i -> supertypes.add(i.asInternalName()));
            Decision first = null;
            for (String supertype : supertypes) {
                Decision inherited = decideUncached(supertype, name, depth + 1);
                if (inherited instanceof Decision.Allowed) {
                    return inherited;
                }
                first = first == null ? inherited : first;
            }
            return first != null ? first : DIRECT;
        }
        if (isApi(owner)) {
            return DIRECT;
        }
        Optional<Allowlist.Entry> entry = entryFor(owner, name);
        if (entry.isEmpty() || entry.get().refused()) {
            return new Decision.Refused(dotted(owner) + "." + name + " is not on the module allowlist", null);
        }
        String missing = missing(entry.get().capability());
        if (missing != null) {
            return new Decision.Refused(dotted(owner) + "." + name + " needs [Host] " + missing + ", which library "
                    + library + " does not declare", missing);
        }
        return entry.get().route() == Allowlist.Route.DIRECT ? DIRECT : new Decision.Allowed(entry.get().route());
    }

    /** The owner's own member entry, else the nearest JDK supertype's member entry, else the owner's class entry. */
    private Optional<Allowlist.Entry> entryFor(String owner, String name) {
        Optional<Allowlist.Entry> found = allowlist.find(owner, name);
        if (found.isEmpty()) {
            return found;
        }
        if (allowlist.whole(owner).orElse(null) != found.get()) {
            return found; // the owner's own member entry
        }
        for (String supertype : JdkSupertypes.of(owner)) {
            Optional<Allowlist.Entry> specific = allowlist.find(supertype, name)
                    .filter(e -> allowlist.whole(supertype).orElse(null) != e);
            if (specific.isPresent()) {
                return specific;
            }
        }
        return found;
    }

    private static boolean declares(ClassModel model, String name) {
        for (MethodModel method : model.methods()) {
            if (method.methodName().equalsString(name)) {
                return true;
            }
        }
        for (FieldModel field : model.fields()) {
            if (field.fieldName().equalsString(name)) {
                return true;
            }
        }
        return false;
    }

    boolean isOwn(String owner) {
        return ownClass.apply(owner) != null;
    }

    /** A class of an API module ({@code flexos.<library>.api}): interfaces, values and exceptions every compartment shares. */
    boolean isApi(String owner) {
        if (!owner.startsWith("flexos/")) {
            return false;
        }
        String module = moduleOf.apply(owner);
        if (module == null) {
            // On the class path (unit tests, the benchmark) no class is in a named module: the API packages are
            // those named flexos.<library>.api, as their modules are.
            return owner.matches("flexos/[^/]+/api/[^/]+");
        }
        return module.startsWith("flexos.") && module.endsWith(".api");
    }

    /** The capability {@code needed} names when the library lacks it, else null. */
    private String missing(String needed) {
        if (needed == null) {
            return null;
        }
        boolean has = switch (needed) {
            case "Sockets" -> host.has(HostCapability.Sockets.class);
            case "Sockets(listen)" -> host.allows(HostCapability.Sockets.Use.LISTEN);
            case "Sockets(connect)" -> host.allows(HostCapability.Sockets.Use.CONNECT);
            case "Files" -> host.has(HostCapability.Files.class);
            case "Threads" -> host.has(HostCapability.Threads.class);
            case "Clock" -> host.has(HostCapability.Clock.class);
            case "Console" -> host.has(HostCapability.Console.class);
            case "Processes" -> host.has(HostCapability.Processes.class);
            case "Management" -> host.has(HostCapability.Management.class);
            case "Native" -> host.has(HostCapability.Native.class);
            default -> false;
        };
        return has ? null : needed;
    }

    static String dotted(String internal) {
        return internal.replace('/', '.');
    }
}
