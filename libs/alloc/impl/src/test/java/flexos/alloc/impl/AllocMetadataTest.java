package flexos.alloc.impl;

import flexos.core.metadata.ApiFunction;
import flexos.core.metadata.CallPolicy;
import flexos.core.metadata.LibraryMetadata;
import flexos.core.metadata.MetadataParser;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The shipped alloc.meta parses, lists exactly the exported API methods, and declares no calls. */
class AllocMetadataTest {

    @Test
    void metadataMatchesTheLibrary() throws Exception {
        String text;
        try (InputStream in = AllocLibrary.class.getResourceAsStream("/META-INF/flexos/alloc.meta")) {
            assertNotNull(in, "alloc.meta is packaged as META-INF/flexos/alloc.meta");
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        LibraryMetadata meta = MetadataParser.parse("alloc", text, null);
        Set<String> declared = meta.api().stream().map(ApiFunction::name).collect(Collectors.toCollection(TreeSet::new));
        Set<String> exported = new AllocLibrary().exports().stream()
                .flatMap(api -> Arrays.stream(api.getMethods()))
                .map(Method::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(exported, declared);
        assertEquals(new CallPolicy.Only(java.util.List.of()), meta.calls());
    }
}
