package flexos.core.mechanism.module;

import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.MethodModel;
import java.lang.classfile.TypeKind;
import java.lang.classfile.attribute.NestHostAttribute;
import java.lang.classfile.Instruction;
import java.lang.classfile.Opcode;
import java.lang.classfile.instruction.InvokeDynamicInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.DirectMethodHandleDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Links a compartment class's call sites that the JVM links at their first run, ahead of it: lambdas and method
 * references ({@code LambdaMetafactory}), records' {@code toString}/{@code equals}/{@code hashCode}
 * ({@code ObjectMethods}), pattern and enum switches ({@code SwitchBootstraps}), and signature-polymorphic calls
 * ({@code MethodHandle.invoke}/{@code invokeExact}, {@code VarHandle} access modes). Why: such a call site is linked
 * the first time it is reached, in the JDK, far below the compartment's frame; a caller that calls with its stack nearly full can make
 * it overflow half way through the callee's update, past what the gates' reserved stack zone covers (the attack
 * {@code overflow-in-lambda}; docs/module-mechanism.md, "Stack overflow").
 *
 * <p>How: each such instruction of class {@code C} moves, unchanged, into a static method {@code siteN} of
 * a companion class {@code C$$FlexosCallSites} that the compartment's loader generates, and {@code C} calls that
 * method instead, with the same stack effect. The companion is a nestmate of {@code C} (its {@code NestHost} is
 * {@code C}'s nest host, whose {@code NestMembers} the rewriter extends), so the moved call sites keep their private
 * access to {@code C}'s lambda bodies and fields. Its initializer runs every site once with zeros and nulls, which
 * links it; the loader initializes the companion right after defining {@code C}, in trusted code, with the stack of
 * the definition. Linking runs no code of the compartment: a lambda is created, not called; a record's method, a
 * switch and a handle are given null. A call site that fails to link then is left to its first use, as before.
 *
 * <p>Not moved: serializable lambdas (their {@code SerializedLambda} names the capturing class, which would be the
 * companion) and classes older than Java 11 (the JVM ignores nest attributes there). Each {@code invokedynamic}
 * instruction is a call site of its own, so moving the instruction moves the one linkage: a non-capturing lambda is
 * still one object per site.
 */
final class CallSiteCompanion {

    /** What the companion's name adds to its host's. */
    static final String SUFFIX = "$$FlexosCallSites";

    private static final int NESTMATES_VERSION = ClassFile.JAVA_11_VERSION;
    private static final int FLAG_SERIALIZABLE = 1; // LambdaMetafactory.FLAG_SERIALIZABLE

    private CallSiteCompanion() {
    }

    /** Whether {@code binaryName} (dotted) names a companion, which the loader generates rather than reads. */
    static boolean isCompanion(String binaryName) {
        return binaryName.endsWith(SUFFIX);
    }

    /** The host class of companion {@code binaryName}, dotted. */
    static String hostOf(String binaryName) {
        return binaryName.substring(0, binaryName.length() - SUFFIX.length());
    }

    /** The companion of {@code host}. */
    static ClassDesc of(ClassDesc host) {
        String descriptor = host.descriptorString();
        return ClassDesc.ofDescriptor(descriptor.substring(0, descriptor.length() - 1) + SUFFIX + ";");
    }

    /** The name of the method holding site {@code index}. */
    static String method(int index) {
        return "site" + index;
    }

    /**
     * Whether {@code instruction} is a call site of {@code host} that moves to the companion: an
     * {@code invokedynamic} of the bootstraps above, or a signature-polymorphic call ({@code MethodHandle.invoke},
     * {@code invokeExact}, a {@code VarHandle} access), which the JVM links at its first run too.
     */
    static boolean moves(ClassModel host, Instruction instruction) {
        if (host.majorVersion() < NESTMATES_VERSION) {
            return false;
        }
        if (instruction instanceof InvokeInstruction invoke) {
            return polymorphic(invoke);
        }
        if (!(instruction instanceof InvokeDynamicInstruction indy)) {
            return false;
        }
        DirectMethodHandleDesc bootstrap = indy.bootstrapMethod();
        String owner = bootstrap.owner().descriptorString();
        String name = bootstrap.methodName();
        return switch (owner) {
            case "Ljava/lang/invoke/LambdaMetafactory;" -> name.equals("metafactory")
                    || name.equals("altMetafactory") && !serializable(indy.bootstrapArgs());
            case "Ljava/lang/runtime/ObjectMethods;" -> name.equals("bootstrap");
            case "Ljava/lang/runtime/SwitchBootstraps;" -> name.equals("typeSwitch") || name.equals("enumSwitch");
            default -> false;
        };
    }

    private static boolean polymorphic(InvokeInstruction invoke) {
        if (invoke.opcode() != Opcode.INVOKEVIRTUAL) {
            return false;
        }
        String name = invoke.name().stringValue();
        return switch (invoke.owner().asInternalName()) {
            case "java/lang/invoke/MethodHandle" -> name.equals("invoke") || name.equals("invokeExact");
            case "java/lang/invoke/VarHandle" -> accessMode(name);
            default -> false;
        };
    }

    private static boolean accessMode(String name) {
        try {
            VarHandle.AccessMode.valueFromMethodName(name);
            return true;
        } catch (IllegalArgumentException notAnAccessMode) {
            return false;
        }
    }

    /** The type of the companion's method for {@code site}: a virtual call's receiver comes first. */
    private static MethodTypeDesc type(Instruction site) {
        return switch (site) {
            case InvokeDynamicInstruction indy -> indy.typeSymbol();
            case InvokeInstruction invoke -> invoke.typeSymbol().insertParameterTypes(0, invoke.owner().asSymbol());
            default -> throw new IllegalArgumentException(site + " is not a call site");
        };
    }

    /** Emits, in the host, the call of the companion's method for the site that {@code site} was. */
    static void call(CodeBuilder code, ClassDesc host, int index, Instruction site) {
        code.invokestatic(of(host), method(index), type(site));
    }

    private static boolean serializable(List<ConstantDesc> args) {
        // altMetafactory(interfaceType, implementation, instantiatedType, flags, ...)
        return args.size() < 4 || !(args.get(3) instanceof Integer flags) || (flags & FLAG_SERIALIZABLE) != 0;
    }

    /** The call sites of {@code host} that move, in the order of its methods and their code. */
    static List<Instruction> sites(ClassModel host) {
        List<Instruction> sites = new ArrayList<>();
        for (MethodModel method : host.methods()) {
            method.code().ifPresent(code -> {
                for (CodeElement element : code) {
                    if (element instanceof Instruction instruction && moves(host, instruction)) {
                        sites.add(instruction);
                    }
                }
            });
        }
        return sites;
    }

    /** The nest host of {@code host}: the class its {@code NestHost} attribute names, or itself. */
    static ClassDesc nestHost(ClassModel host) {
        return host.findAttribute(Attributes.nestHost())
                .map(attribute -> attribute.nestHost().asSymbol())
                .orElse(host.thisClass().asSymbol());
    }

    /**
     * The companion of {@code host}, whose call sites {@code emit} writes (the original instruction, or what the
     * confinement puts in its place), its operands on the stack as they were at the site.
     *
     * @throws IllegalArgumentException if {@code host} has no call site that moves
     */
    static byte[] build(ClassFile classFile, ClassModel host, BiConsumer<CodeBuilder, Instruction> emit) {
        List<Instruction> sites = sites(host);
        if (sites.isEmpty()) {
            throw new IllegalArgumentException(host.thisClass().asInternalName() + " has no call site to link ahead");
        }
        ClassDesc self = of(host.thisClass().asSymbol());
        return classFile.build(self, c -> {
            c.withVersion(host.majorVersion(), 0)
                    .withFlags(ClassFile.ACC_FINAL | ClassFile.ACC_SUPER | ClassFile.ACC_SYNTHETIC)
                    .with(NestHostAttribute.of(nestHost(host)));
            for (int i = 0; i < sites.size(); i++) {
                Instruction site = sites.get(i);
                MethodTypeDesc type = type(site);
                c.withMethodBody(method(i), type, ClassFile.ACC_STATIC | ClassFile.ACC_SYNTHETIC, code -> {
                    int slot = 0;
                    for (ClassDesc parameter : type.parameterList()) {
                        TypeKind kind = TypeKind.from(parameter);
                        code.loadLocal(kind, slot);
                        slot += kind.slotSize();
                    }
                    emit.accept(code, site);
                    code.return_(TypeKind.from(type.returnType()));
                });
            }
            c.withMethodBody(ConstantDescs.CLASS_INIT_NAME, ConstantDescs.MTD_void, ClassFile.ACC_STATIC, code -> {
                for (int i = 0; i < sites.size(); i++) {
                    MethodTypeDesc type = type(sites.get(i));
                    int index = i;
                    // Each site alone: one that fails to link (or throws when given nulls, once linked) must not
                    // keep the others unlinked, nor make this class erroneous.
                    code.trying(t -> {
                        for (ClassDesc parameter : type.parameterList()) {
                            pushZero(t, TypeKind.from(parameter));
                        }
                        t.invokestatic(self, method(index), type);
                        TypeKind result = TypeKind.from(type.returnType());
                        if (result.slotSize() == 2) {
                            t.pop2();
                        } else if (result.slotSize() == 1) {
                            t.pop();
                        }
                    }, k -> k.catchingAll(CodeBuilder::pop));
                }
                code.return_();
            });
        });
    }

    private static void pushZero(CodeBuilder code, TypeKind kind) {
        switch (kind) {
            case LONG -> code.lconst_0();
            case FLOAT -> code.fconst_0();
            case DOUBLE -> code.dconst_0();
            case REFERENCE -> code.aconst_null();
            default -> code.iconst_0();
        }
    }
}
