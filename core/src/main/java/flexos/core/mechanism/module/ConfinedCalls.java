package flexos.core.mechanism.module;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Set;

/**
 * The bootstrap methods of the call sites {@link ConfiningRewriter} puts into a {@code module} compartment's classes.
 * Public only because the rewritten classes, in other modules, link to it; its methods do nothing for a caller that
 * is not a compartment's class (they refuse).
 *
 * <p>{@link #refuse} makes a call site that always throws {@link RefusedOperationException}. {@link #route} makes
 * one that performs the original call behind a check, with the caller's own lookup (caller-sensitive members still
 * see the compartment's class): file paths against the library's {@code Files} grants, thread starts through the
 * compartment's tracker, system properties through a filter.
 */
public final class ConfinedCalls {

    static final int STATIC = 0;
    static final int VIRTUAL = 1;
    static final int INTERFACE = 2;

    /** The properties a compartment may read: what the JVM and OS are, nothing of the image's configuration. */
    private static final Set<String> DESCRIPTIVE_PROPERTIES = Set.of("os.name", "os.arch", "os.version",
            "java.version", "java.vendor", "java.vm.name", "java.vm.version", "java.specification.version",
            "line.separator", "file.separator", "path.separator", "file.encoding", "native.encoding");

    private static final MethodHandle THROW;
    private static final MethodHandle PROPERTY;
    private static final MethodHandle PROPERTY_OR;
    private static final MethodHandle START;
    private static final MethodHandle START_BUILT;
    private static final MethodHandle CHECK_PATHS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            THROW = lookup.findStatic(ConfinedCalls.class, "raise", MethodType.methodType(Object.class, String.class));
            PROPERTY = lookup.findStatic(ConfinedCalls.class, "property",
                    MethodType.methodType(String.class, String.class));
            PROPERTY_OR = lookup.findStatic(ConfinedCalls.class, "property",
                    MethodType.methodType(String.class, String.class, String.class));
            START = lookup.findVirtual(CompartmentThreads.class, "start",
                    MethodType.methodType(void.class, Thread.class));
            START_BUILT = lookup.findVirtual(CompartmentThreads.class, "start",
                    MethodType.methodType(Thread.class, Thread.Builder.class, Runnable.class));
            CHECK_PATHS = lookup.findVirtual(FileGrants.class, "check",
                    MethodType.methodType(void.class, String.class, Object[].class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private ConfinedCalls() {
    }

    /** A call site of {@code type} that throws {@link RefusedOperationException} saying {@code why}. */
    public static CallSite refuse(MethodHandles.Lookup caller, String name, MethodType type, String why) {
        MethodHandle thrower = MethodHandles.insertArguments(THROW, 0,
                why + " (in " + caller.lookupClass().getName() + ", a module compartment's class)")
                .asType(MethodType.methodType(type.returnType()));
        return new ConstantCallSite(MethodHandles.dropArguments(thrower, 0, type.parameterList()));
    }

    /**
     * A call site that makes the original call {@code owner.name} of {@code kind} ({@link #STATIC},
     * {@link #VIRTUAL}, {@link #INTERFACE}) through the check of {@code route} ({@link Allowlist.Route}).
     */
    public static CallSite route(MethodHandles.Lookup caller, String name, MethodType type, String route,
                                 Class<?> owner, int kind) throws ReflectiveOperationException {
        if (!(caller.lookupClass().getClassLoader() instanceof CompartmentClassLoader loader)) {
            return refuse(caller, name, type, "a confined call outside a module compartment");
        }
        MethodHandle target = switch (Allowlist.Route.valueOf(route)) {
            case PROPERTY -> type.parameterCount() == 1 ? PROPERTY : PROPERTY_OR;
            case THREADS -> type.parameterCount() == 1
                    ? START.bindTo(loader.threads())
                    : START_BUILT.bindTo(loader.threads());
            case FILES -> {
                MethodHandle original = kind == STATIC
                        ? caller.findStatic(owner, name, type)
                        : caller.findVirtual(owner, name, type.dropParameterTypes(0, 1));
                MethodHandle check = MethodHandles.insertArguments(CHECK_PATHS.bindTo(loader.files()), 0,
                        owner.getSimpleName() + "." + name)
                        .asCollector(Object[].class, type.parameterCount())
                        .asType(type.changeReturnType(void.class));
                yield MethodHandles.foldArguments(original.asType(type), check);
            }
            case DIRECT -> kind == STATIC ? caller.findStatic(owner, name, type)
                    : caller.findVirtual(owner, name, type.dropParameterTypes(0, 1));
        };
        return new ConstantCallSite(target.asType(type));
    }

    private static Object raise(String message) {
        throw new RefusedOperationException(message);
    }

    private static String property(String key) {
        return DESCRIPTIVE_PROPERTIES.contains(key) ? System.getProperty(key) : null;
    }

    private static String property(String key, String fallback) {
        return DESCRIPTIVE_PROPERTIES.contains(key) ? System.getProperty(key, fallback) : fallback;
    }
}
