package flexos.core.mechanism.module;

import flexos.core.component.Library;
import flexos.core.hardening.LibraryBytecode;
import flexos.core.metadata.HostCapabilities;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The confinement of a library checked before it runs: what its code refers to that a {@code module} (or
 * {@code mpk}) compartment would refuse, with the same {@link Confinement} its class loader applies. {@code flexos
 * build} reports each as an error, {@code flexos analyze} each missing {@code [Host]} capability.
 */
public final class ConfinementCheck {

    /**
     * One refused reference.
     *
     * @param library    the library
     * @param className  the class that refers to it
     * @param member     the member ({@code java.lang.System.exit}) or type it refers to
     * @param why        why it is refused
     * @param capability the {@code [Host]} capability that would allow it, or null when none would
     */
    public record Refusal(String library, String className, String member, String why, String capability) {

        /** One line: library, class, member and why. */
        public String describe() {
            return "library " + library + ": class " + className + " refers to " + member + ", refused in a module "
                    + "compartment: " + why + (capability != null ? "; declare [Host] " + capability + " in its "
                    + "metadata if it needs it" : "");
        }
    }

    private ConfinementCheck() {
    }

    /**
     * Every refused reference of {@code library}'s code ({@link LibraryBytecode#of}), judged with {@code host}.
     *
     * @throws IOException if its classes cannot be read
     */
    public static List<Refusal> of(Library library, HostCapabilities host) throws IOException {
        return check(library, host, false);
    }

    /**
     * Like {@link #of}, over the library's classes and every class of its own module they refer to, transitively
     * (code another project compiled into its module, as LuaJ in lua's). An over-approximation of what it runs:
     * {@code flexos analyze} uses it to tell whether a declared capability is used at all; refusals in code the
     * library never runs are not errors (the compartment refuses them when they run).
     *
     * @throws IOException if its classes cannot be read
     */
    public static List<Refusal> reachable(Library library, HostCapabilities host) throws IOException {
        return check(library, host, true);
    }

    private static List<Refusal> check(Library library, HostCapabilities host, boolean closure) throws IOException {
        LibraryBytecode code = LibraryBytecode.of(library);
        Module module = library.getClass().getModule();
        ClassLoader loader = library.getClass().getClassLoader();
        String location = locationOf(library.getClass());
        Map<String, Optional<ClassModel>> own = new ConcurrentHashMap<>();
        Confinement confinement = new Confinement(library.name(), Allowlist.shipped(), host,
                name -> ownClass(name, module, loader, location, own), name -> moduleOf(name, loader));
        List<Refusal> refusals = new ArrayList<>();
        List<ClassModel> classes = closure
                ? closure(code.classes(), name -> ownClass(name, module, loader, location, own)) : code.classes();
        for (ClassModel model : classes) {
            for (ConfiningRewriter.Refusal refusal : ConfiningRewriter.refusals(model, confinement)) {
                refusals.add(new Refusal(library.name(), refusal.className(), refusal.member(), refusal.why(),
                        refusal.capability()));
            }
        }
        return refusals;
    }

    /**
     * The library's classes and every class of its own module they refer to, transitively: what its compartment's
     * loader may define for it. A library may compile another project's code into its module (lua holds LuaJ), which
     * lies outside its package; classes of other libraries sharing the module (the attack suite's) are not reached.
     */
    private static List<ClassModel> closure(List<ClassModel> start, Function<String, ClassModel> ownClass) {
        Map<String, ClassModel> seen = new LinkedHashMap<>();
        ArrayDeque<ClassModel> work = new ArrayDeque<>();
        for (ClassModel model : start) {
            if (seen.putIfAbsent(model.thisClass().asInternalName(), model) == null) {
                work.add(model);
            }
        }
        while (!work.isEmpty()) {
            for (PoolEntry entry : work.poll().constantPool()) {
                if (entry instanceof ClassEntry referred && !seen.containsKey(referred.asInternalName())) {
                    ClassModel next = ownClass.apply(referred.asInternalName());
                    if (next != null) {
                        seen.put(referred.asInternalName(), next);
                        work.add(next);
                    }
                }
            }
        }
        return List.copyOf(seen.values());
    }

    /**
     * A class of the library's own module; on the class path, a class of the jar or directory the library's class
     * came from, which is what its module would hold (a library may compile another project's sources into its
     * jar, as lua does LuaJ's).
     */
    private static ClassModel ownClass(String internalName, Module module, ClassLoader loader, String location,
                                       Map<String, Optional<ClassModel>> cache) {
        int slash = internalName.lastIndexOf('/');
        String pkg = slash < 0 ? "" : internalName.substring(0, slash).replace('/', '.');
        boolean own;
        if (module.isNamed()) {
            own = module.getPackages().contains(pkg);
        } else {
            java.net.URL resource = loader.getResource(internalName + ".class");
            own = location != null && resource != null && resource.toString().startsWith(location);
        }
        if (!own) {
            return null;
        }
        return cache.computeIfAbsent(internalName, name -> {
            try (InputStream in = module.isNamed() ? module.getResourceAsStream(name + ".class")
                    : loader.getResourceAsStream(name + ".class")) {
                return in == null ? Optional.empty() : Optional.of(ClassFile.of().parse(in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).orElse(null);
    }

    /** The prefix of the resource URLs of classes in the jar or directory {@code type} was loaded from, or null. */
    private static String locationOf(Class<?> type) {
        var source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return null;
        }
        String location = source.getLocation().toString();
        return location.endsWith(".jar") ? "jar:" + location + "!/" : location;
    }

    private static String moduleOf(String internalName, ClassLoader loader) {
        try {
            return Class.forName(internalName.replace('/', '.'), false, loader).getModule().getName();
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
