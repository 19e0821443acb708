package flexos.bench;

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

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * The floor under every {@code process} gate: a round trip between two processes through one shared int and
 * nothing else (no message, no gate, no sandbox), both sides spinning. The issue's small-call target was set against
 * this floor measured on another machine (~120 ns at p50); {@code GateBenchmark}'s {@code process} row is read
 * against this one, measured on the same machine in the same run:
 * <pre>
 *   java -cp "bench/target/classes:bench/target/lib/*" org.openjdk.jmh.Main RawPingPongBenchmark -bm sample
 * </pre>
 * The peer is a second JVM running {@link #main} on a file in {@code /dev/shm}; it is stopped at the end of the
 * trial, and killed if it does not stop within 10 s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RawPingPongBenchmark {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    /** The turn word's value that tells the peer to exit; turns stay within {@link #TURNS}, so never reach it. */
    private static final int STOP = -2;
    private static final int TURNS = 0x3FFFFFFF;

    /**
     * Longs written into the mapping before each turn, and read back by the other side: a message of a small call's
     * size ({@code -p words=5}) next to the turn word, as a gate's slot has it. 0: the turn word alone.
     */
    @Param({"0"})
    public int words;

    /** Where in the mapping those longs lie: in the turn word's line (8), the next (64), or apart (128). */
    @Param({"8"})
    public int payloadAt;

    private static final VarHandle LONG = ValueLayout.JAVA_LONG_UNALIGNED.varHandle();

    private Path file;
    private Arena arena;
    private MemorySegment word;
    private Process peer;
    private int turn;

    @Setup(Level.Trial)
    public void startPeer() throws IOException, InterruptedException {
        file = Files.createTempFile(Path.of("/dev/shm"), "flexos-pingpong-", ".bin");
        arena = Arena.ofShared();
        word = map(file, arena);
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        peer = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                RawPingPongBenchmark.class.getName(), file.toString(), String.valueOf(words), String.valueOf(payloadAt)).inheritIO().start();
        turn = 0;
        // One round trip before measuring: the peer is up and mapped the same page.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        INT.setVolatile(word, 0L, 1);
        while ((int) INT.getAcquire(word, 0L) != 2) {
            if (System.nanoTime() > deadline || !peer.isAlive()) {
                throw new IllegalStateException("the ping-pong peer did not answer within 30 s");
            }
            Thread.sleep(1);
        }
        turn = 2;
    }

    @Benchmark
    public int roundTrip() {
        int sent = turn + 1;
        int answer = (sent + 1) & TURNS;
        for (int i = 0; i < words; i++) {
            LONG.set(word, payloadAt + 8L * i, (long) sent + i);
        }
        INT.setVolatile(word, 0L, sent);
        while ((int) INT.getAcquire(word, 0L) != answer) {
            Thread.onSpinWait();
        }
        turn = answer;
        long sum = answer;
        for (int i = 0; i < words; i++) {
            sum += (long) LONG.get(word, payloadAt + 8L * i);
        }
        return (int) sum;
    }

    @TearDown(Level.Trial)
    public void stopPeer() throws IOException, InterruptedException {
        INT.setVolatile(word, 0L, STOP);
        if (!peer.waitFor(10, TimeUnit.SECONDS)) {
            peer.destroyForcibly().waitFor();
        }
        arena.close();
        Files.deleteIfExists(file);
    }

    private static MemorySegment map(Path file, Arena arena) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, 4096, arena);
        }
    }

    /** The peer: answers every odd turn with the next even one until it reads {@link #STOP}. */
    public static void main(String[] args) throws IOException {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment word = map(Path.of(args[0]), arena);
            int words = args.length > 1 ? Integer.parseInt(args[1]) : 0;
            long at = args.length > 2 ? Long.parseLong(args[2]) : 8;
            while (true) {
                int t;
                while (((t = (int) INT.getAcquire(word, 0L)) & 1) == 0) {
                    if (t == STOP) {
                        return;
                    }
                    Thread.onSpinWait();
                }
                long sum = 0;
                for (int i = 0; i < words; i++) {
                    sum += (long) LONG.get(word, at + 8L * i);
                }
                for (int i = 0; i < words; i++) {
                    LONG.set(word, at + 8L * i, sum + i);
                }
                INT.setVolatile(word, 0L, (t + 1) & TURNS);
            }
        }
    }
}
