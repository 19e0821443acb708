package flexos.attacks;

import flexos.core.config.CompartmentSpec;
import flexos.core.config.ImageConfig;
import flexos.core.config.LibraryPlacement;
import flexos.core.hardening.HardeningOption;
import flexos.core.image.Image;
import flexos.core.image.ImageBuilder;
import flexos.core.image.LibraryCatalog;
import flexos.core.mechanism.Mechanisms;
import flexos.core.metadata.SourceLocation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs each hardening fault twice, in an image of one {@code fcall} compartment: once with its option on the library
 * it hardens and once without. Hardening belongs to a library, not to a boundary, so one compartment shows it; the
 * faults corrupt only their own image's heap, so they run in this JVM.
 */
public final class HardeningFaults {

    private HardeningFaults() {
    }

    /** Runs {@code faults}, each with and then without its option; {@code progress} hears about each result. */
    public static List<FaultResult> run(List<HardeningFault> faults, Consumer<FaultResult> progress) {
        List<FaultResult> results = new ArrayList<>();
        for (HardeningFault fault : faults) {
            for (boolean hardened : new boolean[] {true, false}) {
                FaultResult result = run(fault, hardened);
                progress.accept(result);
                results.add(result);
            }
        }
        return results;
    }

    /** One run of {@code fault}, with or without its option. */
    public static FaultResult run(HardeningFault fault, boolean hardened) {
        Mechanisms mechanisms = Mechanisms.builtIn();
        try {
            ImageBuilder builder = new ImageBuilder(LibraryCatalog.of(fault.libraries().get()), mechanisms);
            try (Image image = Image.start(builder.plan(config(fault, hardened)))) {
                int damaged = image.run(fault.args());
                return new FaultResult(fault.name(), hardened, FaultOutcome.MISSED, "ran unreported; "
                        + (damaged == 1 ? fault.damage() : "no damage seen"));
            }
        } catch (Exception e) {
            Throwable report = reportIn(fault, e);
            if (report != null) {
                return new FaultResult(fault.name(), hardened, FaultOutcome.CAUGHT, firstLine(report.getMessage()));
            }
            return new FaultResult(fault.name(), hardened, FaultOutcome.MISSED, "failed unreported: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage())));
        }
    }

    /** The option's report in {@code thrown}'s cause chain: of the fault's report type, naming the application. */
    private static Throwable reportIn(HardeningFault fault, Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (fault.report().isInstance(t) && t.getMessage() != null && t.getMessage().contains(fault.application())
                    && t.getMessage().contains(fault.option())) {
                return t;
            }
        }
        return null;
    }

    private static String firstLine(String message) {
        return message.lines().findFirst().orElse("").strip();
    }

    private static ImageConfig config(HardeningFault fault, boolean hardened) {
        Path source = Path.of("fault-" + fault.name() + ".yaml");
        SourceLocation here = new SourceLocation(source, 1, 1);
        Map<String, LibraryPlacement> libraries = new LinkedHashMap<>();
        if (hardened) {
            libraries.put(fault.hardened(), new LibraryPlacement(fault.hardened(), "main", List.of(HardeningOption.named(fault.option()).orElseThrow()),
                    new SourceLocation(source, 4, 3)));
        }
        return new ImageConfig(source, "fault-" + fault.name(), fault.application(),
                List.of(new CompartmentSpec("main", Mechanisms.builtIn().named("fcall"), true, 1 << 20, here)), libraries, 1 << 20);
    }
}
