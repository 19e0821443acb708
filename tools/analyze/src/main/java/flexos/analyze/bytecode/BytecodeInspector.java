package flexos.analyze.bytecode;

import flexos.core.metadata.FunctionRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.MemberRefEntry;
import java.lang.classfile.constantpool.MethodHandleEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.instruction.FieldInstruction;
import java.lang.classfile.instruction.InvokeDynamicInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.classfile.instruction.ConstantInstruction;
import java.lang.constant.ConstantDesc;
import java.lang.constant.DirectMethodHandleDesc;
import java.lang.reflect.AccessFlag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Reads a library's classes with the JDK's ClassFile API ({@code java.lang.classfile}) and infers its behaviour:
 * the other libraries' API methods it calls (call instructions and method references), its native access and its
 * use of {@code Unsafe}.
 *
 * <p>Native access means a restricted method of {@code java.lang.foreign} ({@code Linker}, {@code SymbolLookup},
 * {@code MemorySegment.reinterpret}, {@code AddressLayout.withTargetLayout}), {@code ModuleLayer.Controller
 * .enableNativeAccess}, {@code System.load}/{@code loadLibrary} or {@code Runtime.load}/{@code loadLibrary}, or a
 * {@code native} method: each lets the library reach memory beyond the objects and segments it is given.
 */
public final class BytecodeInspector {

    private static final Set<String> UNSAFE = Set.of("sun/misc/Unsafe", "jdk/internal/misc/Unsafe");
    private static final Set<String> NATIVE_CLASSES = Set.of("java/lang/foreign/Linker",
            "java/lang/foreign/SymbolLookup", "java/lang/foreign/Linker$Option");
    private static final Map<String, Set<String>> NATIVE_METHODS = Map.of(
            "java/lang/foreign/MemorySegment", Set.of("reinterpret"),
            "java/lang/foreign/AddressLayout", Set.of("withTargetLayout"),
            "java/lang/ModuleLayer$Controller", Set.of("enableNativeAccess"),
            "java/lang/System", Set.of("load", "loadLibrary"),
            "java/lang/Runtime", Set.of("load", "loadLibrary"));

    private final ApiIndex apis;

    public BytecodeInspector(ApiIndex apis) {
        this.apis = apis;
    }

    /**
     * Inspects the classes of {@code library} at {@code location}: a jar or a directory of classes.
     *
     * @throws IOException if the location cannot be read
     */
    public InferredBehaviour inspect(String library, Path location) throws IOException {
        Map<FunctionRef, String> calls = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        List<String> nativeAccess = new ArrayList<>();
        List<String> unsafe = new ArrayList<>();
        for (byte[] bytes : classes(location)) {
            ClassModel model = ClassFile.of().parse(bytes);
            String className = model.thisClass().asInternalName().replace('/', '.');
            if (className.equals("module-info")) {
                continue;
            }
            for (PoolEntry entry : model.constantPool()) {
                if (entry instanceof ClassEntry c && UNSAFE.contains(c.asInternalName())) {
                    addOnce(unsafe, c.asInternalName().replace('/', '.') + " in " + className);
                }
            }
            for (MethodModel method : model.methods()) {
                String where = className + "." + method.methodName().stringValue();
                if (method.flags().has(AccessFlag.NATIVE)) {
                    nativeAccess.add("native method " + where);
                }
                method.code().ifPresent(code -> scan(library, code, where, calls, nativeAccess, unsafe));
            }
        }
        return new InferredBehaviour(library, calls, nativeAccess, unsafe);
    }

    private void scan(String library, CodeModel code, String where, Map<FunctionRef, String> calls,
            List<String> nativeAccess, List<String> unsafe) {
        for (CodeElement element : code) {
            switch (element) {
                case InvokeInstruction invoke -> member(library, invoke.method(), where, calls, nativeAccess, unsafe);
                case FieldInstruction field -> member(library, field.field(), where, calls, nativeAccess, unsafe);
                case InvokeDynamicInstruction indy -> {
                    for (ConstantDesc arg : indy.bootstrapArgs()) {
                        handle(library, arg, where, calls, nativeAccess, unsafe);
                    }
                }
                case ConstantInstruction.LoadConstantInstruction ldc
                        when ldc.constantEntry() instanceof MethodHandleEntry mh ->
                        member(library, mh.reference(), where, calls, nativeAccess, unsafe);
                default -> {
                }
            }
        }
    }

    private void handle(String library, ConstantDesc arg, String where, Map<FunctionRef, String> calls,
            List<String> nativeAccess, List<String> unsafe) {
        if (arg instanceof DirectMethodHandleDesc mh) {
            String owner = mh.owner().descriptorString();
            owner = owner.substring(1, owner.length() - 1);
            record(library, owner, mh.methodName(), where, calls, nativeAccess, unsafe);
        }
    }

    private void member(String library, MemberRefEntry ref, String where, Map<FunctionRef, String> calls,
            List<String> nativeAccess, List<String> unsafe) {
        record(library, ref.owner().asInternalName(), ref.name().stringValue(), where, calls, nativeAccess, unsafe);
    }

    private void record(String library, String owner, String name, String where, Map<FunctionRef, String> calls,
            List<String> nativeAccess, List<String> unsafe) {
        apis.find(owner).ifPresent(api -> {
            if (!api.library().equals(library) && api.methods().contains(name)) {
                calls.putIfAbsent(new FunctionRef(api.library(), name), where);
            }
        });
        String simple = owner.substring(owner.lastIndexOf('/') + 1).replace('$', '.');
        if (NATIVE_CLASSES.contains(owner) || NATIVE_METHODS.getOrDefault(owner, Set.of()).contains(name)) {
            addOnce(nativeAccess, simple + "." + name + " at " + where);
        }
        if (UNSAFE.contains(owner)) {
            addOnce(unsafe, "Unsafe." + name + " at " + where);
        }
    }

    private static void addOnce(List<String> list, String item) {
        if (!list.contains(item)) {
            list.add(item);
        }
    }

    private static List<byte[]> classes(Path location) throws IOException {
        List<byte[]> classes = new ArrayList<>();
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                    classes.add(Files.readAllBytes(file));
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        } else {
            try (JarFile jar = new JarFile(location.toFile())) {
                for (var entry : jar.stream().filter(e -> e.getName().endsWith(".class")).toList()) {
                    try (var in = jar.getInputStream(entry)) {
                        classes.add(in.readAllBytes());
                    }
                }
            }
        }
        return classes;
    }
}
