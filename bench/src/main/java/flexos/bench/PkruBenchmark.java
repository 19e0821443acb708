package flexos.bench;

import flexos.core.mechanism.mpk.cpu.PkeyCalls;
import flexos.core.mechanism.mpk.cpu.PkruRegister;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one mpk gate round trip costs in PKRU writes alone, two ways (issue 14, item 3): glibc's {@code pkey_set}
 * through critical FFM downcalls, against our own three-instruction functions ({@code PkruRegister}).
 *
 * <p>A gate from compartment A to B must take A's key away and give B's; on the way back, the reverse.
 * <ul>
 *   <li>{@code glibcRoundTrip}: with glibc that is four {@code pkey_set} calls (deny A, allow B; deny B, allow A),
 *       each a {@code rdpkru} and a {@code wrpkru};</li>
 *   <li>{@code stubRoundTrip}: what the mpk gate does: one swap (rdpkru + wrpkru of the whole register) in, one
 *       write out;</li>
 *   <li>{@code stubRead}: one {@code rdpkru} call: a critical downcall's own cost, nearly;</li>
 *   <li>{@code criticalDowncall}: glibc's {@code abs} through a critical downcall: the floor for any of these.</li>
 * </ul>
 * Needs a CPU with pku (setup fails saying so elsewhere).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3)
public class PkruBenchmark {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle PKEY_SET = LINKER.downcallHandle(LINKER.defaultLookup().find("pkey_set")
                    .orElseThrow(() -> new IllegalStateException("the C library has no pkey_set")),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            Linker.Option.critical(false));
    private static final MethodHandle ABS = LINKER.downcallHandle(LINKER.defaultLookup().find("abs").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), Linker.Option.critical(false));

    private int a;
    private int b;
    private int insideB;
    private int x;

    @Setup(Level.Trial)
    public void setUp() throws Throwable {
        a = PkeyCalls.pkeyAlloc(0);
        b = PkeyCalls.pkeyAlloc(PkeyCalls.PKEY_DISABLE_ACCESS);
        int outside = PkruRegister.read();
        insideB = (outside & ~(0b11 << (2 * b))) | (0b01 << (2 * a));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        PkeyCalls.pkeyFree(a);
        PkeyCalls.pkeyFree(b);
    }

    @Benchmark
    public int glibcRoundTrip() throws Throwable {
        int r = (int) PKEY_SET.invokeExact(a, PkeyCalls.PKEY_DISABLE_ACCESS);
        r += (int) PKEY_SET.invokeExact(b, 0);
        r += (int) PKEY_SET.invokeExact(b, PkeyCalls.PKEY_DISABLE_ACCESS);
        r += (int) PKEY_SET.invokeExact(a, 0);
        return r;
    }

    @Benchmark
    public int stubRoundTrip() {
        int saved = PkruRegister.swap(insideB);
        PkruRegister.write(saved);
        return saved;
    }

    @Benchmark
    public int stubRead() {
        return PkruRegister.read();
    }

    @Benchmark
    public int criticalDowncall() throws Throwable {
        return (int) ABS.invokeExact(x++);
    }
}
