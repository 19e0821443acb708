package flexos.analyze.bytecode;

import flexos.core.component.Library;
import flexos.core.hardening.LibraryBytecode;
import flexos.core.mechanism.module.ConfinementCheck;
import flexos.core.metadata.FunctionRef;
import flexos.core.metadata.HostCapabilities;
import java.io.IOException;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.reflect.AccessFlag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads a library's classes ({@link LibraryBytecode}, the reader {@code cfi} uses too) and infers its behaviour:
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
     * Inspects the code of {@code library} ({@link LibraryBytecode#of}: its package and below).
     *
     * @throws IOException if its classes cannot be read
     */
    public InferredBehaviour inspect(Library library) throws IOException {
        InferredBehaviour code = inspect(library.name(), LibraryBytecode.of(library));
        Map<String, String> hostUses = new TreeMap<>();
        List<String> unconfined = new ArrayList<>();
        for (ConfinementCheck.Refusal refusal : ConfinementCheck.of(library, HostCapabilities.NONE)) {
            String where = refusal.member() + " in " + refusal.className();
            if (refusal.capability() != null) {
                hostUses.putIfAbsent(refusal.capability(), where);
            } else {
                unconfined.add(where + ": " + refusal.why());
            }
        }
        Set<String> reachableCapabilities = new TreeSet<>();
        for (ConfinementCheck.Refusal refusal : ConfinementCheck.reachable(library, HostCapabilities.NONE)) {
            if (refusal.capability() != null) {
                reachableCapabilities.add(refusal.capability());
            }
        }
        return new InferredBehaviour(code.library(), code.calls(), code.nativeAccess(), code.unsafe(), hostUses,
                unconfined, reachableCapabilities);
    }

    /** Infers the behaviour of the library named {@code library} from its {@code code}. */
    public InferredBehaviour inspect(String library, LibraryBytecode code) {
        Map<FunctionRef, String> calls = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        List<String> nativeAccess = new ArrayList<>();
        List<String> unsafe = new ArrayList<>();
        for (ClassModel model : code.classes()) {
            String className = model.thisClass().asInternalName().replace('/', '.');
            for (PoolEntry entry : model.constantPool()) {
                if (entry instanceof ClassEntry c && UNSAFE.contains(c.asInternalName())) {
                    addOnce(unsafe, c.asInternalName().replace('/', '.') + " in " + className);
                }
            }
            for (MethodModel method : model.methods()) {
                if (method.flags().has(AccessFlag.NATIVE)) {
                    nativeAccess.add("native method " + className + "." + method.methodName().stringValue());
                }
            }
        }
        code.forEachReference(ref -> record(library, ref, calls, nativeAccess, unsafe));
        return new InferredBehaviour(library, calls, nativeAccess, unsafe);
    }

    private void record(String library, LibraryBytecode.MemberReference ref, Map<FunctionRef, String> calls,
            List<String> nativeAccess, List<String> unsafe) {
        String owner = ref.owner();
        String name = ref.name();
        apis.find(owner).ifPresent(api -> {
            if (!api.library().equals(library) && api.methods().contains(name)) {
                calls.putIfAbsent(new FunctionRef(api.library(), name), ref.where());
            }
        });
        String simple = owner.substring(owner.lastIndexOf('/') + 1).replace('$', '.');
        if (NATIVE_CLASSES.contains(owner) || NATIVE_METHODS.getOrDefault(owner, Set.of()).contains(name)) {
            addOnce(nativeAccess, simple + "." + name + " at " + ref.where());
        }
        if (UNSAFE.contains(owner)) {
            addOnce(unsafe, "Unsafe." + name + " at " + ref.where());
        }
    }

    private static void addOnce(List<String> list, String item) {
        if (!list.contains(item)) {
            list.add(item);
        }
    }
}
