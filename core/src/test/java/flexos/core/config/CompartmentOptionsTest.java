package flexos.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.core.mechanism.MechanismOptions;
import flexos.core.mechanism.module.ModuleOptions;
import flexos.core.mechanism.process.CpuPin;
import flexos.core.mechanism.process.GateWait;
import flexos.core.mechanism.process.ProcessOptions;
import flexos.core.mechanism.process.RestartPolicy;
import flexos.core.mechanism.process.SandboxMode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each mechanism reads its own compartment keys; a key its mechanism does not take is an error, not ignored. */
class CompartmentOptionsTest {

    private static CompartmentSpec only(String yaml) throws ConfigException {
        return ConfigParser.parse(yaml, Path.of("options.yaml"), TestVocabulary.FIXTURES).compartments().getFirst();
    }

    @Test
    void withoutTheKeysAModuleCompartmentCopiesAndHasNoTimeout() throws ConfigException {
        CompartmentSpec spec = only("compartments: [{name: main, mechanism: module}]");
        assertEquals(ModuleOptions.DEFAULT, spec.options(ModuleOptions.class));
        assertEquals(Map.of(), spec.options().asKeys(), "defaults are not written back");
    }

    @Test
    void moduleReadsSharingAndTimeout() throws ConfigException {
        CompartmentSpec spec = only("compartments: [{name: main, mechanism: module, sharing: shared, call_timeout: 250ms}]");
        assertEquals(new ModuleOptions(SharingStrategy.SHARED, 250_000_000L), spec.options(ModuleOptions.class));
        assertEquals(Map.of("sharing", "shared", "call_timeout", "250ms"), spec.options().asKeys());
        assertEquals(2_000_000_000L, only("compartments: [{name: main, mechanism: module, call_timeout: 2s}]")
                .options(ModuleOptions.class).callTimeoutNanos());
        assertEquals(1_500_000L, only("compartments: [{name: main, mechanism: module, call_timeout: 1500us}]")
                .options(ModuleOptions.class).callTimeoutNanos());
    }

    @Test
    void processReadsRestartAndWaitToo() throws ConfigException {
        CompartmentSpec spec = only("compartments: [{name: main, mechanism: process, restart: always, wait: block}]");
        assertEquals(new ProcessOptions(SharingStrategy.COPY, 0, RestartPolicy.ALWAYS, GateWait.BLOCK),
                spec.options(ProcessOptions.class));
    }

    @Test
    void processIsSandboxedUnlessToldOtherwise() throws ConfigException {
        assertEquals(SandboxMode.FULL, only("compartments: [{name: main, mechanism: process}]")
                .options(ProcessOptions.class).sandbox());
        ProcessOptions none = only("compartments: [{name: main, mechanism: process, sandbox: none}]")
                .options(ProcessOptions.class);
        assertEquals(SandboxMode.NONE, none.sandbox());
        assertEquals("none", none.asKeys().get("sandbox"));
        assertEquals(1, none.warnings().size());
        ConfigException e = assertThrows(ConfigException.class,
                () -> only("compartments: [{name: main, mechanism: process, sandbox: off}]"));
        assertTrue(e.getMessage().contains("sandbox"), e.getMessage());
        assertTrue(e.fix().contains("full") && e.fix().contains("none"), e.fix());
    }

    @Test
    void processReadsACpuNumberAndRefusesAnythingElse() throws ConfigException {
        assertEquals(CpuPin.NONE, only("compartments: [{name: main, mechanism: process}]")
                .options(ProcessOptions.class).cpu());
        ProcessOptions pinned = only("compartments: [{name: main, mechanism: process, cpu: 1}]")
                .options(ProcessOptions.class);
        assertEquals(1, pinned.cpu());
        assertEquals("1", pinned.asKeys().get("cpu"), "written back as it reads");
        for (String bad : List.of("-1", "1024", "first", "'0'", "[0, 1]")) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> only("compartments: [{name: main, mechanism: process, cpu: " + bad + "}]"), bad);
            assertTrue(e.getMessage().contains("'cpu'"), e.getMessage());
            assertTrue(e.fix().contains("a CPU number from 0 to 1023"), e.fix());
        }
    }

    @Test
    void fcallTakesNoKeysOfItsOwn() throws ConfigException {
        assertSame(MechanismOptions.NONE, only("compartments: [{name: main, mechanism: fcall}]").options());
        ConfigException e = assertThrows(ConfigException.class,
                () -> only("compartments: [{name: main, mechanism: fcall, call_timeout: 1s}]"));
        assertEquals("mechanism 'fcall' of compartment 'main' does not take 'call_timeout'", e.problem());
        assertEquals("remove 'call_timeout' (fcall takes no keys of its own), or use a mechanism that takes it: "
                + "module, mpk, process", e.fix());
        ConfigException restart = assertThrows(ConfigException.class,
                () -> only("compartments: [{name: main, mechanism: module, restart: always}]"));
        assertEquals("remove 'restart' (module takes sharing, call_timeout), or use a mechanism that takes it: "
                + "process", restart.fix());
    }
}
