package flexos.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

class ImageConfigWriterTest {

    @Test
    void whatItWritesTheParserReadsBack() throws ConfigException {
        String yaml = ImageConfigWriter.empty().withHeader("generated for a test").withImage("explore-redis")
                .withApplication("redis")
                .addCompartment("c1", "fcall", true, "redis, libc")
                .addCompartment("c2", "fcall", false, "")
                .addLibrary("redis", "c1", List.of("asan"))
                .addLibrary("net", "c2", List.of())
                .toYaml();
        assertTrue(yaml.startsWith("# generated for a test\n"), yaml);
        assertTrue(yaml.contains("harden: [asan]"), yaml);
        assertTrue(yaml.contains("# redis, libc"), yaml);
        ImageConfig config = ConfigParser.parse(yaml, Path.of("generated.yaml"), TestVocabulary.FIXTURES);
        assertEquals("explore-redis", config.name());
        assertEquals("redis", config.application());
        assertEquals(List.of("c1", "c2"), config.compartments().stream().map(CompartmentSpec::name).toList());
        assertEquals("c1", config.defaultCompartment().name());
        assertEquals(List.of("asan"), config.placementOf("redis").harden().stream()
                .map(flexos.core.hardening.HardeningOption::configName).toList());
        assertEquals("c2", config.placementOf("net").compartment());
        assertEquals("c1", config.placementOf("sched").compartment());
    }

    @Test
    void namesYamlWouldMisreadAreQuoted() {
        List<String> tricky = List.of("yes", "1.0", "null", "a: b", "#x", "[list]", "~", "0x10", "");
        ImageConfigWriter writer = ImageConfigWriter.empty().addCompartment("main", "fcall", true, "");
        for (String name : tricky) {
            writer = writer.addLibrary("lib" + tricky.indexOf(name), "main", List.of(name));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> read = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(writer.toYaml());
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> libraries = (Map<String, Map<String, Object>>) read.get("libraries");
        for (int i = 0; i < tricky.size(); i++) {
            assertEquals(List.of(tricky.get(i)), libraries.get("lib" + i).get("harden"), writer.toYaml());
        }
    }

    @Test
    void aConfigurationWithoutExactlyOneDefaultIsRefused() {
        assertThrows(IllegalStateException.class, () -> ImageConfigWriter.empty().toYaml());
        assertThrows(IllegalStateException.class, () -> ImageConfigWriter.empty()
                .addCompartment("a", "fcall", false, "").toYaml());
    }
}
