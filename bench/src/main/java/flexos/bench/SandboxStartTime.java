package flexos.bench;

import flexos.core.config.CompartmentSpec;
import flexos.core.config.ImageConfig;
import flexos.core.config.LibraryPlacement;
import flexos.core.config.SharingStrategy;
import flexos.core.image.Image;
import flexos.core.image.ImageBuilder;
import flexos.core.image.LibraryCatalog;
import flexos.core.mechanism.Mechanisms;
import flexos.core.mechanism.process.GateWait;
import flexos.core.mechanism.process.ProcessOptions;
import flexos.core.mechanism.process.RestartPolicy;
import flexos.core.mechanism.process.SandboxMode;
import flexos.core.metadata.SourceLocation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How long a process compartment takes to start with and without its sandbox: starts the gate benchmark's image
 * (one {@code echo} library in a process compartment), makes the first call, and closes it, alternating
 * {@code sandbox: full} and {@code sandbox: none} for {@code args[0]} rounds (default 7) so that the machine's noise
 * hits both alike. Prints every round and the medians in milliseconds. With {@code -Dflexos.sandbox.timing=true}
 * each compartment also prints how long each sandbox layer took to enter.
 */
public final class SandboxStartTime {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        List<Double> full = new ArrayList<>();
        List<Double> none = new ArrayList<>();
        startOnce(SandboxMode.FULL); // warms the image's own code up for both
        for (int round = 0; round < rounds; round++) {
            double f = startOnce(SandboxMode.FULL);
            double n = startOnce(SandboxMode.NONE);
            full.add(f);
            none.add(n);
            System.out.printf("round %d: full %.1f ms, none %.1f ms%n", round + 1, f, n);
        }
        System.out.printf("median start + first call: sandbox full %.1f ms, none %.1f ms (%d rounds)%n",
                median(full), median(none), rounds);
    }

    private static double startOnce(SandboxMode mode) throws Exception {
        SourceLocation here = new SourceLocation(Path.of("sandbox-start-time.yaml"), 1, 1);
        Mechanisms mechanisms = Mechanisms.builtIn();
        List<CompartmentSpec> specs = List.of(
                new CompartmentSpec("app", mechanisms.named("fcall"), true, 1 << 20, here),
                new CompartmentSpec("callee", mechanisms.named("process"), false, 1 << 20, here,
                        new ProcessOptions(SharingStrategy.COPY, 0, RestartPolicy.NEVER, GateWait.BLOCK, mode)));
        ImageConfig config = new ImageConfig(Path.of("sandbox-start-time.yaml"), "sandbox-start-time", "caller",
                specs, Map.of("echo", new LibraryPlacement("echo", "callee", List.of(), here)), 1 << 20);
        LibraryCatalog catalog = LibraryCatalog.of(List.of(new GateLibraries.CallerLibrary(),
                new GateLibraries.EchoLibrary()));
        long began = System.nanoTime();
        Image image = Image.start(new ImageBuilder(catalog, mechanisms).plan(config));
        try {
            if (image.gateSeenBy("caller", Echo.class).add(1, 2) != 3) {
                throw new IllegalStateException("the echo compartment answered wrong");
            }
            return (System.nanoTime() - began) / 1e6;
        } finally {
            image.close();
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private SandboxStartTime() {
    }
}
