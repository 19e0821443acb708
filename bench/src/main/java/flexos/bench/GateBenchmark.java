package flexos.bench;

import flexos.core.config.CompartmentSpec;
import flexos.core.config.ImageConfig;
import flexos.core.config.LibraryPlacement;
import flexos.core.config.SharingStrategy;
import flexos.core.image.Image;
import flexos.core.image.ImageBuilder;
import flexos.core.image.LibraryCatalog;
import flexos.core.mechanism.MechanismOptions;
import flexos.core.mechanism.Mechanisms;
import flexos.core.mechanism.module.ModuleOptions;
import flexos.core.mechanism.process.ProcessOptions;
import flexos.core.metadata.SourceLocation;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of a cross-library call through a gate, against the same call with no FlexOS at all (principle P4).
 *
 * <p>{@code gate=direct} calls an {@link EchoService} the benchmark made itself; the other values build a real
 * image with {@link ImageBuilder} and call through the gate the image gave the {@code caller} library:
 * {@code fcall-local} with both libraries in one compartment, {@code fcall-cross} with them in two {@code fcall}
 * compartments, {@code module-copy} and {@code module-shared} with {@code echo} in a {@code module} compartment
 * whose sharing strategy is {@code copy} or {@code shared}. For {@code module-shared} the payload lies in the
 * image's shared heap, so it crosses by reference; under {@code copy} it is copied in and back. {@code mpk-copy} and
 * {@code mpk-shared} are the same with both compartments under {@code mpk}: the module gate plus a PKRU switch
 * into the callee's key and back (they need a CPU with pku; elsewhere their setup fails saying so).
 * {@code process} puts {@code echo} in a {@code process} compartment ({@code sharing: copy}, {@code wait: spin},
 * sandboxed): a round trip through shared memory to another OS process. {@link ProcessGateBenchmark} varies its
 * options and samples percentiles; here it sits beside the other gates (add {@code -bm sample} for its p50).
 * Any other value is refused, so that a misspelt gate is never measured as another one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3)
public class GateBenchmark {

    @Param({"direct", "fcall-local", "fcall-cross", "module-copy", "module-shared", "mpk-copy", "mpk-shared", "process"})
    public String gate;

    @Param({"64", "1024", "65536"})
    public int payload;

    private Image image;
    private Echo echo;
    private Arena arena;
    private MemorySegment block;
    private long x;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        arena = Arena.ofConfined();
        block = arena.allocate(Math.max(payload, 8));
        if (gate.equals("direct")) {
            echo = new EchoService();
            return;
        }
        boolean cross = !gate.equals("fcall-local");
        List<String> compartments = cross ? List.of("app", "callee") : List.of("app");
        ImageConfig config = config(compartments, cross ? "callee" : "app");
        LibraryCatalog catalog = LibraryCatalog.of(List.of(new GateLibraries.CallerLibrary(), new GateLibraries.EchoLibrary()));
        image = Image.start(new ImageBuilder(catalog, Mechanisms.builtIn()).plan(config));
        echo = image.gateSeenBy("caller", Echo.class);
        if (gate.endsWith("-shared")) {
            block = GateLibraries.sharedHeap.asSlice(0, Math.max(payload, 8));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (image != null) {
            image.close();
        }
        arena.close();
    }

    /** A small call: the gate's own cost dominates. */
    @Benchmark
    public long smallCall() {
        return echo.add(x++, 1);
    }

    /** A call that reads a payload of {@code payload} bytes. */
    @Benchmark
    public long payloadCall() {
        return echo.checksum(block, payload);
    }

    private ImageConfig config(List<String> compartments, String echoCompartment) {
        SourceLocation here = new SourceLocation(Path.of("gate-benchmark.yaml"), 1, 1);
        String mechanism = switch (gate) {
            case "fcall-local", "fcall-cross" -> "fcall";
            case "module-copy", "module-shared" -> "module";
            case "mpk-copy", "mpk-shared" -> "mpk";
            case "process" -> "process";
            default -> throw new IllegalArgumentException("unknown gate '" + gate + "': direct, fcall-local,"
                    + " fcall-cross, module-copy, module-shared, mpk-copy, mpk-shared or process");
        };
        SharingStrategy sharing = gate.endsWith("-shared") ? SharingStrategy.SHARED : SharingStrategy.COPY;
        MechanismOptions options = switch (mechanism) {
            case "fcall" -> MechanismOptions.NONE;
            case "process" -> ProcessOptions.DEFAULT;
            default -> new ModuleOptions(sharing, 0);
        };
        // The caller's compartment of a process image stays in the image's own process (as in the examples):
        // only the callee is a compartment process.
        boolean callerInImage = mechanism.equals("process");
        List<CompartmentSpec> specs = compartments.stream()
                .map(name -> callerInImage && name.equals("app")
                        ? new CompartmentSpec(name, Mechanisms.builtIn().named("fcall"), true, 1 << 20, here)
                        : new CompartmentSpec(name, Mechanisms.builtIn().named(mechanism), name.equals("app"),
                        1 << 20, here, options)).toList();
        return new ImageConfig(Path.of("gate-benchmark.yaml"), "gate-benchmark", "caller", specs,
                Map.of("echo", new LibraryPlacement("echo", echoCompartment, List.of(), here)), 1 << 20);
    }
}
