package flexos.libc.impl;

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

/** The shipped libc.meta parses, lists exactly the exported API methods, and declares no calls. */
class LibcMetadataTest {

    @Test
    void metadataMatchesTheLibrary() throws Exception {
        String text;
        try (InputStream in = LibcLibrary.class.getResourceAsStream("/META-INF/flexos/libc.meta")) {
            assertNotNull(in, "libc.meta is packaged as META-INF/flexos/libc.meta");
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        LibraryMetadata meta = MetadataParser.parse("libc", text, null);
        Set<String> declared = meta.api().stream().map(ApiFunction::name).collect(Collectors.toCollection(TreeSet::new));
        Set<String> exported = new LibcLibrary().exports().stream()
                .flatMap(api -> Arrays.stream(api.getMethods()))
                .map(Method::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(exported, declared);
        assertEquals(new CallPolicy.Only(java.util.List.of()), meta.calls());
    }
}
