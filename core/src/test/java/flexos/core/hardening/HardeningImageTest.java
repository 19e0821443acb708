package flexos.core.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.core.component.Library;
import flexos.core.config.CompartmentSpec;
import flexos.core.config.ImageConfig;
import flexos.core.config.LibraryPlacement;
import flexos.core.hardening.faults.sneaky.SneakyCallerLibrary;
import flexos.core.hardening.faults.undeclared.UndeclaredCallerLibrary;
import flexos.core.hardening.faults.vault.Vault;
import flexos.core.hardening.faults.vault.VaultLibrary;
import flexos.core.image.Image;
import flexos.core.image.ImageBuildException;
import flexos.core.image.ImageBuilder;
import flexos.core.image.ImagePlan;
import flexos.core.image.LibraryCatalog;
import flexos.core.mechanism.Mechanism;
import flexos.core.mechanism.Mechanisms;
import flexos.core.metadata.SourceLocation;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Hardening as an image applies it: {@code cfi} and {@code contracts} faults caught with the option, missed without. */
class HardeningImageTest {

    private static final List<Library> LIBRARIES = List.of(new VaultLibrary(), new SneakyCallerLibrary(),
            new UndeclaredCallerLibrary());
    private final ImageBuilder builder = new ImageBuilder(LibraryCatalog.of(LIBRARIES), Mechanisms.builtIn());

    @ParameterizedTest
    @ValueSource(strings = {"main", "other"})
    void cfiRefusesAnUndeclaredCallMadeByReflectionInOrAcrossCompartments(String vaultCompartment) throws Exception {
        ImagePlan plan = builder.plan(config("sneaky", Map.of("sneaky", List.of(HardeningOption.CFI)), vaultCompartment));
        try (Image image = Image.start(plan)) {
            CallPolicyViolation refused = assertThrows(CallPolicyViolation.class, () -> image.run(List.of()));
            assertEquals("vault::wipe", refused.function());
            assertTrue(refused.getMessage().contains("sneaky") && refused.getMessage().contains("vault::read"),
                    refused.getMessage());
            assertEquals(100, image.export("vault", Vault.class).read(), "the vault was not wiped");
        }
    }

    @Test
    void withoutCfiTheUndeclaredCallGoesThrough() throws Exception {
        ImagePlan plan = builder.plan(config("sneaky", Map.of(), "main"));
        try (Image image = Image.start(plan)) {
            assertEquals(0, image.run(List.of()));
        }
    }

    @Test
    void cfiLetsDeclaredCallsThroughUnchanged() throws Exception {
        ImagePlan plan = builder.plan(config("sneaky", Map.of("sneaky", List.of(HardeningOption.CFI)), "main"));
        try (Image image = Image.start(plan)) {
            assertEquals(100, image.gateSeenBy("sneaky", Vault.class).read());
        }
    }

    @Test
    void cfiReportsAWrongCallClauseFoundInTheBytecodeAtBuildTime() {
        ImageBuildException error = assertThrows(ImageBuildException.class,
                () -> builder.plan(config("undeclared", Map.of("undeclared", List.of(HardeningOption.CFI)), "main")));
        assertTrue(error.getMessage().contains("test.yaml:3:4: library undeclared has a wrong [Call] clause for cfi: "
                + "its bytecode calls vault::wipe (in flexos.core.hardening.faults.undeclared."), error.getMessage());
    }

    @Test
    void withoutCfiTheWrongCallClauseBuildsAndTheCallRuns() throws Exception {
        ImagePlan plan = builder.plan(config("undeclared", Map.of(), "main"));
        try (Image image = Image.start(plan)) {
            assertEquals(0, image.run(List.of()));
        }
    }

    @Test
    void contractsRefuseAPreconditionViolationBeforeTheCalleeRuns() throws Exception {
        ImagePlan plan = builder.plan(config("sneaky", Map.of("vault", List.of(HardeningOption.CONTRACTS)), "main"));
        try (Image image = Image.start(plan)) {
            Vault gate = image.gateSeenBy("sneaky", Vault.class);
            ContractViolation violation = assertThrows(ContractViolation.class,
                    () -> gate.deposit(MemorySegment.ofArray(new byte[0])));
            assertEquals(ContractViolation.Side.PRECONDITION, violation.side());
            assertTrue(violation.getMessage().contains("from sneaky"), violation.getMessage());
        }
        try (Image image = Image.start(builder.plan(config("sneaky", Map.of(), "main")))) {
            assertEquals(100, image.gateSeenBy("sneaky", Vault.class).deposit(MemorySegment.ofArray(new byte[0])));
        }
    }

