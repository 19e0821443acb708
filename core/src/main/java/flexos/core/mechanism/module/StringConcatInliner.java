package flexos.core.mechanism.module;

import java.lang.classfile.CodeBuilder;
import java.lang.classfile.TypeKind;
import java.lang.classfile.constantpool.MethodHandleEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.instruction.InvokeDynamicInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.DirectMethodHandleDesc;
import java.lang.constant.MethodTypeDesc;
import java.util.List;

/**
 * Compiles a string concatenation call site ({@code invokedynamic} bootstrapped by
 * {@code StringConcatFactory.makeConcat} or {@code makeConcatWithConstants}, what javac emits for {@code +} on
 * strings) to the {@code StringBuilder} calls javac emitted before JDK 9: the arguments are stored in fresh locals,
 * then appended in the recipe's order, so each is turned into a string once, from left to right, as the factory
 * does. Why: the bootstrap of such a call site runs at its first use, in the JDK, deep below the compartment's
 * frame; a caller that calls a compartment with its stack nearly full could make it overflow half way through the
 * callee's update, past what the gates' reserved stack zone covers (docs/module-mechanism.md, "Stack overflow").
 * A call site whose recipe constants are not strings or numbers is left as it is.
 */
final class StringConcatInliner {

    private static final String FACTORY = "java/lang/invoke/StringConcatFactory";
    private static final ClassDesc BUILDER = ClassDesc.of("java.lang.StringBuilder");
    private static final char ARGUMENT = '\u0001';
    private static final char CONSTANT = '\u0002';

    private StringConcatInliner() {
    }

    /** Whether a constant pool entry is a handle to a concatenation bootstrap (the class needs rewriting). */
    static boolean isConcatBootstrap(PoolEntry entry) {
        return entry instanceof MethodHandleEntry handle
                && handle.reference().owner().asInternalName().equals(FACTORY);
    }

    /**
     * Emits the concatenation of {@code indy} as {@code StringBuilder} calls into {@code code}.
     *
     * @return false, having emitted nothing, when {@code indy} is not a concatenation this class compiles
     */
    static boolean inline(CodeBuilder code, InvokeDynamicInstruction indy) {
        DirectMethodHandleDesc bootstrap = indy.bootstrapMethod();
        if (!internalName(bootstrap.owner()).equals(FACTORY)) {
            return false;
        }
        MethodTypeDesc type = indy.typeSymbol();
        if (!type.returnType().equals(ConstantDescs.CD_String)) {
            return false;
        }
        String recipe;
        List<ConstantDesc> constants;
        List<ConstantDesc> args = indy.bootstrapArgs();
        switch (bootstrap.methodName()) {
            case "makeConcat" -> {
                recipe = String.valueOf(ARGUMENT).repeat(type.parameterCount());
                constants = List.of();
            }
            case "makeConcatWithConstants" -> {
                if (args.isEmpty() || !(args.getFirst() instanceof String r)) {
                    return false;
                }
                recipe = r;
                constants = args.subList(1, args.size());
            }
            default -> {
                return false;
            }
        }
        if (!fits(recipe, type.parameterCount(), constants)) {
            return false;
        }
        int[] slots = new int[type.parameterCount()];
        for (int i = slots.length - 1; i >= 0; i--) {
            TypeKind kind = TypeKind.from(type.parameterType(i));
            slots[i] = code.allocateLocal(kind);
            code.storeLocal(kind, slots[i]);
        }
        code.new_(BUILDER).dup().invokespecial(BUILDER, "<init>", ConstantDescs.MTD_void);
        StringBuilder text = new StringBuilder();
        int argument = 0;
        int constant = 0;
        for (int i = 0; i < recipe.length(); i++) {
            char c = recipe.charAt(i);
            if (c == ARGUMENT) {
                appendText(code, text);
                ClassDesc parameter = type.parameterType(argument);
                code.loadLocal(TypeKind.from(parameter), slots[argument]);
                code.invokevirtual(BUILDER, "append", MethodTypeDesc.of(BUILDER, appendType(parameter)));
                argument++;
            } else if (c == CONSTANT) {
                text.append(constants.get(constant++));
            } else {
                text.append(c);
            }
        }
        appendText(code, text);
        code.invokevirtual(BUILDER, "toString", MethodTypeDesc.of(ConstantDescs.CD_String));
        return true;
    }

    /** Whether the recipe names exactly the arguments and constants given, and every constant prints as a literal. */
    private static boolean fits(String recipe, int parameters, List<ConstantDesc> constants) {
        int arguments = 0;
        int constantsUsed = 0;
        for (int i = 0; i < recipe.length(); i++) {
            if (recipe.charAt(i) == ARGUMENT) {
                arguments++;
            } else if (recipe.charAt(i) == CONSTANT) {
                constantsUsed++;
            }
        }
        if (arguments != parameters || constantsUsed != constants.size()) {
            return false;
        }
        for (ConstantDesc c : constants) {
            // The factory turns a constant into a string with String.valueOf at bootstrap; for these that is their
            // literal, so it can be folded now. Others (classes, method types) are left to the factory.
            if (!(c instanceof String || c instanceof Integer || c instanceof Long || c instanceof Float
                    || c instanceof Double)) {
                return false;
            }
        }
        return true;
    }

    private static void appendText(CodeBuilder code, StringBuilder text) {
        if (!text.isEmpty()) {
            code.ldc(text.toString());
            code.invokevirtual(BUILDER, "append", MethodTypeDesc.of(BUILDER, ConstantDescs.CD_String));
            text.setLength(0);
        }
    }

    /** The {@code StringBuilder.append} overload that prints a value of {@code type} as the factory does. */
    private static ClassDesc appendType(ClassDesc type) {
        if (type.isPrimitive()) {
            return switch (type.descriptorString()) {
                case "Z" -> ConstantDescs.CD_boolean;
                case "C" -> ConstantDescs.CD_char;
                case "J" -> ConstantDescs.CD_long;
                case "F" -> ConstantDescs.CD_float;
                case "D" -> ConstantDescs.CD_double;
                default -> ConstantDescs.CD_int; // byte, short, int
            };
        }
        return type.equals(ConstantDescs.CD_String) ? ConstantDescs.CD_String : ConstantDescs.CD_Object;
    }

    private static String internalName(ClassDesc desc) {
        String descriptor = desc.descriptorString();
        return descriptor.startsWith("L") ? descriptor.substring(1, descriptor.length() - 1) : descriptor;
    }
}
