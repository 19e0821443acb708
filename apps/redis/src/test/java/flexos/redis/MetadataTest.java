package flexos.redis;

import flexos.core.metadata.ApiFunction;
import flexos.core.metadata.CallPolicy;
import flexos.core.metadata.LibraryMetadata;
import flexos.core.metadata.MemoryScope;
import flexos.core.metadata.MetadataParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.instruction.InvokeInstruction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** redis.meta is honest: its [Call] clause is exactly the LibOS API methods the library's bytecode invokes. */
class MetadataTest {

    private static final Map<String, String> API_PACKAGES = Map.of(
            "flexos/alloc/api/", "alloc",
            "flexos/libc/api/", "libc",
            "flexos/sched/api/", "sched",
            "flexos/net/api/", "net",
            "flexos/vfs/api/", "vfs",
            "flexos/lua/api/", "lua");

    @Test
    void declaredCallsAreTheCallsInTheBytecode() throws Exception {
        LibraryMetadata meta = MetadataParser.parse(Path.of("redis.meta"));
        assertEquals("redis", meta.library());
        CallPolicy.Only calls = assertInstanceOf(CallPolicy.Only.class, meta.calls());
        Set<String> declared = calls.functions().stream().map(f -> f.library() + "::" + f.function())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(invokedApiMethods(), declared);
        assertEquals(calls.functions().size(), declared.size(), "no call is declared twice");
        assertEquals(Set.of("run", "requestStop"),
                meta.api().stream().map(ApiFunction::name).collect(Collectors.toSet()));
        // Memory-safe Java: only its own blocks and the segments it is given, never all memory.
        assertEquals(Set.of(MemoryScope.OWN, MemoryScope.SHARED), meta.memoryAccess().reads());
        assertEquals(Set.of(MemoryScope.OWN, MemoryScope.SHARED), meta.memoryAccess().writes());
    }

    private static Set<String> invokedApiMethods() throws IOException {
        Path classes = Path.of(RedisLibrary.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Set<String> invoked = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                ClassModel model = ClassFile.of().parse(file);
                for (MethodModel method : model.methods()) {
                    method.code().ifPresent(code -> code.forEach(element -> {
                        // Calls on API interfaces are gate calls; reading a value record such as HeapStats is not.
                        if (element instanceof InvokeInstruction invoke && invoke.isInterface()) {
                            String owner = invoke.owner().asInternalName();
                            API_PACKAGES.forEach((pkg, library) -> {
                                if (owner.startsWith(pkg)) {
                                    invoked.add(library + "::" + invoke.name().stringValue());
                                }
                            });
                        }
                    }));
                }
            }
        }
        return invoked;
    }
}
