package flexos.core.mechanism.mpk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.core.config.CompartmentSpec;
import flexos.core.config.ImageConfig;
import flexos.core.image.ImageBuildException;
import flexos.core.image.ImageBuilder;
import flexos.core.image.LibraryCatalog;
import flexos.core.mechanism.Mechanism.Availability;
import flexos.core.mechanism.Mechanisms;
import flexos.core.mechanism.fcall.FcallMechanism;
import flexos.core.metadata.SourceLocation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Detection and the key budget, as plain code: runs on every machine, with or without pku. */
class PkuSupportTest {

    private static final String EPYC = """
            processor	: 0
            vendor_id	: AuthenticAMD
            model name	: AMD EPYC
            flags		: fpu vme de pse tsc msr pae mce cx8 apic sse sse2 avx2 pku ospke vaes
            """;
    private static final String XEON_WITHOUT = """
            processor	: 0
            model name	: Intel(R) Xeon(R) CPU
            flags		: fpu vme de pse tsc msr pae mce cx8 apic sse sse2 avx2
            """;
    private static final PkuSupport.KeyProbe WORKS = Optional::empty;

    @Test
    void aCpuWithPkuAndAKernelWithOspkeAndAWorkingPkeyAllocHasKeys() {
        Availability here = PkuSupport.judge("Linux", "amd64", EPYC, WORKS);
        assertTrue(here.available(), here.reason());
        assertTrue(here.reason().contains("15 for compartments"), here.reason());
    }

    @Test
    void aCpuWithoutPkuIsRefusedWithTheSentenceUsersSee() {
        Availability here = PkuSupport.judge("Linux", "amd64", XEON_WITHOUT, WORKS);
        assertFalse(here.available());
        assertEquals("this CPU has no memory protection keys (pku): /proc/cpuinfo lists no pku flag", here.reason());
    }

    @Test
    void aKernelThatDidNotEnableKeysIsRefused() {
        Availability here = PkuSupport.judge("Linux", "amd64", EPYC.replace(" ospke", ""), WORKS);
        assertFalse(here.available());
        assertTrue(here.reason().contains("no ospke flag"), here.reason());
    }

    @Test
    void flagsThatLieAreCaughtByPkeyAlloc() {
        AtomicInteger asked = new AtomicInteger();
        Availability here = PkuSupport.judge("Linux", "amd64", EPYC, () -> {
            asked.incrementAndGet();
            return Optional.of("pkey_alloc failed: Invalid argument (errno 22)");
        });
        assertFalse(here.available());
        assertEquals(1, asked.get());
        assertTrue(here.reason().startsWith(PkuSupport.NO_PKU), here.reason());
        assertTrue(here.reason().contains("Invalid argument"), here.reason());
    }

    @Test
    void otherSystemsAndCpusAreRefusedBeforeAnyKeyIsTried() {
        PkuSupport.KeyProbe never = () -> {
            throw new AssertionError("probed");
        };
        assertTrue(PkuSupport.judge("Mac OS X", "x86_64", EPYC, never).reason().startsWith(PkuSupport.NO_PKU));
        assertTrue(PkuSupport.judge("Linux", "aarch64", EPYC, never).reason().contains("aarch64"));
        assertTrue(PkuSupport.judge("Linux", "amd64", null, never).reason().contains("/proc/cpuinfo"));
    }

    @Test
    void onlyTheFirstProcessorsFlagsCount() {
        assertEquals(java.util.Set.of("fpu", "pku"), PkuSupport.flags("flags : fpu pku\n\nflags : sse\n"));
        assertTrue(PkuSupport.flags("model name : x\n").isEmpty());
    }

    @Test
    void fifteenCompartmentsFitAndSixteenDoNot() {
        assertTrue(MpkMechanism.budget(15).available());
        Availability sixteen = MpkMechanism.budget(16);
        assertFalse(sixteen.available());
        assertTrue(sixteen.reason().contains("16 mpk compartments") && sixteen.reason().contains("15 protection keys"),
                sixteen.reason());
    }

    @Test
    void buildingAnMpkImageOnAMachineWithoutPkuFailsWithOneClearMessage() throws Exception {
        MpkMechanism withoutPku = new MpkMechanism(() -> PkuSupport.judge("Linux", "amd64", XEON_WITHOUT, WORKS));
        ImageBuilder builder = new ImageBuilder(LibraryCatalog.of(List.of()),
                Mechanisms.of(List.of(new FcallMechanism(), withoutPku)));
        SourceLocation main = new SourceLocation(Path.of("refused.yaml"), 4, 5);
        SourceLocation net = new SourceLocation(Path.of("refused.yaml"), 5, 5);
        ImageConfig config = new ImageConfig(Path.of("refused.yaml"), "refused", "app", List.of(
                new CompartmentSpec("main", new FcallMechanism(), true, 1 << 16, main),
                new CompartmentSpec("net", withoutPku, false, 1 << 16, net)), Map.of(), 1 << 16);
        ImageBuildException refused = org.junit.jupiter.api.Assertions.assertThrows(ImageBuildException.class,
                () -> builder.plan(config));
        assertEquals("refused.yaml:5:5: compartment net uses mechanism mpk, which this machine cannot run: "
                + "this CPU has no memory protection keys (pku): /proc/cpuinfo lists no pku flag", refused.getMessage());
    }

    @Test
    void anImageWithMoreMpkCompartmentsThanKeysIsRefusedAtBuildTime() {
        MpkMechanism mpk = new MpkMechanism(() -> PkuSupport.judge("Linux", "amd64", EPYC, WORKS));
        SourceLocation here = new SourceLocation(Path.of("many.yaml"), 1, 1);
        List<CompartmentSpec> sixteen = IntStream.range(0, 16)
                .mapToObj(i -> new CompartmentSpec("c" + i, mpk, i == 0, 1 << 16, here)).toList();
        assertFalse(mpk.availability(sixteen).available());
        assertTrue(mpk.availability(sixteen.subList(0, 15)).available());
    }
}
