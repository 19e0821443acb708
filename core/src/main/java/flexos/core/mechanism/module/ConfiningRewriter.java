package flexos.core.mechanism.module;

import java.io.InputStream;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassBuilder;
import java.lang.classfile.ClassElement;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Instruction;
import java.lang.classfile.Opcode;
import java.lang.classfile.attribute.NestMembersAttribute;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.ConstantDynamicEntry;
import java.lang.classfile.constantpool.MemberRefEntry;
import java.lang.classfile.constantpool.MethodHandleEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.instruction.ConstantInstruction;
import java.lang.classfile.instruction.FieldInstruction;
import java.lang.classfile.instruction.InvokeDynamicInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.classfile.instruction.NewObjectInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.DirectMethodHandleDesc;
import java.lang.constant.DynamicCallSiteDesc;
import java.lang.constant.DynamicConstantDesc;
import java.lang.constant.MethodTypeDesc;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Confines a {@code module} compartment's class as it is defined (docs/module-mechanism.md, "Confinement"): every
 * member the class refers to (call, field access, method handle constant, {@code invokedynamic} bootstrap and its
 * handle arguments, {@code new}) is judged by the library's {@link Confinement}.
 * <ul>
 *   <li>a refused reference becomes an {@code invokedynamic} with the same stack effect, bound by
 *       {@link ConfinedCalls#refuse} to a handle that throws {@link RefusedOperationException} naming the member and
 *       the reason; the class still loads, so that its other code runs;</li>
 *   <li>a routed reference (file paths, thread starts, system properties) becomes an {@code invokedynamic} bound by
 *       {@link ConfinedCalls#route} to the original member behind a run-time check;</li>
 *   <li>a refused superclass or interface refuses the class itself: {@link #confine} throws
 *       {@link RefusedClassError}.</li>
 * </ul>
 * The call sites the JVM links at their first run, deep in the JDK, are not left to it (but for the few that
 * {@link CallSiteCompanion} names): string concatenation ({@code invokedynamic} to {@code StringConcatFactory}) is
 * compiled to {@code StringBuilder} calls ({@link StringConcatInliner}); lambdas, method references, records'
 * methods, switches and method or var handle calls move to a companion class that the loader links when it defines
 * the class ({@link CallSiteCompanion}, built by {@link #companion}). A class
 * whose references are all allowed straight, that concatenates no strings, has no such call site and is not the nest
 * host of a class that has one, is returned as it was read.
 */
final class ConfiningRewriter {

    private static final ClassDesc CALLS = ClassDesc.of(ConfinedCalls.class.getName());
    private static final DirectMethodHandleDesc REFUSE = ConstantDescs.ofCallsiteBootstrap(CALLS, "refuse",
            ConstantDescs.CD_CallSite, ConstantDescs.CD_String);
    private static final DirectMethodHandleDesc ROUTE = ConstantDescs.ofCallsiteBootstrap(CALLS, "route",
            ConstantDescs.CD_CallSite, ConstantDescs.CD_String, ConstantDescs.CD_Class, ConstantDescs.CD_int);

    /** One refusal in a class: what {@code flexos build} reports. */
    record Refusal(String className, String member, String why, String capability) {
    }

    private final ClassFile classFile;
    private final Confinement confinement;
    private final Function<String, ClassModel> ownClass;

    /**
     * @param classBytes finds the class file of a class of the compartment, for computing stack maps
     * @param ownClass   the class model of a class of the compartment by internal name, or null for any other
     *                   class: a nest host's rewrite asks which of its nest members have call sites that move
     */
    ConfiningRewriter(Confinement confinement, Function<ClassDesc, InputStream> classBytes,
                      Function<String, ClassModel> ownClass) {
        this.confinement = confinement;
        this.ownClass = ownClass;
        this.classFile = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
                ClassHierarchyResolver.defaultResolver().orElse(ClassHierarchyResolver.ofResourceParsing(classBytes))
                        .orElse(ClassHierarchyResolver.ofClassLoading(ClassLoader.getSystemClassLoader()))));
    }

    /**
     * What the class's code refers to that is refused, without rewriting: the supertypes first, then every member
     * reference of the constant pool.
     */
    static List<Refusal> refusals(ClassModel model, Confinement confinement) {
        List<Refusal> refusals = new ArrayList<>();
        String className = Confinement.dotted(model.thisClass().asInternalName());
        for (String supertype : supertypes(model)) {
            confinement.refusedSupertype(supertype).ifPresent(why ->
                    refusals.add(new Refusal(className, Confinement.dotted(supertype), why, null)));
        }
        for (PoolEntry entry : model.constantPool()) {
            if (entry instanceof MemberRefEntry ref
                    && confinement.decide(ref.owner().asInternalName(), ref.name().stringValue())
                    instanceof Confinement.Decision.Refused refused) {
                refusals.add(new Refusal(className, Confinement.dotted(ref.owner().asInternalName()) + "."
                        + ref.name().stringValue(), refused.why(), refused.capability()));
            }
            if (entry instanceof ConstantDynamicEntry condy) {
                refusals.add(new Refusal(className, "dynamic constant " + condy.name().stringValue(),
                        "dynamic constants are not on the module allowlist", null));
            }
        }
        return refusals;
    }

    private static List<String> supertypes(ClassModel model) {
        List<String> names = new ArrayList<>();
        model.superclass().map(ClassEntry::asInternalName).ifPresent(names::add);
        model.interfaces().forEach(i -> names.add(i.asInternalName()));
        return names;
    }

    /**
     * The class, confined.
     *
     * @throws RefusedClassError if it extends or implements a type it may not
     */
    byte[] confine(byte[] bytes) {
        ClassModel model = classFile.parse(bytes);
        String className = Confinement.dotted(model.thisClass().asInternalName());
        for (String supertype : supertypes(model)) {
            var refused = confinement.refusedSupertype(supertype);
            if (refused.isPresent()) {
                throw new RefusedClassError("class " + className + " is refused in a module compartment: "
                        + refused.get());
            }
        }
        List<Instruction> sites = CallSiteCompanion.sites(model);
        List<ClassDesc> companions = nestCompanions(model, !sites.isEmpty());
        boolean rewrite = !sites.isEmpty() || !companions.isEmpty();
        for (PoolEntry entry : model.constantPool()) {
            if (rewrite) {
                break;
            }
            if (entry instanceof MemberRefEntry ref && confinement.decide(ref.owner().asInternalName(),
                    ref.name().stringValue()) != Confinement.DIRECT || entry instanceof ConstantDynamicEntry
                    || StringConcatInliner.isConcatBootstrap(entry)) {
                rewrite = true;
            }
        }
        if (!rewrite) {
            return bytes;
        }
        int[] nextSite = {0};
        ClassTransform nest = companions.isEmpty() ? ClassTransform.ACCEPT_ALL : new ClassTransform() {
            @Override
            public void accept(ClassBuilder builder, ClassElement element) {
                if (!(element instanceof NestMembersAttribute)) {
                    builder.with(element);
                }
            }

            @Override
            public void atEnd(ClassBuilder builder) {
                List<ClassDesc> members = new ArrayList<>();
                model.findAttribute(Attributes.nestMembers()).ifPresent(attribute ->
                        attribute.nestMembers().forEach(member -> members.add(member.asSymbol())));
                members.addAll(companions);
                builder.with(NestMembersAttribute.ofSymbols(members));
            }
        };
        return classFile.transformClass(model, nest.andThen(ClassTransform.transformingMethodBodies((code, element) -> {
            switch (element) {
                case InvokeInstruction invoke -> {
                    if (CallSiteCompanion.moves(model, invoke)) {
                        CallSiteCompanion.call(code, model.thisClass().asSymbol(), nextSite[0]++, invoke);
                    } else if (!rewriteInvoke(code, invoke)) {
                        code.with(element);
                    }
                }
                case FieldInstruction field -> {
                    if (refused(field.field()) instanceof Confinement.Decision.Refused no) {
                        MethodTypeDesc type = switch (field.opcode()) {
                            case GETSTATIC -> MethodTypeDesc.of(field.typeSymbol());
                            case PUTSTATIC -> MethodTypeDesc.of(ConstantDescs.CD_void, field.typeSymbol());
                            case GETFIELD -> MethodTypeDesc.of(field.typeSymbol(), field.owner().asSymbol());
                            default -> MethodTypeDesc.of(ConstantDescs.CD_void, field.owner().asSymbol(),
                                    field.typeSymbol());
                        };
                        refuse(code, field.name().stringValue(), type, no.why());
                    } else {
                        code.with(element);
                    }
                }
                case NewObjectInstruction created -> {
                    if (confinement.decide(created.className().asInternalName(), "<init>")
                            instanceof Confinement.Decision.Refused no) {
                        // Its <init> call is refused too, so the object never exists; the throwing site returns
                        // the type the verifier expects of the initialized object.
                        refuse(code, "new", MethodTypeDesc.of(created.className().asSymbol()), no.why());
                    } else {
                        code.with(element);
                    }
                }
                case InvokeDynamicInstruction indy -> {
                    if (CallSiteCompanion.moves(model, indy)) {
                        // Same order as CallSiteCompanion.sites: the methods in turn, each one's code in turn.
                        CallSiteCompanion.call(code, model.thisClass().asSymbol(), nextSite[0]++, indy);
                    } else if (refusedDynamic(indy) instanceof String why) {
                        refuse(code, indy.name().stringValue(), indy.typeSymbol(), why);
                    } else if (!StringConcatInliner.inline(code, indy)) {
                        code.with(element);
                    }
                }
                case ConstantInstruction.LoadConstantInstruction ldc -> {
                    if (ldc.constantEntry() instanceof MethodHandleEntry handle
                            && refused(handle.reference()) instanceof Confinement.Decision.Refused no) {
                        refuse(code, "handle", MethodTypeDesc.of(ConstantDescs.CD_MethodHandle), no.why());
                    } else if (ldc.constantEntry() instanceof ConstantDynamicEntry condy) {
                        refuse(code, "constant", MethodTypeDesc.of(condy.typeSymbol()),
                                "dynamic constant " + condy.name().stringValue() + " is not on the module allowlist");
                    } else {
                        code.with(element);
                    }
                }
                default -> code.with(element);
            }
        })));
    }

    /**
     * The companions to add to {@code model}'s {@code NestMembers}: none unless it is a nest host (it has no
     * {@code NestHost}); then its own if {@code ownSites}, and that of each nest member with a call site that moves.
     */
    private List<ClassDesc> nestCompanions(ClassModel model, boolean ownSites) {
        List<ClassDesc> companions = new ArrayList<>();
        if (model.findAttribute(Attributes.nestHost()).isPresent()) {
            return companions;
        }
        if (ownSites) {
            companions.add(CallSiteCompanion.of(model.thisClass().asSymbol()));
        }
        model.findAttribute(Attributes.nestMembers()).ifPresent(attribute -> {
            for (ClassEntry member : attribute.nestMembers()) {
                ClassModel memberModel = ownClass.apply(member.asInternalName());
                if (memberModel != null && !CallSiteCompanion.sites(memberModel).isEmpty()) {
                    companions.add(CallSiteCompanion.of(member.asSymbol()));
                }
            }
        });
        return companions;
    }

    /**
     * The companion of the class {@code hostBytes} holds ({@link CallSiteCompanion}): its moved call sites, each
     * confined as {@link #confine} would have confined it in place (a refused one throws when run).
     *
     * @throws IllegalArgumentException if the class has no call site that moves
     */
    byte[] companion(byte[] hostBytes) {
        ClassModel host = classFile.parse(hostBytes);
        return CallSiteCompanion.build(classFile, host, (code, site) -> {
            switch (site) {
                case InvokeDynamicInstruction indy -> {
                    if (refusedDynamic(indy) instanceof String why) {
                        refuse(code, indy.name().stringValue(), indy.typeSymbol(), why);
                    } else {
                        code.invokedynamic(indy.invokedynamic().asSymbol());
                    }
                }
                case InvokeInstruction invoke -> {
                    if (!rewriteInvoke(code, invoke)) {
                        code.with(invoke);
                    }
                }
                default -> throw new IllegalArgumentException(site + " is not a call site");
            }
        });
    }

    private Confinement.Decision refused(MemberRefEntry ref) {
        return confinement.decide(ref.owner().asInternalName(), ref.name().stringValue());
    }

    /** Rewrites a refused or routed call; false when the call stays as it is. */
    private boolean rewriteInvoke(CodeBuilder code, InvokeInstruction invoke) {
        Confinement.Decision decision = refused(invoke.method());
        if (decision == Confinement.DIRECT) {
            return false;
        }
        String name = invoke.name().stringValue();
        MethodTypeDesc type = invoke.typeSymbol();
        if (invoke.opcode() != Opcode.INVOKESTATIC) {
            type = type.insertParameterTypes(0, invoke.owner().asSymbol());
        }
        switch (decision) {
            case Confinement.Decision.Refused no -> refuse(code, name, type, no.why());
            case Confinement.Decision.Allowed routed -> {
                if (invoke.opcode() == Opcode.INVOKESPECIAL) {
                    return false; // a super call of an own class's override: the JDK's own implementation
                }
                int kind = switch (invoke.opcode()) {
                    case INVOKESTATIC -> ConfinedCalls.STATIC;
                    case INVOKEINTERFACE -> ConfinedCalls.INTERFACE;
                    default -> ConfinedCalls.VIRTUAL;
                };
                code.invokedynamic(DynamicCallSiteDesc.of(ROUTE, name, type, routed.route().name(),
                        invoke.owner().asSymbol(), kind));
            }
        }
        return true;
    }

    /** Why an {@code invokedynamic} is refused (its bootstrap or a handle argument), or null. */
    private String refusedDynamic(InvokeDynamicInstruction indy) {
        DirectMethodHandleDesc bootstrap = indy.bootstrapMethod();
        Confinement.Decision decision = confinement.decide(internal(bootstrap.owner()), bootstrap.methodName());
        if (decision instanceof Confinement.Decision.Refused no) {
            return "bootstrap " + no.why();
        }
        for (ConstantDesc arg : indy.bootstrapArgs()) {
            if (arg instanceof DirectMethodHandleDesc handle
                    && confinement.decide(internal(handle.owner()), handle.methodName())
                    instanceof Confinement.Decision.Refused no) {
                return no.why();
            }
            if (arg instanceof DynamicConstantDesc<?> condy) {
                return "dynamic constant " + condy.constantName() + " is not on the module allowlist";
            }
        }
        return null;
    }

    private static String internal(ClassDesc desc) {
        String descriptor = desc.descriptorString();
        return descriptor.startsWith("L") ? descriptor.substring(1, descriptor.length() - 1) : descriptor;
    }

    private static void refuse(CodeBuilder code, String name, MethodTypeDesc type, String why) {
        code.invokedynamic(DynamicCallSiteDesc.of(REFUSE, name.equals("<init>") ? "init" : name, type, why));
    }
}
