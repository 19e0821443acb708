package flexos.core.mechanism.mpk;

import flexos.core.config.ConfigParser;
import flexos.core.config.ImageConfig;
import flexos.core.image.Image;
import flexos.core.image.ImageBuilder;
import flexos.core.image.LibraryCatalog;
import flexos.core.mechanism.Mechanisms;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * One mpk image scenario, in a JVM of its own ({@link MpkImageTest} starts it): a protection-key fault stops the
 * JVM it happens in. The image has the vault and the driver in compartment {@code trusted} and the intruder in
 * {@code hostile}, both mpk; the worker is in {@code worker}. Prints {@code ready} before the act and
 * {@code survived: ...} if the act returns.
 */
public final class MpkScenarios {

    static final long SECRET = 0x5EC7E7L;

    private MpkScenarios() {
    }

    public static void main(String[] args) throws Exception {
        Mechanisms mechanisms = Mechanisms.builtIn();
        ImageBuilder builder = new ImageBuilder(LibraryCatalog.of(MpkTestLibraries.all()), mechanisms);
        String yaml = """
                image: mpk-scenario
                application: mpk-driver
                shared_heap: 1MiB
                compartments:
                  - {name: trusted, mechanism: mpk, default: true, heap: 1MiB}
                  - {name: hostile, mechanism: mpk, heap: 1MiB}
                  - {name: worker, mechanism: mpk, heap: 1MiB}
                libraries:
                  mpk-intruder: {compartment: hostile}
                  mpk-worker: {compartment: worker}
                """;
        ImageConfig config = ConfigParser.parse(yaml, Path.of("mpk-scenario.yaml"), builder.vocabulary());
        try (Image image = Image.start(builder.plan(config))) {
            MpkTestLibraries.Secrets vault = image.gateSeenBy("mpk-driver", MpkTestLibraries.Secrets.class);
            MpkTestLibraries.Intruder intruder = image.gateSeenBy("mpk-driver", MpkTestLibraries.Intruder.class);
            vault.seal(SECRET);
            long address = vault.address();
            System.out.println("ready");
            System.out.flush();
            String survived = switch (args[0]) {
                case "read-other-heap" -> Long.toHexString(intruder.readAt(address));
                case "write-other-heap" -> {
                    intruder.writeAt(address, 0);
                    yield Long.toHexString(vault.secret());
                }
                case "outside-thread" -> Long.toHexString(MemorySegment.ofAddress(address).reinterpret(8)
                        .get(ValueLayout.JAVA_LONG, 0));
                case "exit-without-close" -> {
                    System.exit(0);
                    yield "never";
                }
                case "jvm-needs" -> image.gateSeenBy("mpk-driver", MpkTestLibraries.JvmWork.class).work();
                default -> throw new IllegalArgumentException("no scenario " + args[0]);
            };
            System.out.println("survived: " + survived);
            System.out.println("secret: " + Long.toHexString(vault.secret()));
        }
    }
}
