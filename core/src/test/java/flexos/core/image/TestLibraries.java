package flexos.core.image;

import flexos.core.component.Entrypoint;
import flexos.core.component.Library;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import flexos.core.config.CompartmentSpec;
import flexos.core.mechanism.Mechanisms;
import flexos.core.config.ImageConfig;
import flexos.core.config.LibraryPlacement;
import flexos.core.metadata.SourceLocation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** Small libraries that exercise the image builder: an app calling a pinger, which counts through a replicated counter. */
final class TestLibraries {

    interface Pinger {
        long ping(long x);
    }

    interface Counter {
        long next();
    }

    /** Records every instantiation and close, in order, so tests can check start and stop order. */
    static final List<String> EVENTS = new ArrayList<>();

    static final class CounterLibrary implements Library {
        public String name() { return "counter"; }
        public Set<Class<?>> exports() { return Set.of(Counter.class); }
        public Set<Class<?>> imports() { return Set.of(); }
        @Override public boolean perCompartment() { return true; }
        public LibraryInstance instantiate(LibraryContext context) {
            EVENTS.add("start counter@" + context.compartment());
            long[] count = {0};
            Counter counter = () -> ++count[0];
            return LibraryInstance.of(Map.of(Counter.class, counter), () -> EVENTS.add("stop counter@" + context.compartment()));
        }
    }

    static final class PingerLibrary implements Library {
        public String name() { return "pinger"; }
        public Set<Class<?>> exports() { return Set.of(Pinger.class); }
        public Set<Class<?>> imports() { return Set.of(Counter.class); }
        public LibraryInstance instantiate(LibraryContext context) {
            EVENTS.add("start pinger@" + context.compartment());
            Counter counter = context.gate(Counter.class);
            Pinger pinger = x -> x + counter.next();
            return LibraryInstance.of(Map.of(Pinger.class, pinger), () -> EVENTS.add("stop pinger"));
        }
    }

    /** An application that pings until asked to stop; its result is the last ping. */
    static final class AppLibrary implements Library {
        public String name() { return "app"; }
        public Set<Class<?>> exports() { return Set.of(Entrypoint.class); }
        public Set<Class<?>> imports() { return Set.of(Pinger.class, Counter.class); }
        public LibraryInstance instantiate(LibraryContext context) {
            EVENTS.add("start app@" + context.compartment());
            Pinger pinger = context.gate(Pinger.class);
            Counter counter = context.gate(Counter.class);
            CountDownLatch stop = new CountDownLatch(1);
            Entrypoint entry = new Entrypoint() {
                public int run(List<String> args) throws Exception {
                    if (args.contains("--wait")) {
                        stop.await();
                    }
                    return (int) (pinger.ping(100) + counter.next());
                }
                public void requestStop() {
                    stop.countDown();
                }
            };
            return LibraryInstance.of(Map.of(Entrypoint.class, entry), () -> EVENTS.add("stop app"));
        }
    }

    interface A { void a(); }
    interface B { void b(); }

    static final class CycleA implements Library {
        public String name() { return "cycle-a"; }
        public Set<Class<?>> exports() { return Set.of(A.class, Entrypoint.class); }
        public Set<Class<?>> imports() { return Set.of(B.class); }
        public LibraryInstance instantiate(LibraryContext context) { throw new AssertionError("never started"); }
    }

    static final class CycleB implements Library {
        public String name() { return "cycle-b"; }
        public Set<Class<?>> exports() { return Set.of(B.class); }
        public Set<Class<?>> imports() { return Set.of(A.class); }
        public LibraryInstance instantiate(LibraryContext context) { throw new AssertionError("never started"); }
    }

    static LibraryCatalog catalog() {
        return LibraryCatalog.of(List.of(new AppLibrary(), new PingerLibrary(), new CounterLibrary()));
    }

    /** A configuration with the given compartments (the first is the default) and library placements. */
    static ImageConfig config(String application, List<String> compartments, Map<String, String> placements) {
        SourceLocation here = new SourceLocation(Path.of("test.yaml"), 1, 1);
        List<CompartmentSpec> specs = new ArrayList<>();
        for (int i = 0; i < compartments.size(); i++) {
            specs.add(new CompartmentSpec(compartments.get(i), Mechanisms.builtIn().named("fcall"), i == 0, 1 << 20, here));
        }
        Map<String, LibraryPlacement> libraries = new LinkedHashMap<>();
        placements.forEach((library, compartment) ->
                libraries.put(library, new LibraryPlacement(library, compartment, List.of(), here)));
        return new ImageConfig(Path.of("test.yaml"), "test", application, specs, libraries, 1 << 20);
    }

    private TestLibraries() {
    }
}
