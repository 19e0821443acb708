package flexos.bench;

import flexos.core.component.Entrypoint;
import flexos.core.component.Library;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import flexos.core.config.CompartmentSpec;
import flexos.core.config.ImageConfig;
import flexos.core.config.LibraryPlacement;
import flexos.core.hardening.HardeningOption;
import flexos.core.image.Image;
import flexos.core.image.ImageBuilder;
import flexos.core.image.LibraryCatalog;
import flexos.core.mechanism.Mechanisms;
import flexos.core.metadata.SourceLocation;
import flexos.sched.api.Scheduler;
import flexos.sched.api.Task;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one context switch of the shipped cooperative scheduler, plain and with {@code contracts} (SPEC §8:
 * the seeds' verified scheduler switched in 218.6 ns against 76.6 ns for the C one).
 *
 * <p>Each variant is a real image of {@code sched} and an application, {@code switcher}, and calls the scheduler
 * through the gate the image gives the application: with {@code harden: [contracts]} on {@code sched} that is the
 * contract-checked face, which checks every call and every task step; without, the scheduler itself. One operation
 * is one switch: two tasks take turns, {@value #SWITCHES} steps per invocation, so spawning them is amortised.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3)
public class SchedulerSwitchBenchmark {

    static final int SWITCHES = 10_000;

    @Param({"plain", "contracts"})
    public String sched;

    private Image image;
    private Scheduler scheduler;

    /** The benchmark's application: it only needs a scheduler gate. */
    public static final class SwitcherLibrary implements Library {
        public String name() { return "switcher"; }
        public Set<Class<?>> exports() { return Set.of(Entrypoint.class); }
        public Set<Class<?>> imports() { return Set.of(Scheduler.class); }
        public LibraryInstance instantiate(LibraryContext context) {
            Entrypoint idle = new Entrypoint() {
                public int run(List<String> args) {
                    return 0;
                }
                public void requestStop() {
                }
            };
            return LibraryInstance.of(Map.of(Entrypoint.class, idle));
        }
    }

    /** Steps {@code steps} times, then finishes. */
    private static final class CountingTask implements Task {
        private int left;

        CountingTask(int steps) {
            left = steps;
        }

        @Override
        public boolean step(long maxWaitNanos) {
            return --left > 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Library shipped = LibraryCatalog.discover(SchedulerSwitchBenchmark.class.getClassLoader()).find("sched")
                .orElseThrow(() -> new IllegalStateException("the sched library is not on the class path"));
        LibraryCatalog catalog = LibraryCatalog.of(List.of(new SwitcherLibrary(), shipped));
        Path file = Path.of("sched-switch.yaml");
        SourceLocation here = new SourceLocation(file, 1, 1);
        List<HardeningOption> harden = sched.equals("contracts") ? List.of(HardeningOption.CONTRACTS) : List.of();
        ImageConfig config = new ImageConfig(file, "sched-switch", "switcher",
                List.of(new CompartmentSpec("main", Mechanisms.builtIn().named("fcall"), true, 1 << 16, here)),
                Map.of("sched", new LibraryPlacement("sched", "main", harden, here)), 1 << 16);
        image = Image.start(new ImageBuilder(catalog, Mechanisms.builtIn()).plan(config));
        scheduler = image.gateSeenBy("switcher", Scheduler.class);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        image.close();
    }

    /** Two tasks taking turns for {@value #SWITCHES} steps in all: one operation is one switch. */
    @Benchmark
    @OperationsPerInvocation(SWITCHES)
    public long contextSwitch() {
        scheduler.spawn("ping", new CountingTask(SWITCHES / 2));
        scheduler.spawn("pong", new CountingTask(SWITCHES / 2));
        scheduler.run();
        return scheduler.switches();
    }
}
