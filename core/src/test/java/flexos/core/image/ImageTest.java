package flexos.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.core.image.TestLibraries.Counter;
import flexos.core.image.TestLibraries.Pinger;
import flexos.core.config.CompartmentSpec;
import flexos.core.config.ImageConfig;
import flexos.core.mechanism.Domain;
import flexos.core.mechanism.GateSite;
import flexos.core.mechanism.Mechanism;
import flexos.core.mechanism.MechanismOptions;
import flexos.core.mechanism.Mechanisms;
import flexos.core.memory.ImageMemory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ImageTest {

    private final ImageBuilder builder = new ImageBuilder(TestLibraries.catalog(), Mechanisms.builtIn());

    @BeforeEach
    void clearEvents() {
        TestLibraries.EVENTS.clear();
    }

    @Test
    void plansDependenciesBeforeTheirImportersAndTheApplicationLast() throws Exception {
        ImagePlan plan = builder.plan(TestLibraries.config("app", List.of("main"), Map.of()));
        assertEquals(List.of("counter", "pinger", "app"), plan.libraries().stream().map(PlannedLibrary::name).toList());
        assertEquals("app", plan.application().name());
        assertTrue(plan.gates().isEmpty(), "one compartment needs no gate");
    }

    @Test
    void gatesOnlyCallsThatCrossCompartmentsAndNeverAPerCompartmentLibrary() throws Exception {
        ImagePlan plan = builder.plan(TestLibraries.config("app", List.of("main", "isolated"), Map.of("pinger", "isolated")));
        assertEquals(List.of(new GateSite(Pinger.class, "app", "main", "pinger", "isolated")), plan.gates());
        assertTrue(plan.describe().contains("gate app@main -> pinger@isolated (Pinger) via fcall"), plan.describe());
    }

    @Test
    void everyCompartmentGetsItsOwnInstanceOfAPerCompartmentLibrary() throws Exception {
        ImagePlan plan = builder.plan(TestLibraries.config("app", List.of("main", "isolated"), Map.of("pinger", "isolated")));
        try (Image image = Image.start(plan)) {
            // app's counter and pinger's counter are different instances: each starts at 1.
            assertEquals(100 + 1 + 1, image.run(List.of()));
            assertTrue(TestLibraries.EVENTS.containsAll(List.of("start counter@main", "start counter@isolated")));
        }
    }

    @Test
    void startsInDependencyOrderAndStopsInReverse() throws Exception {
        ImagePlan plan = builder.plan(TestLibraries.config("app", List.of("main"), Map.of()));
        try (Image image = Image.start(plan)) {
            assertEquals(List.of("start counter@main", "start pinger@main", "start app@main"), TestLibraries.EVENTS);
            TestLibraries.EVENTS.clear();
        }
        assertEquals(List.of("stop app", "stop pinger", "stop counter@main"), TestLibraries.EVENTS);
    }

    @Test
    void anFcallGateIsTheCalleeItself() throws Exception {
        ImagePlan plan = builder.plan(TestLibraries.config("app", List.of("main", "isolated"), Map.of("pinger", "isolated")));
        try (Image image = Image.start(plan)) {
            // P4: no wrapper, so the JIT sees the same call as in a program written without FlexOS.
            assertTrue(image.gateSeenBy("app", Pinger.class) == image.export("pinger", Pinger.class));
        }
    }

    @Test
    void requestStopEndsARunningApplication() throws Exception {
        ImagePlan plan = builder.plan(TestLibraries.config("app", List.of("main"), Map.of()));
        try (Image image = Image.start(plan)) {
            CompletableFuture<Integer> running = CompletableFuture.supplyAsync(() -> {
                try {
                    return image.run(List.of("--wait"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            image.requestStop();
            // One compartment, so app and pinger share one counter: ping gives 100 + 1, then app's next() gives 2.
            assertEquals(103, running.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aLibraryCannotReachAnApiItDidNotDeclare() throws Exception {
        ImagePlan plan = builder.plan(TestLibraries.config("app", List.of("main"), Map.of()));
        try (Image image = Image.start(plan)) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> image.gateSeenBy("pinger", Pinger.class));
            assertTrue(refused.getMessage().contains("not among this library's declared imports"), refused.getMessage());
        }
    }

    @Test
    void warnsAboutConfiguredLibrariesTheApplicationDoesNotUse() throws Exception {
        LibraryCatalog catalog = LibraryCatalog.of(List.of(new TestLibraries.AppLibrary(), new TestLibraries.PingerLibrary(),
                new TestLibraries.CounterLibrary(), new TestLibraries.CycleB()));
        ImagePlan plan = new ImageBuilder(catalog, Mechanisms.builtIn())
                .plan(TestLibraries.config("app", List.of("main"), Map.of("cycle-b", "main")));
        assertEquals(List.of("library cycle-b is configured but app does not use it; its placement is ignored"), plan.warnings());
    }

    @Test
    void refusesImportCycles() {
        ImageBuilder cyclic = new ImageBuilder(LibraryCatalog.of(List.of(new TestLibraries.CycleA(), new TestLibraries.CycleB())),
                Mechanisms.builtIn());
        ImageBuildException e = assertThrows(ImageBuildException.class,
                () -> cyclic.plan(TestLibraries.config("cycle-a", List.of("main"), Map.of())));
        assertTrue(e.getMessage().contains("cycle-a -> cycle-b -> cycle-a"), e.getMessage());
    }

    @Test
    void refusesAnImportNobodyExports() {
        ImageBuilder incomplete = new ImageBuilder(LibraryCatalog.of(List.of(new TestLibraries.AppLibrary())), Mechanisms.builtIn());
        ImageBuildException e = assertThrows(ImageBuildException.class,
                () -> incomplete.plan(TestLibraries.config("app", List.of("main"), Map.of())));
        assertTrue(e.getMessage().contains("no library in the catalog exports"), e.getMessage());
    }

    @Test
    void refusesALibraryWithoutMetadata() {
        Counter unused = null;
        ImageBuilder noMetadata = new ImageBuilder(LibraryCatalog.of(List.of(new flexos.core.component.Library() {
            public String name() { return "nameless"; }
            public java.util.Set<Class<?>> exports() { return java.util.Set.of(flexos.core.component.Entrypoint.class); }
            public java.util.Set<Class<?>> imports() { return java.util.Set.of(); }
            public flexos.core.component.LibraryInstance instantiate(flexos.core.component.LibraryContext c) { throw new AssertionError(); }
        })), Mechanisms.builtIn());
        ImageBuildException e = assertThrows(ImageBuildException.class,
                () -> noMetadata.plan(TestLibraries.config("nameless", List.of("main"), Map.of())));
        assertTrue(e.getMessage().contains("ships no metadata file META-INF/flexos/nameless.meta"), e.getMessage());
    }

    @Test
    void refusesMetadataWhoseApiClauseIsNotWhatTheLibraryExports() {
        ImageBuilder dishonest = new ImageBuilder(LibraryCatalog.of(List.of(new TestLibraries.AppLibrary(),
                new TestLibraries.PingerLibrary(), new flexos.core.component.Library() {
                    public String name() { return "dishonest"; }
                    public java.util.Set<Class<?>> exports() { return java.util.Set.of(Counter.class); }
                    public java.util.Set<Class<?>> imports() { return java.util.Set.of(); }
                    public flexos.core.component.LibraryInstance instantiate(flexos.core.component.LibraryContext c) {
                        throw new AssertionError("never started");
                    }
                })), Mechanisms.builtIn());
        ImageBuildException e = assertThrows(ImageBuildException.class,
                () -> dishonest.plan(TestLibraries.config("app", List.of("main"), Map.of())));
        assertTrue(e.getMessage().contains("the [API] clause of library dishonest does not match the interfaces it"
                + " exports; exported but not declared: next; declared but not exported: ping"), e.getMessage());
    }

    @Test
    void refusesAMechanismThisMachineCannotRunWithItsReason() {
        Mechanism absent = new Mechanism() {
            @Override public String name() { return "absent"; }
            @Override public MechanismOptions defaultOptions() { return MechanismOptions.NONE; }
            @Override public Availability availability() {
                return Availability.unavailable("this machine has no widgets");
            }
            @Override public Domain open(CompartmentSpec compartment, ImageMemory memory) {
                throw new AssertionError("never opened");
            }
        };
        ImageConfig fcall = TestLibraries.config("app", List.of("main", "isolated"), Map.of("pinger", "isolated"));
        List<CompartmentSpec> compartments = List.of(fcall.compartments().get(0),
                new CompartmentSpec("isolated", absent, false, 1 << 20, fcall.compartments().get(1).where()));
        ImageConfig config = new ImageConfig(fcall.source(), fcall.name(), fcall.application(), compartments,
                fcall.libraries(), fcall.sharedHeapBytes());
        ImageBuildException e = assertThrows(ImageBuildException.class, () -> builder.plan(config));
        assertTrue(e.getMessage().endsWith("compartment isolated uses mechanism absent, which this machine cannot run:"
                + " this machine has no widgets"), e.getMessage());
    }

    @Test
    void thePlanWiresEveryInstanceAndTheImageFollowsIt() throws Exception {
        ImagePlan plan = builder.plan(TestLibraries.config("app", List.of("main", "isolated"), Map.of("pinger", "isolated")));
        PlannedInstance app = plan.instance("app", "main").orElseThrow();
        Wire toPinger = app.wireOf(Pinger.class).orElseThrow();
        assertTrue(toPinger.crosses());
        assertEquals("pinger", toPinger.callee().name());
        assertTrue(app.wireOf(Counter.class).isEmpty() || !app.wireOf(Counter.class).get().crosses());
        try (Image image = Image.start(plan)) {
            assertEquals(plan.instances().size(), TestLibraries.EVENTS.stream().filter(e -> e.startsWith("start")).count(),
                    "one instance per planned instance: " + TestLibraries.EVENTS);
        }
    }
}
