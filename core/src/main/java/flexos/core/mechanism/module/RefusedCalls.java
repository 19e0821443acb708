package flexos.core.mechanism.module;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;

/**
 * The bootstrap methods of the call sites {@link RefusedCallRewriter} puts into a {@code module} compartment's
 * classes when it loads them. Public only because the rewritten classes, in other modules, link to it; nothing else
 * should call it.
 *
 * <p>{@link #refuse} makes a call site that always throws {@link RefusedOperationException}. {@link #checked} makes
 * one that performs the original reflective call ({@code Method.invoke}, {@code Lookup.findStatic} ...) on behalf of
 * the original caller (the bootstrap receives the caller's own lookup, so caller-sensitive checks still see the
 * compartment's class), after refusing the reflective forms of the refused operations.
 */
public final class RefusedCalls {

    private static final MethodHandle THROW;
    private static final MethodHandle CHECK_METHOD;
    private static final MethodHandle CHECK_LOOKUP;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            THROW = lookup.findStatic(RefusedCalls.class, "raise", MethodType.methodType(Object.class, String.class));
            CHECK_METHOD = lookup.findStatic(RefusedCalls.class, "checkMethod",
                    MethodType.methodType(void.class, Method.class));
            CHECK_LOOKUP = lookup.findStatic(RefusedCalls.class, "checkLookup",
                    MethodType.methodType(void.class, MethodHandles.Lookup.class, Class.class, String.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private RefusedCalls() {
    }

    /** A call site of {@code type} that throws {@link RefusedOperationException} naming {@code what}. */
    public static CallSite refuse(MethodHandles.Lookup caller, String name, MethodType type, String what) {
        MethodHandle thrower = MethodHandles.insertArguments(THROW, 0,
                what + " is refused to code in a module compartment (" + caller.lookupClass().getName() + ")")
                .asType(MethodType.methodType(type.returnType()));
        return new ConstantCallSite(MethodHandles.dropArguments(thrower, 0, type.parameterList()));
    }

    /** A call site that checks the reflective target, then makes the original virtual call as {@code caller}. */
    public static CallSite checked(MethodHandles.Lookup caller, String name, MethodType type, Class<?> owner)
            throws ReflectiveOperationException {
        MethodHandle original = caller.findVirtual(owner, name, type.dropParameterTypes(0, 1));
        MethodHandle check;
        if (owner == Method.class) {
            check = CHECK_METHOD;
        } else if (name.equals("unreflect")) {
            check = MethodHandles.dropArguments(CHECK_METHOD, 0, MethodHandles.Lookup.class);
        } else {
            check = CHECK_LOOKUP;
        }
        return new ConstantCallSite(MethodHandles.foldArguments(original, check).asType(type));
    }

    private static Object raise(String message) {
        throw new RefusedOperationException(message);
    }

    private static void checkMethod(Method method) {
        if (method != null && refused(method.getDeclaringClass(), method.getName())) {
            raise("reflective " + method.getDeclaringClass().getName() + "." + method.getName());
        }
    }

    private static void checkLookup(MethodHandles.Lookup lookup, Class<?> owner, String name) {
        if (refused(owner, name)) {
            raise("looking up " + owner.getName() + "." + name);
        }
    }

    static boolean refused(Class<?> owner, String name) {
        if (owner == null) {
            return false;
        }
        return RefusedCallRewriter.refused(owner.getName().replace('.', '/'), name);
    }
}
