package flexos.bench;

import flexos.core.config.CompartmentSpec;
import flexos.core.mechanism.process.CpuPin;
import flexos.core.mechanism.process.GateWait;
import flexos.core.config.ImageConfig;
import flexos.core.config.LibraryPlacement;
import flexos.core.mechanism.process.ProcessOptions;
import flexos.core.mechanism.process.RestartPolicy;
import flexos.core.mechanism.process.SandboxMode;
import flexos.core.config.SharingStrategy;
import flexos.core.image.Image;
import flexos.core.image.ImageBuilder;
import flexos.core.image.LibraryCatalog;
import flexos.core.mechanism.Mechanisms;
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
 * The round trip of a {@code process} gate: {@code echo} runs in a compartment process, the benchmark calls it
 * through the gate the image handed {@code caller}. Sampled, so that JMH reports percentiles (p50, p99, p99.9).
 *
 * <p>{@code wait=spin} spins (adaptively), then sleeps on a futex; {@code wait=block} sleeps at once, so each crossing
 * costs two futex wake-ups. {@code sharing=copy} copies the payload into the call slot and back;
 * {@code sharing=shared} puts the payload in the image's shared heap, which crosses as an offset.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1)
public class ProcessGateBenchmark {

    @Param({"spin", "block"})
    public String wait;

    @Param({"copy", "shared"})
    public String sharing;

    @Param({"64", "1024", "65536"})
    public int payload;

    /** The callee's sandbox (docs/process-mechanism.md, "The sandbox"): its system call filter is on every futex. */
    @Param({"full"})
    public String sandbox;

    /** The callee's {@code cpu:} ({@link CpuPin}): {@code none}, or the CPU both sides of the gate are pinned to. */
    @Param({"none"})
    public String cpu;

    private Image image;
    private Echo echo;
    private Arena arena;
    private MemorySegment block;
    private long x;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        SourceLocation here = new SourceLocation(Path.of("process-gate-benchmark.yaml"), 1, 1);
        SharingStrategy strategy = SharingStrategy.valueOf(sharing.toUpperCase(java.util.Locale.ROOT));
        List<CompartmentSpec> specs = List.of(
                new CompartmentSpec("app", Mechanisms.builtIn().named("fcall"), true, 1 << 20, here),
                new CompartmentSpec("callee", Mechanisms.builtIn().named("process"), false, 1 << 20, here,
                        new ProcessOptions(strategy, 0, RestartPolicy.NEVER,
                                GateWait.valueOf(wait.toUpperCase(java.util.Locale.ROOT)),
                                SandboxMode.valueOf(sandbox.toUpperCase(java.util.Locale.ROOT)),
                                cpu.equals("none") ? CpuPin.NONE : Integer.parseInt(cpu))));
        ImageConfig config = new ImageConfig(Path.of("process-gate-benchmark.yaml"), "process-gate-benchmark", "caller",
                specs, Map.of("echo", new LibraryPlacement("echo", "callee", List.of(), here)), 1 << 20);
        Mechanisms mechanisms = Mechanisms.builtIn();
        LibraryCatalog catalog = LibraryCatalog.of(List.of(new GateLibraries.CallerLibrary(), new GateLibraries.EchoLibrary()));
        image = Image.start(new ImageBuilder(catalog, mechanisms).plan(config));
        echo = image.gateSeenBy("caller", Echo.class);
        arena = Arena.ofConfined();
        block = strategy == SharingStrategy.SHARED
                ? GateLibraries.sharedHeap.asSlice(0, Math.max(payload, 8))
                : arena.allocate(Math.max(payload, 8));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        image.close();
        arena.close();
    }

    /** A small call: two longs in, one out. */
    @Benchmark
    public long smallCall() {
        return echo.add(x++, 1);
    }

    /** A call whose argument is a payload of {@code payload} bytes, read by the callee. */
    @Benchmark
    public long payloadCall() {
        return echo.checksum(block, payload);
    }
}
