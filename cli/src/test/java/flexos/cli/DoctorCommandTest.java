package flexos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.core.mechanism.Mechanism;
import flexos.core.mechanism.Mechanisms;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flexos doctor}: what this machine can run, and what a crash report says. */
class DoctorCommandTest {

    @Test
    void listsEveryMechanismWithWhatThisMachineSaysOfIt() {
        CommandLineHarness doctor = CommandLineHarness.run("doctor");
        assertEquals(0, doctor.exitCode(), doctor.err());
        assertTrue(doctor.out().startsWith("machine: "), doctor.out());
        for (Mechanism mechanism : Mechanisms.builtIn().all()) {
            Mechanism.Availability here = mechanism.availability();
            String line = doctor.out().lines().filter(l -> l.startsWith(mechanism.name() + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError(mechanism.name() + " missing from:\n" + doctor.out()));
            assertTrue(line.contains(here.available() ? " available" : " unavailable: " + here.reason()), line);
        }
        Mechanism.Availability mpk = Mechanisms.builtIn().named("mpk").availability();
        assertTrue(mpk.available() ? mpk.reason().contains("pku and ospke")
                : mpk.reason().startsWith("this CPU has no memory protection keys (pku)")
                        || mpk.reason().contains("did not enable them"), mpk.reason());
    }

    @Test
    void anMpkImageBuildsWhereTheCpuHasKeysAndIsRefusedWithStatusOneElsewhere(@TempDir Path out) {
        CommandLineHarness build = CommandLineHarness.run("build", "../examples/redis-mpk-netsplit.yaml",
                "-o", out.toString());
        Mechanism.Availability mpk = Mechanisms.builtIn().named("mpk").availability();
        if (mpk.available()) {
            assertEquals(0, build.exitCode(), build.err());
            assertTrue(build.out().contains("via mpk"), build.out());
        } else {
            assertEquals(1, build.exitCode(), build.out());
            assertTrue(build.err().contains("which this machine cannot run: " + mpk.reason()), build.err());
        }
    }

    @Test
    void aCrashReportOfAProtectionKeyFaultIsExplained(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("hs_err_pid4194304.log");
        Files.writeString(report, """
                #  SIGSEGV (0xb) at pc=0x00007f3530416a17, pid=4194304, tid=4194305
                Native frames: (J=compiled Java code, j=interpreted, Vv=VM code, C=native code)
                j  flexos.net.impl.NioSockets.recv(IJ)I+16 flexos.net.impl@0.1.0

                siginfo: si_signo: 11 (SIGSEGV), si_code: 4 (unknown), si_addr: 0x00007f34eff00080
                RIP=0x00007f3530416a17, EFLAGS=0x0000000000010246, CSGSFS=0x002b000000000033, ERR=0x0000000000000027
                """);
        CommandLineHarness doctor = CommandLineHarness.run("doctor", "--crash-report", report.toString());
        assertEquals(0, doctor.exitCode(), doctor.err());
        assertTrue(doctor.out().startsWith("flexos: protection-key fault: code that is no library's "
                + "(flexos.net.impl.NioSockets.recv) wrote address 0x00007f34eff00080"), doctor.out());
    }

    @Test
    void anotherCrashIsSaidToBeAnotherCrashAndAMissingReportIsBadInput(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("hs_err_pid1.log");
        Files.writeString(report, "#  SIGSEGV (0xb) at pc=0x0, pid=1, tid=1\nsiginfo: si_signo: 11 (SIGSEGV), "
                + "si_code: 1 (SEGV_MAPERR), si_addr: 0x0000000000000000\n");
        assertTrue(CommandLineHarness.run("doctor", "--crash-report", report.toString()).out()
                .contains("not on a protection-key fault"));
        assertEquals(2, CommandLineHarness.run("doctor", "--crash-report", dir.resolve("none").toString()).exitCode());
    }
}
