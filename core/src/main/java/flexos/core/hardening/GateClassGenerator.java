package flexos.core.hardening;

import java.lang.classfile.ClassFile;
import java.lang.classfile.TypeKind;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Generates, with the JDK's ClassFile API, a gate class implementing an API interface: each method either
 * throws the {@link GateGuard#refused} error without entering the callee, or checks its segment arguments (if
 * asked) and then calls the target through the interface. An allowed method that checks nothing is a single
 * interface call, which the JIT inlines: {@code cfi} costs nothing on the calls it allows.
 *
 * <p>Classes are defined in a class loader whose parent is the API's own loader, so the generated class sees the
 * API even when it lives in a compartment's class loader, and sees this package through core's loader.
 */
final class GateClassGenerator {

    private static final ClassDesc GUARD = ClassDesc.of(GateGuard.class.getName());
    private static final ClassDesc SEGMENT = ClassDesc.of(MemorySegment.class.getName());
    private static final MethodTypeDesc CHECK = MethodTypeDesc.of(ConstantDescs.CD_void, SEGMENT,
            ConstantDescs.CD_int, ConstantDescs.CD_int);
    private static final MethodTypeDesc REFUSED = MethodTypeDesc.of(ClassDesc.of(RuntimeException.class.getName()),
            ConstantDescs.CD_int);
    private static final AtomicLong SERIAL = new AtomicLong();
    private static final Map<ClassLoader, GateClassLoader> LOADERS = new ConcurrentHashMap<>();
    private static final Map<String, Class<?>> CLASSES = new ConcurrentHashMap<>();

    private GateClassGenerator() {
    }

    /** The methods a gate for {@code api} implements, by name and descriptor, in a stable order. */
    static List<Method> methods(Class<?> api) {
        Map<String, Method> unique = new LinkedHashMap<>();
        List<Method> all = new ArrayList<>(List.of(api.getMethods()));
        all.sort((a, b) -> (a.getName() + descriptor(a)).compareTo(b.getName() + descriptor(b)));
        for (Method m : all) {
            if (!Modifier.isStatic(m.getModifiers()) && m.getDeclaringClass() != Object.class) {
                unique.putIfAbsent(m.getName() + descriptor(m), m);
            }
        }
        return List.copyOf(unique.values());
    }

    /**
     * A gate for {@code api} in front of {@code target}.
     *
     * @param refused       names of the methods to refuse
     * @param checkSegments whether allowed methods check their {@link MemorySegment} arguments first
     */
    static <T> T wrap(Class<T> api, T target, GateGuard guard, Set<String> refused, boolean checkSegments) {
        if (!Modifier.isPublic(api.getModifiers())) {
            throw new IllegalArgumentException("hardening wraps public API interfaces only, and "
                    + api.getName() + " is not public");
        }
        String key = api.getName() + "@" + System.identityHashCode(api.getClassLoader()) + refused + checkSegments;
        Class<?> gate = CLASSES.computeIfAbsent(key, k -> define(api, refused, checkSegments));
        try {
            return api.cast(gate.getConstructor(api, GateGuard.class).newInstance(target, guard));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate the hardened gate for " + api.getName(), e);
        }
    }

    private static Class<?> define(Class<?> api, Set<String> refused, boolean checkSegments) {
        String name = "flexos.hardening.gates." + api.getSimpleName() + "Gate" + SERIAL.incrementAndGet();
        ClassDesc self = ClassDesc.of(name);
        ClassDesc apiDesc = ClassDesc.of(api.getName());
        List<Method> methods = methods(api);
        byte[] bytes = ClassFile.of().build(self, cb -> {
            cb.withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL | ClassFile.ACC_SUPER);
            cb.withInterfaceSymbols(apiDesc);
            cb.withField("target", apiDesc, ClassFile.ACC_PRIVATE | ClassFile.ACC_FINAL);
            cb.withField("guard", GUARD, ClassFile.ACC_PRIVATE | ClassFile.ACC_FINAL);
            cb.withMethodBody(ConstantDescs.INIT_NAME, MethodTypeDesc.of(ConstantDescs.CD_void, apiDesc, GUARD),
                    ClassFile.ACC_PUBLIC, code -> code
                            .aload(0).invokespecial(ConstantDescs.CD_Object, ConstantDescs.INIT_NAME,
                                    ConstantDescs.MTD_void)
                            .aload(0).aload(1).putfield(self, "target", apiDesc)
                            .aload(0).aload(2).putfield(self, "guard", GUARD)
                            .return_());
            for (int index = 0; index < methods.size(); index++) {
                Method method = methods.get(index);
                int methodIndex = index;
                MethodTypeDesc type = MethodTypeDesc.ofDescriptor(descriptor(method));
                cb.withMethodBody(method.getName(), type, ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL, code -> {
                    if (refused.contains(method.getName())) {
                        code.aload(0).getfield(self, "guard", GUARD).loadConstant(methodIndex)
                                .invokevirtual(GUARD, "refused", REFUSED).athrow();
                        return;
                    }
                    Class<?>[] parameters = method.getParameterTypes();
                    if (checkSegments) {
                        int slot = 1;
                        for (int p = 0; p < parameters.length; p++) {
                            if (parameters[p] == MemorySegment.class) {
                                code.aload(0).getfield(self, "guard", GUARD).aload(slot).loadConstant(methodIndex)
                                        .loadConstant(p).invokevirtual(GUARD, "check", CHECK);
                            }
                            slot += TypeKind.from(parameters[p]).slotSize();
                        }
                    }
                    code.aload(0).getfield(self, "target", apiDesc);
                    int slot = 1;
                    for (Class<?> parameter : parameters) {
                        TypeKind kind = TypeKind.from(parameter);
                        code.loadLocal(kind, slot);
                        slot += kind.slotSize();
                    }
                    code.invokeinterface(apiDesc, method.getName(), type);
                    code.return_(TypeKind.from(method.getReturnType()));
                });
            }
        });
        ClassLoader parent = api.getClassLoader() != null ? api.getClassLoader() : ClassLoader.getPlatformClassLoader();
        return LOADERS.computeIfAbsent(parent, GateClassLoader::new).define(name, bytes);
    }

    private static String descriptor(Method method) {
        StringBuilder out = new StringBuilder("(");
        for (Class<?> parameter : method.getParameterTypes()) {
            out.append(parameter.descriptorString());
        }
        return out.append(')').append(method.getReturnType().descriptorString()).toString();
    }

    /** Sees the API through its parent and FlexOS-J's core through core's own loader. */
    private static final class GateClassLoader extends ClassLoader {
        private static final ClassLoader CORE = GateGuard.class.getClassLoader();

        GateClassLoader(ClassLoader parent) {
            super("flexos-hardened-gates", parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("flexos.core.")) {
                return CORE.loadClass(name);
            }
            return super.loadClass(name, resolve);
        }

        Class<?> define(String name, byte[] bytes) {
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}
