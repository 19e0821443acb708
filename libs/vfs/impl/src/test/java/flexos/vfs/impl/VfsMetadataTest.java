package flexos.vfs.impl;

import flexos.core.metadata.ApiFunction;
import flexos.core.metadata.CallPolicy;
import flexos.core.metadata.LibraryMetadata;
import flexos.core.metadata.MemoryScope;
import flexos.core.metadata.MetadataParser;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The shipped vfs.meta parses, lists exactly the exported API methods, declares no calls and no access to all memory. */
class VfsMetadataTest {

    @Test
    void metadataMatchesTheLibrary() throws Exception {
        String text;
        try (InputStream in = VfsLibrary.class.getResourceAsStream("/META-INF/flexos/vfs.meta")) {
            assertNotNull(in, "vfs.meta is packaged as META-INF/flexos/vfs.meta");
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        LibraryMetadata meta = MetadataParser.parse("vfs", text, null);
        Set<String> declared = meta.api().stream().map(ApiFunction::name).collect(Collectors.toCollection(TreeSet::new));
        Set<String> exported = new VfsLibrary().exports().stream()
                .flatMap(api -> Arrays.stream(api.getMethods()))
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .map(Method::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(exported, declared);
        assertEquals(new CallPolicy.Only(List.of()), meta.calls());
        assertEquals(Set.of(MemoryScope.OWN, MemoryScope.SHARED), meta.memoryAccess().reads());
        assertEquals(Set.of(MemoryScope.OWN, MemoryScope.SHARED), meta.memoryAccess().writes());
    }
}
