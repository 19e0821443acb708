package flexos.core.mechanism.mpk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Reading a crash report recorded on a pku machine (trimmed to what the reader uses), as plain code: runs on every
 * machine.
 */
class PkeyFaultReportTest {

    private static final CompartmentMap.Contents MAP = new CompartmentMap.Contents(
            List.of(new ProtectedHeap.Tagged("mpk-scenario", "trusted", 1, 0x00007f34eff00000L, 1 << 20),
                    new ProtectedHeap.Tagged("mpk-scenario", "hostile", 2, 0x00007f34efe00000L, 1 << 20)),
            List.of(new CompartmentMap.Placed("mpk-scenario", "hostile", "mpk-intruder",
                            "flexos.core.mechanism.mpk.MpkTestLibraries$IntruderLibrary", ""),
                    new CompartmentMap.Placed("mpk-scenario", "trusted", "mpk-vault",
                            "flexos.core.mechanism.mpk.MpkTestLibraries$VaultLibrary", "")));

    private static String recorded() throws IOException {
        try (InputStream in = PkeyFaultReportTest.class.getResourceAsStream("/flexos/mpk/hs_err-pkey-read.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aRecordedFaultNamesWhoTouchedWhoseHeap() throws IOException {
        PkeyFaultReport fault = PkeyFaultReport.parse(Path.of("hs_err_pid723.log"), recorded(), MAP).orElseThrow();
        assertEquals(723, fault.pid());
        assertEquals(0x00007f34eff00080L, fault.address());
        assertFalse(fault.write(), "ERR=0x25 has no write bit");
        assertEquals(Optional.of("trusted"), fault.heapCompartment());
        assertEquals(List.of("hostile"), fault.toucherCompartments());
        assertEquals("protection-key fault: library mpk-intruder (compartment hostile, in "
                + "flexos.core.mechanism.mpk.MpkTestLibraries$IntruderLibrary$RawAccess.readAt) read address "
                + "0x00007f34eff00080 in the private heap of mpk compartment trusted of image mpk-scenario (protection key 1,"
                + " offset 128), which its thread's rights deny (SIGSEGV, SEGV_PKUERR). The CPU refused the access; the"
                + " JVM cannot resume after such a fault, so the image stopped. Crash report: hs_err_pid723.log",
                fault.explain());
    }

    @Test
    void withoutTheMapTheFaultIsStillReportedByAddress() throws IOException {
        PkeyFaultReport fault = PkeyFaultReport.parse(Path.of("r"), recorded(),
                new CompartmentMap.Contents(List.of(), List.of())).orElseThrow();
        assertTrue(fault.heap().isEmpty());
        assertTrue(fault.explain().contains("code that is no library's (flexos.core.mechanism.mpk.MpkTestLibraries"
                + "$IntruderLibrary$RawAccess.readAt) read address 0x00007f34eff00080 in memory of no mpk heap"),
                fault.explain());
    }

    @Test
    void aWriteIsToldFromTheErrorCode() throws IOException {
        String write = recorded().replace("ERR=0x0000000000000025", "ERR=0x0000000000000027");
        assertTrue(PkeyFaultReport.parse(Path.of("r"), write, MAP).orElseThrow().write());
    }

    @Test
    void anotherCrashIsNoProtectionKeyFault() throws IOException {
        String nullAccess = recorded().replace("si_code: 4 (unknown)", "si_code: 1 (SEGV_MAPERR)");
        assertTrue(PkeyFaultReport.parse(Path.of("r"), nullAccess, MAP).isEmpty());
        assertTrue(PkeyFaultReport.parse(Path.of("r"), "no report at all", MAP).isEmpty());
        assertTrue(PkeyFaultReport.read(Path.of("/nonexistent/hs_err.log")).isEmpty());
    }

    @Test
    void aLibraryWithAnInstancePerCompartmentIsNamedWithEachOfItsCompartments() throws IOException {
        CompartmentMap.Contents perCompartment = new CompartmentMap.Contents(MAP.heaps(), List.of(
                new CompartmentMap.Placed("i", "a", "mpk-intruder", "x.Other", "flexos.alloc"),
                new CompartmentMap.Placed("i", "b", "mpk-intruder", "x.Other", "flexos.alloc")));
        String inModule = recorded().replace("RawAccess.readAt(J)J+16", "RawAccess.readAt(J)J+16 flexos.alloc@0.1");
        PkeyFaultReport fault = PkeyFaultReport.parse(Path.of("r"), inModule, perCompartment).orElseThrow();
        assertEquals(List.of("a", "b"), fault.toucherCompartments());
        assertTrue(fault.explain().contains("library mpk-intruder (an instance in one of compartments a, b"),
                fault.explain());
    }
}
