package flexos.core.mechanism.module;

import java.lang.classfile.Annotation;
import java.lang.classfile.ClassFile;
import java.lang.classfile.attribute.RuntimeVisibleAnnotationsAttribute;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import flexos.core.mechanism.BufferWindow;
import flexos.core.mechanism.BufferWindows;
import java.lang.classfile.TypeKind;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The generated gate class of one API interface for the {@code module} mechanism, and how each of its methods
 * marshals its arguments (SPEC §5).
 *
 * <p>The class is a hidden class implementing the API. A method whose parameters and result are all primitives or
 * immutable values ({@link Kind#VALUE}) is compiled to a direct interface call on the target inside a catch-all
 * handler that hands whatever escapes to {@link GateRuntime#fault}: the JIT inlines it like the call it wraps,
 * which is what keeps a small call within a few nanoseconds of a direct one. A method that passes segments,
 * arrays or callbacks, and every method of a <em>timed</em> gate, boxes its arguments into
 * {@link GateRuntime#invoke}, which copies, wraps and, for a timed gate, runs the call on the compartment's worker.
 */
final class GateType {

    /** How a value of one parameter or result type crosses a gate. */
    enum Kind {
        /** Primitives and immutable values (strings, boxes, enums, records of values): passed as they are. */
        VALUE,
        /** A {@link MemorySegment}: copied, or passed as it is when the strategy shares it. */
        SEGMENT,
        /** An array of primitives: copied in, and copied back after the call. */
        ARRAY,
        /** An interface: the object is code of the other side, so it is wrapped in a gate of its own. */
        CALLBACK
    }

    /** The marshalling of one method. */
    /**
     * How one method crosses: its parameters' and result's kinds, and its {@link BufferWindow} parameters (null if
     * none), whose windows alone are copied.
     */
    record Plan(Method method, Kind[] parameters, Kind result, BufferWindows windows) {
        boolean direct() {
            for (Kind kind : parameters) {
                if (kind != Kind.VALUE) {
                    return false;
                }
            }
            return result == Kind.VALUE;
        }
    }

    private static final ClassDesc RUNTIME = ClassDesc.of(GateRuntime.class.getName());
    private static final ClassValue<GateType> FAST = new ClassValue<>() {
        @Override
        protected GateType computeValue(Class<?> api) {
            return new GateType(api, false);
        }
    };
    private static final ClassValue<GateType> TIMED = new ClassValue<>() {
        @Override
        protected GateType computeValue(Class<?> api) {
            return new GateType(api, true);
        }
    };
    private static final ClassValue<GateType> BOUNDED = new ClassValue<>() {
        @Override
        protected GateType computeValue(Class<?> api) {
            return new GateType(api, false, true);
        }
    };

    final Class<?> api;
    final Plan[] plans;
    /** Per method: {@code (Object target, Object[] args) Object}. */
    final MethodHandle[] spreaders;
    private final MethodHandle constructor;
    private final MethodHandle targetSetter;

    /**
     * The gate type of {@code api}; timed gates route every call through {@link GateRuntime#invoke}; bounded ones
     * cross their runtime's {@link CallBoundary} around the direct call too.
     */
    static GateType of(Class<?> api, boolean timed, boolean bounded) {
        return (timed ? TIMED : bounded ? BOUNDED : FAST).get(api);
    }

    private GateType(Class<?> api, boolean timed) {
        this(api, timed, false);
    }

    private GateType(Class<?> api, boolean timed, boolean bounded) {
        if (!api.isInterface()) {
            throw new IllegalArgumentException(api.getName() + " is not an interface; a gate implements an API interface");
        }
        this.api = api;
        List<Method> methods = methodsOf(api);
        this.plans = new Plan[methods.size()];
        this.spreaders = new MethodHandle[methods.size()];
        GateType.class.getModule().addReads(api.getModule());
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        try {
            for (int i = 0; i < plans.length; i++) {
                Method m = methods.get(i);
                Kind[] parameters = new Kind[m.getParameterCount()];
                for (int p = 0; p < parameters.length; p++) {
                    parameters[p] = kindOf(m.getParameterTypes()[p], m);
                }
                plans[i] = new Plan(m, parameters, m.getReturnType() == void.class ? Kind.VALUE : kindOf(m.getReturnType(), m),
                        BufferWindows.of(m));
                spreaders[i] = lookup.unreflect(m).asSpreader(Object[].class, parameters.length)
                        .asType(MethodType.methodType(Object.class, Object.class, Object[].class));
            }
            byte[] bytes = generate(timed, bounded);
            MethodHandles.Lookup hidden = lookup.defineHiddenClass(bytes, true);
            Class<?> gate = hidden.lookupClass();
            constructor = hidden.findConstructor(gate, MethodType.methodType(void.class, api, GateRuntime.class))
                    .asType(MethodType.methodType(Object.class, Object.class, GateRuntime.class));
            targetSetter = hidden.findSetter(gate, "target", api)
                    .asType(MethodType.methodType(void.class, Object.class, Object.class));
            // Link the setter now: it is used when a compartment has exhausted the heap, when linking would fail.
            clearTarget(newGate(null, null));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot generate the module gate of " + api.getName() + ": " + e, e);
        }
    }

    /** A new gate of this type in front of {@code target}. */
    Object newGate(Object target, GateRuntime runtime) {
        try {
            return constructor.invokeExact(target, runtime);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot instantiate the module gate of " + api.getName(), e);
        }
    }

    /** Drops the gate's reference to its target: later calls fault, and the target can be collected. */
    void clearTarget(Object gate) {
        try {
            targetSetter.invokeExact(gate, (Object) null);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Method> methodsOf(Class<?> api) {
        Map<String, Method> bySignature = new LinkedHashMap<>();
        for (Method m : api.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            String signature = m.getName() + MethodType.methodType(m.getReturnType(), m.getParameterTypes()).toMethodDescriptorString();
            bySignature.putIfAbsent(signature, m);
        }
        return new ArrayList<>(bySignature.values());
    }

    private static final Set<Class<?>> VALUE_CLASSES = Set.of(String.class, Boolean.class, Character.class,
            Byte.class, Short.class, Integer.class, Long.class, Float.class, Double.class, Class.class);

    static Kind kindOf(Class<?> type, Method where) {
        if (type.isPrimitive() || VALUE_CLASSES.contains(type) || type.isEnum()) {
            return Kind.VALUE;
        }
        if (type == MemorySegment.class) {
            return Kind.SEGMENT;
        }
        if (type.isArray() && type.getComponentType().isPrimitive()) {
            return Kind.ARRAY;
        }
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                if (kindOf(component.getType(), where) != Kind.VALUE) {
                    throw unsupported(type, where);
                }
            }
            return Kind.VALUE;
        }
        if (type.isInterface()) {
            return Kind.CALLBACK;
        }
        throw unsupported(type, where);
    }

    private static IllegalArgumentException unsupported(Class<?> type, Method where) {
        return new IllegalArgumentException("the module gate cannot pass a " + type.getName() + " (in "
                + where.getDeclaringClass().getSimpleName() + "." + where.getName() + "): an API may pass primitives,"
                + " strings, enums, records of those, MemorySegments, primitive arrays and interfaces");
    }

    /**
     * Every gate method is marked {@code @jdk.internal.vm.annotation.ReservedStackAccess} (JEP 270): when the stack
     * runs out below a gate, the JVM lends the thread its reserved stack zone so that the callee's code finishes,
     * and throws the {@code StackOverflowError} in the caller once the gate has returned. So a caller that calls
     * with its stack nearly full cannot make the overflow strike half way through the callee. The JVM honours the
     * mark outside the JDK only with {@code -XX:-RestrictReservedStack}, which {@code ./flexos} sets together with
     * a zone of 10 pages ({@code -XX:StackReservedPages=10}, near the JVM's limit of 11); a callee that needs more than the
     * zone still overflows inside, and its compartment is stopped (docs/module-mechanism.md).
     */
    private static final RuntimeVisibleAnnotationsAttribute RESERVED_STACK = RuntimeVisibleAnnotationsAttribute.of(
            Annotation.of(ClassDesc.of("jdk.internal.vm.annotation.ReservedStackAccess")));

    private byte[] generate(boolean timed, boolean bounded) {
        ClassDesc self = ClassDesc.of(GateType.class.getPackageName(), "ModuleGate$" + api.getSimpleName());
        ClassDesc apiDesc = desc(api);
        return ClassFile.of().build(self, cls -> {
            cls.withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL | ClassFile.ACC_SUPER);
            cls.withInterfaceSymbols(apiDesc);
            // Not final: a failed compartment's gates drop their target so that its objects can be collected.
            cls.withField("target", apiDesc, ClassFile.ACC_PRIVATE);
            cls.withField("runtime", RUNTIME, ClassFile.ACC_PRIVATE | ClassFile.ACC_FINAL);
            cls.withMethodBody("<init>", MethodTypeDesc.of(ConstantDescs.CD_void, apiDesc, RUNTIME),
                    ClassFile.ACC_PUBLIC, code -> code
                            .aload(0).invokespecial(ConstantDescs.CD_Object, "<init>", ConstantDescs.MTD_void)
                            .aload(0).aload(1).putfield(self, "target", apiDesc)
                            .aload(0).aload(2).putfield(self, "runtime", RUNTIME)
                            .return_());
            for (int i = 0; i < plans.length; i++) {
                Plan plan = plans[i];
                Method m = plan.method();
                MethodTypeDesc type = methodDesc(m);
                int index = i;
                cls.withMethod(m.getName(), type, ClassFile.ACC_PUBLIC, method -> method
                        .with(RESERVED_STACK)
                        .withCode(code -> {
                            if (!timed && plan.direct()) {
                                direct(code, self, apiDesc, m, type, bounded);
                            } else {
                                boxed(code, self, apiDesc, m, index);
                            }
                        }));
            }
        });
    }

    /**
     * {@code return target.m(args)} inside a catch-all handing what escapes to {@link GateRuntime#fault}; when
     * {@code bounded}, {@code int entered = runtime.enter()} before and {@code runtime.leave(entered)} after, on
     * both paths.
     */
    private static void direct(CodeBuilder code, ClassDesc self, ClassDesc apiDesc, Method m, MethodTypeDesc type,
                               boolean bounded) {
        Label start = code.newLabel();
        Label end = code.newLabel();
        Label handler = code.newLabel();
        int slot = 1;
        for (Class<?> p : m.getParameterTypes()) {
            slot += TypeKind.from(desc(p)).slotSize();
        }
        int entered = slot;
        TypeKind result = TypeKind.from(desc(m.getReturnType()));
        // Outside the catch-all: a refusal reaches the caller as it is, and nothing behind the gate has run.
        code.aload(0).getfield(self, "runtime", RUNTIME)
                .invokevirtual(RUNTIME, "checkHeadroom", MethodTypeDesc.of(ConstantDescs.CD_void));
        if (bounded) {
            code.aload(0).getfield(self, "runtime", RUNTIME)
                    .invokevirtual(RUNTIME, "enter", MethodTypeDesc.of(ConstantDescs.CD_int)).istore(entered);
            slot++;
        }
        code.labelBinding(start);
        code.aload(0).getfield(self, "target", apiDesc);
        int parameter = 1;
        for (Class<?> p : m.getParameterTypes()) {
            TypeKind kind = TypeKind.from(desc(p));
            code.loadLocal(kind, parameter);
            parameter += kind.slotSize();
        }
        code.invokeinterface(apiDesc, m.getName(), type);
        code.labelBinding(end);
        if (bounded) {
            if (result != TypeKind.VOID) {
                code.storeLocal(result, slot);
            }
            leave(code, self, entered);
            if (result != TypeKind.VOID) {
                code.loadLocal(result, slot);
            }
            slot += result.slotSize();
        }
        code.return_(result);
        code.labelBinding(handler);
        code.astore(slot);
        if (bounded) {
            leave(code, self, entered);
        }
        code.aload(0).getfield(self, "runtime", RUNTIME).aload(slot)
                .invokevirtual(RUNTIME, "fault", MethodTypeDesc.of(ConstantDescs.CD_Throwable, ConstantDescs.CD_Throwable))
                .athrow();
        code.exceptionCatchAll(start, end, handler);
    }

    private static void leave(CodeBuilder code, ClassDesc self, int entered) {
        code.aload(0).getfield(self, "runtime", RUNTIME).iload(entered)
                .invokevirtual(RUNTIME, "leave", MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_int));
    }

    private static void boxed(CodeBuilder code, ClassDesc self, ClassDesc apiDesc, Method m, int index) {
        code.aload(0).getfield(self, "runtime", RUNTIME);
        code.loadConstant(index);
        code.aload(0).getfield(self, "target", apiDesc);
        Class<?>[] parameters = m.getParameterTypes();
        code.loadConstant(parameters.length).anewarray(ConstantDescs.CD_Object);
        int slot = 1;
        for (int p = 0; p < parameters.length; p++) {
            ClassDesc pd = desc(parameters[p]);
            TypeKind kind = TypeKind.from(pd);
            code.dup().loadConstant(p).loadLocal(kind, slot);
            if (parameters[p].isPrimitive()) {
                ClassDesc box = desc(MethodType.methodType(parameters[p]).wrap().returnType());
                code.invokestatic(box, "valueOf", MethodTypeDesc.of(box, pd));
            }
            code.aastore();
            slot += kind.slotSize();
        }
        code.invokevirtual(RUNTIME, "invoke", MethodTypeDesc.of(ConstantDescs.CD_Object, ConstantDescs.CD_int,
                ConstantDescs.CD_Object, ConstantDescs.CD_Object.arrayType()));
        Class<?> result = m.getReturnType();
        if (result == void.class) {
            code.pop().return_();
        } else if (result.isPrimitive()) {
            ClassDesc box = desc(MethodType.methodType(result).wrap().returnType());
            code.checkcast(box).invokevirtual(box, result.getName() + "Value", MethodTypeDesc.of(desc(result)));
            code.return_(TypeKind.from(desc(result)));
        } else {
            code.checkcast(desc(result)).areturn();
        }
    }

    private static MethodTypeDesc methodDesc(Method m) {
        return MethodType.methodType(m.getReturnType(), m.getParameterTypes()).describeConstable().orElseThrow();
    }

    private static ClassDesc desc(Class<?> type) {
        return type.describeConstable().orElseThrow();
    }
}
