package flexos.core.mechanism.process;

import flexos.core.component.Entrypoint;
import flexos.core.component.Library;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import flexos.core.config.CompartmentSpec;
import flexos.core.config.ImageConfig;
import flexos.core.config.LibraryPlacement;
import flexos.core.config.SharingStrategy;
import flexos.core.image.Image;
import flexos.core.image.ImageBuilder;
import flexos.core.image.LibraryCatalog;
import flexos.core.mechanism.Mechanisms;
import flexos.core.metadata.SourceLocation;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The libraries of the process mechanism's tests: {@code probe} (in a process compartment) and the app {@code prober}. */
public final class ProbeLibraries {

    /** What the tests call in the compartment process. */
    public interface Probe {
        long add(long a, long b);

        String greet(String name);

        long checksum(MemorySegment block);

        void fill(MemorySegment block, byte value);

        int fillInts(int[] out);

        long visit(int n, Visitor visitor);

        /** Fills {@code block} with {@code value}, calls {@code visitor} back once, then checksums {@code block}. */
        long fillVisitAndSum(MemorySegment block, byte value, Visitor visitor);

        void fail(String how);

        long pid();

        long readAddress(long address);

        long bump();
    }

    /** A callback: called back from the compartment process into the caller. */
    public interface Visitor {
        long visit(long i);
    }

    /** An exception of the compartment's own. */
    static final class ProbeTrouble extends RuntimeException {
        ProbeTrouble(String message) {
            super(message);
        }
    }

    static final class ProbeService implements Probe {
        private static long bumps;

        @Override public long add(long a, long b) { return a + b; }
        @Override public String greet(String name) { return "hello " + name + " from " + ProcessHandle.current().pid(); }
        @Override public long checksum(MemorySegment block) {
            long sum = 0;
            for (long i = 0; i < block.byteSize(); i++) {
                sum += block.get(ValueLayout.JAVA_BYTE, i);
            }
            return sum;
        }
        @Override public void fill(MemorySegment block, byte value) { block.fill(value); }
        @Override public long fillVisitAndSum(MemorySegment block, byte value, Visitor visitor) {
            block.fill(value);
            visitor.visit(0);
            return checksum(block);
        }
        @Override public int fillInts(int[] out) {
            for (int i = 0; i < out.length; i++) {
                out[i] = i * i;
            }
            return out.length;
        }
        @Override public long visit(int n, Visitor visitor) {
            long sum = 0;
            for (int i = 0; i < n; i++) {
                sum += visitor.visit(i);
            }
            return sum;
        }
        @Override public void fail(String how) {
            switch (how) {
                case "argument" -> throw new IllegalArgumentException("bad argument");
                case "own" -> throw new ProbeTrouble("trouble");
                case "error" -> throw new AssertionError("broken");
                case "exit" -> System.exit(66);
                case "hang" -> {
                    while (true) {
                        try {
                            Thread.sleep(1000);
                        } catch (InterruptedException e) {
                            // keep hanging
                        }
                    }
                }
                default -> { }
            }
        }
        @Override public long pid() { return ProcessHandle.current().pid(); }
        @Override public long readAddress(long address) {
            return MemorySegment.ofAddress(address).reinterpret(8).get(ValueLayout.JAVA_LONG, 0);
        }
        @Override public long bump() { return ++bumps; }
    }

    public static final class ProbeLibrary implements Library {
        @Override public String name() { return "probe"; }
        @Override public Set<Class<?>> exports() { return Set.of(Probe.class); }
        @Override public Set<Class<?>> imports() { return Set.of(); }
        @Override public LibraryInstance instantiate(LibraryContext context) {
            return LibraryInstance.of(Map.of(Probe.class, new ProbeService()));
        }
    }

    /** The shared heap the last {@code prober} instance was given. */
    static volatile MemorySegment sharedHeap;

    public static final class ProberLibrary implements Library {
        @Override public String name() { return "prober"; }
        @Override public Set<Class<?>> exports() { return Set.of(Entrypoint.class); }
        @Override public Set<Class<?>> imports() { return Set.of(Probe.class); }
        @Override public LibraryInstance instantiate(LibraryContext context) {
            sharedHeap = context.sharedHeap();
            Entrypoint idle = new Entrypoint() {
                @Override public int run(List<String> args) { return 0; }
                @Override public void requestStop() { }
            };
            return LibraryInstance.of(Map.of(Entrypoint.class, idle));
        }
    }

    /** An image with {@code prober} in an fcall compartment and {@code probe} in a process compartment. */
    public static Image start(SharingStrategy sharing, long timeoutNanos, RestartPolicy restart, GateWait wait)
            throws Exception {
        return start(new ProcessOptions(sharing, timeoutNanos, restart, wait));
    }

    /** The same with the process compartment's options all given. */
    public static Image start(ProcessOptions options) throws Exception {
        SourceLocation here = new SourceLocation(Path.of("process-test.yaml"), 1, 1);
        List<CompartmentSpec> compartments = List.of(
                new CompartmentSpec("main", Mechanisms.builtIn().named("fcall"), true, 1 << 20, here),
                new CompartmentSpec("isolated", Mechanisms.builtIn().named("process"), false, 1 << 20, here,
                        options));
        ImageConfig config = new ImageConfig(Path.of("process-test.yaml"), "process-test", "prober", compartments,
                Map.of("probe", new LibraryPlacement("probe", "isolated", List.of(), here)), 1 << 20);
        Mechanisms mechanisms = Mechanisms.builtIn();
        LibraryCatalog catalog = LibraryCatalog.of(List.of(new ProbeLibrary(), new ProberLibrary()));
        return Image.start(new ImageBuilder(catalog, mechanisms).plan(config));
    }

    /**
     * A launcher for the tests of the image's exit: starts an image, prints the compartment's pid, then ends as
     * {@code args[0]} says: {@code wait} (until killed), {@code exit}, {@code throw}.
     */
    public static void main(String[] args) throws Exception {
        Image image = start(SharingStrategy.COPY, 0, RestartPolicy.NEVER, GateWait.SPIN);
        Probe probe = image.gateSeenBy("prober", Probe.class);
        System.out.println("child-pid " + probe.pid());
        System.out.flush();
        switch (args[0]) {
            case "exit" -> System.exit(0);
            case "throw" -> throw new IllegalStateException("the launcher fails");
            default -> Thread.sleep(Long.MAX_VALUE);
        }
    }

    private ProbeLibraries() {
    }
}
