package flexos.core.mechanism.process;

import flexos.core.mechanism.BufferWindows;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The abstract methods of one API interface in an order both processes compute alike (by name, then descriptor),
 * so that a call names its method by index; and, per method, a handle that invokes it on a target with an
 * argument array.
 */
final class ApiMethods {

    private static final ClassValue<ApiMethods> OF = new ClassValue<>() {
        @Override
        protected ApiMethods computeValue(Class<?> api) {
            return new ApiMethods(api);
        }
    };

    final Class<?> api;
    final Method[] methods;
    /** Per method: {@code (Object target, Object[] args) Object}. */
    final MethodHandle[] spreaders;
    /** Per method: its parameter types and its return type, against which a call's arguments and a reply are checked. */
    final Class<?>[][] parameterTypes;
    final Class<?>[] returnTypes;
    /** Per method: its {@link flexos.core.mechanism.BufferWindow} parameters, or null. */
    final BufferWindows[] windows;
    private final Map<Method, Integer> index = new HashMap<>();
    /** Numbers the interfaces' methods of this process in turn, so that different methods get different histories. */
    private static final java.util.concurrent.atomic.AtomicInteger METHODS_SEEN = new java.util.concurrent.atomic.AtomicInteger();
    /** Per method: the histories of {@link #replyHistory} and {@link #nextCallHistory}, worked out once. */
    private final int[] replyHistories;
    private final int[] nextCallHistories;

    static ApiMethods of(Class<?> api) {
        return OF.get(api);
    }

    private ApiMethods(Class<?> api) {
        if (!api.isInterface()) {
            throw new IllegalArgumentException(api.getName() + " is not an interface; a process gate implements an API interface");
        }
        this.api = api;
        List<Method> abstracts = new ArrayList<>();
        for (Method m : api.getMethods()) {
            if (Modifier.isAbstract(m.getModifiers())) {
                abstracts.add(m);
            }
        }
        abstracts.sort(Comparator.comparing(Method::getName).thenComparing(ApiMethods::descriptor));
        this.methods = abstracts.toArray(Method[]::new);
        this.spreaders = new MethodHandle[methods.length];
        this.parameterTypes = new Class<?>[methods.length][];
        this.returnTypes = new Class<?>[methods.length];
        this.windows = new BufferWindows[methods.length];
        this.lastSeen = new Method[methods.length];
        int firstMethodNumber = METHODS_SEEN.getAndAdd(methods.length);
        this.replyHistories = new int[methods.length];
        this.nextCallHistories = new int[methods.length];
        for (int i = 0; i < methods.length; i++) {
            replyHistories[i] = 2 + (firstMethodNumber + i) % 15;
            nextCallHistories[i] = 17 + (firstMethodNumber + i) % 15;
        }
        ApiMethods.class.getModule().addReads(api.getModule());
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        for (int i = 0; i < methods.length; i++) {
            index.put(methods[i], i);
            parameterTypes[i] = methods[i].getParameterTypes();
            returnTypes[i] = methods[i].getReturnType();
            windows[i] = BufferWindows.of(methods[i]);
            try {
                spreaders[i] = lookup.unreflect(methods[i]).asSpreader(Object[].class, methods[i].getParameterCount())
                        .asType(MethodType.methodType(Object.class, Object.class, Object[].class));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot call " + api.getName() + "." + methods[i].getName(), e);
            }
        }
    }

    /**
     * The {@link CallSlot#await} history of the wait for method {@code index}'s reply: one of 15 (2 to 16), shared
     * by the methods whose numbers coincide modulo 15, which only blurs their prediction.
     */
    int replyHistory(int index) {
        return replyHistories[index];
    }

    /** The history of a server's wait for the call that follows its reply to method {@code index} (17 to 31). */
    int nextCallHistory(int index) {
        return nextCallHistories[index];
    }

    private static String descriptor(Method m) {
        return MethodType.methodType(m.getReturnType(), m.getParameterTypes()).toMethodDescriptorString();
    }

    /**
     * Per method, the last {@link Method} object a caller looked it up with. A proxy passes the same objects on
     * every call, so comparing identities first spares the hash and the deep {@link Method#equals} of each call.
     * Racy on purpose: an entry is only compared by identity, and a lost update costs one slow lookup.
     */
    private final Method[] lastSeen;

    /** The index of {@code method}, or -1 if it is not one of the interface's abstract methods. */
    int indexOf(Method method) {
        Method[] seen = lastSeen;
        for (int k = 0; k < seen.length; k++) {
            if (seen[k] == method) {
                return k;
            }
        }
        int found = slowIndexOf(method);
        if (found >= 0) {
            seen[found] = method;
        }
        return found;
    }

    private int slowIndexOf(Method method) {
        Integer i = index.get(method);
        if (i != null) {
            return i;
        }
        // A method inherited from a superinterface may be reported through another declaring class.
        for (int k = 0; k < methods.length; k++) {
            if (methods[k].getName().equals(method.getName())
                    && java.util.Arrays.equals(methods[k].getParameterTypes(), method.getParameterTypes())) {
                return k;
            }
        }
        return -1;
    }
}
