package flexos.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.core.image.TestLibraries.Counter;
import flexos.core.image.TestLibraries.Pinger;
import flexos.core.mechanism.GateSite;
import flexos.core.mechanism.Mechanisms;
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
        try (Image image = Image.start(plan, Mechanisms.builtIn())) {
            // app's counter and pinger's counter are different instances: each starts at 1.
            assertEquals(100 + 1 + 1, image.run(List.of()));
            assertTrue(TestLibraries.EVENTS.containsAll(List.of("start counter@main", "start counter@isolated")));
        }
    }

    @Test
    void startsInDependencyOrderAndStopsInReverse() throws Exception {
        ImagePlan plan = builder.plan(TestLibraries.config("app", List.of("main"), Map.of()));
        try (Image image = Image.start(plan, Mechanisms.builtIn())) {
            assertEquals(List.of("start counter@main", "start pinger@main", "start app@main"), TestLibraries.EVENTS);
            TestLibraries.EVENTS.clear();
        }
        assertEquals(List.of("stop app", "stop pinger", "stop counter@main"), TestLibraries.EVENTS);
    }

    @Test
    void anFcallGateIsTheCalleeItself() throws Exception {
        ImagePlan plan = builder.plan(TestLibraries.config("app", List.of("main", "isolated"), Map.of("pinger", "isolated")));
        try (Image image = Image.start(plan, Mechanisms.builtIn())) {
            // P4: no wrapper, so the JIT sees the same call as in a program written without FlexOS.
            assertTrue(image.gateSeenBy("app", Pinger.class) == image.export("pinger", Pinger.class));
        }
    }

    @Test
    void requestStopEndsARunningApplication() throws Exception {
        ImagePlan plan = builder.plan(TestLibraries.config("app", List.of("main"), Map.of()));
        try (Image image = Image.start(plan, Mechanisms.builtIn())) {
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
        try (Image image = Image.start(plan, Mechanisms.builtIn())) {
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
}
