package flexos.core.mechanism.module;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.Opcode;
import java.lang.classfile.constantpool.MemberRefEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.DirectMethodHandleDesc;
import java.lang.constant.DynamicCallSiteDesc;
import java.lang.constant.MethodTypeDesc;
import java.io.InputStream;
import java.util.Set;
import java.util.function.Function;

/**
 * Rewrites a {@code module} compartment's classes as they load, so that what the JVM alone cannot refuse per
 * module is refused at the call site (JDK 25 has no SecurityManager, and {@code --sun-misc-unsafe-memory-access}
 * is one switch for the whole JVM):
 * <ul>
 *   <li>{@code System.exit}, {@code Runtime.exit}, {@code Runtime.halt} and every method of {@code sun.misc.Unsafe}
 *       become {@code invokedynamic} sites bound by {@link RefusedCalls#refuse}, which throw
 *       {@link RefusedOperationException};</li>
 *   <li>{@code Method.invoke} and {@code MethodHandles.Lookup.findStatic/findVirtual/findSpecial/unreflect} become
 *       sites bound by {@link RefusedCalls#checked}, which refuse the same operations reached reflectively.</li>
 * </ul>
 * The stack effect of each rewritten instruction is unchanged. Classes that mention none of these are returned as
 * they are.
 */
final class RefusedCallRewriter {

    private static final ClassDesc CALLS = ClassDesc.of(RefusedCalls.class.getName());
    private static final DirectMethodHandleDesc REFUSE = ConstantDescs.ofCallsiteBootstrap(CALLS, "refuse",
            ConstantDescs.CD_CallSite, ConstantDescs.CD_String);
    private static final DirectMethodHandleDesc CHECKED = ConstantDescs.ofCallsiteBootstrap(CALLS, "checked",
            ConstantDescs.CD_CallSite, ConstantDescs.CD_Class);
    private static final Set<String> CHECKED_LOOKUPS = Set.of("findStatic", "findVirtual", "findSpecial", "unreflect");

    private final ClassFile classFile;

    /** @param classBytes finds the class file of a class of the compartment, for computing stack maps */
    RefusedCallRewriter(Function<ClassDesc, InputStream> classBytes) {
        this.classFile = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
                ClassHierarchyResolver.defaultResolver().orElse(ClassHierarchyResolver.ofResourceParsing(classBytes))
                        .orElse(ClassHierarchyResolver.ofClassLoading(ClassLoader.getSystemClassLoader()))));
    }

    /** Whether {@code owner.name} (owner in internal form) is an operation refused to compartments. */
    static boolean refused(String owner, String name) {
        return switch (owner) {
            case "java/lang/System" -> name.equals("exit");
            case "java/lang/Runtime" -> name.equals("exit") || name.equals("halt");
            case "sun/misc/Unsafe" -> true;
            default -> false;
        };
    }

    private static boolean checked(String owner, String name) {
        return owner.equals("java/lang/reflect/Method") && name.equals("invoke")
                || owner.equals("java/lang/invoke/MethodHandles$Lookup") && CHECKED_LOOKUPS.contains(name);
    }

    byte[] rewrite(byte[] bytes) {
        ClassModel model = classFile.parse(bytes);
        boolean mentions = false;
        for (PoolEntry entry : model.constantPool()) {
            if (entry instanceof MemberRefEntry ref) {
                String owner = ref.owner().asInternalName();
                String name = ref.name().stringValue();
                if (refused(owner, name) || checked(owner, name)) {
                    mentions = true;
                    break;
                }
            }
        }
        if (!mentions) {
            return bytes;
        }
        return classFile.transformClass(model, ClassTransform.transformingMethodBodies((code, element) -> {
            if (element instanceof InvokeInstruction invoke && invoke.opcode() != Opcode.INVOKESPECIAL) {
                String owner = invoke.owner().asInternalName();
                String name = invoke.name().stringValue();
                MethodTypeDesc type = invoke.typeSymbol();
                if (invoke.opcode() != Opcode.INVOKESTATIC) {
                    type = type.insertParameterTypes(0, invoke.owner().asSymbol());
                }
                if (refused(owner, name)) {
                    code.invokedynamic(DynamicCallSiteDesc.of(REFUSE, name, type,
                            owner.replace('/', '.') + "." + name));
                    return;
                }
                if (checked(owner, name)) {
                    code.invokedynamic(DynamicCallSiteDesc.of(CHECKED, name, type, invoke.owner().asSymbol()));
                    return;
                }
            }
            code.with(element);
        }));
    }
}