    @Test
    void asanChecksSegmentsCrossingTheHardenedLibrarysGates() {
        GateHardening hardening = new GateHardening();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment heap = arena.allocate(4096, 16);
            long[] top = {0};
            SanitizedHeap asan = new SanitizedHeap("sneaky", heap, n -> {
                MemorySegment s = heap.asSlice(top[0], n);
                top[0] += (n + 15) & -16;
                return s;
            }, s -> { }, hardening.shadow(), 1024);
            Vault plain = new VaultLibrary().instantiate(null).export(Vault.class);
            Vault gate = hardening.harden(Vault.class, plain, end(new SneakyCallerLibrary(), HardeningOption.ASAN),
                    end(new VaultLibrary()), "main", heap);
            MemorySegment block = asan.malloc(4);
            block.fill((byte) 1);
            assertEquals(104, gate.deposit(block));
            asan.free(block);
            MemoryFault fault = assertThrows(MemoryFault.class, () -> gate.deposit(block));
            assertEquals(MemoryFault.Kind.USE_AFTER_FREE, fault.kind());
            assertTrue(fault.getMessage().contains("in sneaky: ") && fault.getMessage().contains("vault::deposit"),
                    fault.getMessage());
            assertEquals(104, plain.read(), "the callee was not entered");
            assertEquals(108, plain.deposit(block), "without asan the freed block is read");
        }
    }

    @Test
    void anUnhardenedCallSiteGetsTheExportItself() {
        Vault plain = new VaultLibrary().instantiate(null).export(Vault.class);
        assertSame(plain, new GateHardening().harden(Vault.class, plain, end(new SneakyCallerLibrary()),
                end(new VaultLibrary()), "main", MemorySegment.NULL));
    }

    @Test
    void anOptionOnALibraryThatCannotTakeItIsAClearError() {
        Library idle = new Library() {
            public String name() { return "idle"; }
            public java.util.Set<Class<?>> exports() { return java.util.Set.of(Runnable.class); }
            public java.util.Set<Class<?>> imports() { return java.util.Set.of(); }
            public flexos.core.component.LibraryInstance instantiate(flexos.core.component.LibraryContext c) {
                throw new AssertionError("never started");
            }
        };
        HardeningCheck.Result asan = HardeningCheck.check(List.of(
                new HardeningCheck.Subject(idle, end(new VaultLibrary()).metadata(), List.of(HardeningOption.ASAN), "x.yaml:7:5"),
                new HardeningCheck.Subject(new VaultLibrary(), end(new VaultLibrary()).metadata(), List.of(), null)));
        assertEquals(List.of("x.yaml:7:5: library idle cannot take asan: no API it calls or exports passes memory "
                + "(MemorySegment), and it is not an allocator, so there is no allocation or access to check; remove "
                + "'asan' from its 'harden' list (asan can harden: vault)"), asan.errors());
        ImageBuildException contracts = assertThrows(ImageBuildException.class,
                () -> builder.plan(config("sneaky", Map.of("sneaky", List.of(HardeningOption.CONTRACTS)), "main")));
        assertTrue(contracts.getMessage().contains("library sneaky cannot take contracts: it declares no contracts"),
                contracts.getMessage());
        assertTrue(contracts.getMessage().contains("contracts can harden: vault"), contracts.getMessage());
    }

    private static GateHardening.End end(Library library, HardeningOption... harden) {
        try {
            return new GateHardening.End(library, LibraryCatalog.metadataOf(library), List.of(harden));
        } catch (flexos.core.metadata.MetadataException e) {
            throw new AssertionError(e);
        }
    }

    /** A configuration running {@code application}, with the vault in {@code vaultCompartment}. */
    private static ImageConfig config(String application, Map<String, List<HardeningOption>> harden,
                                      String vaultCompartment) {
        Path file = Path.of("test.yaml");
        Mechanism fcall = Mechanisms.builtIn().named("fcall");
        List<CompartmentSpec> specs = List.of(new CompartmentSpec("main", fcall, true, 1 << 16,
                new SourceLocation(file, 1, 1)), new CompartmentSpec("other", fcall, false, 1 << 16,
                new SourceLocation(file, 2, 1)));
        Map<String, LibraryPlacement> libraries = new LinkedHashMap<>();
        libraries.put(application, new LibraryPlacement(application, "main", harden.getOrDefault(application,
                List.of()), new SourceLocation(file, 3, 4)));
        libraries.put("vault", new LibraryPlacement("vault", vaultCompartment, harden.getOrDefault("vault",
                List.of()), new SourceLocation(file, 4, 4)));
        return new ImageConfig(file, "test", application, specs, libraries, 1 << 16);
    }
}
