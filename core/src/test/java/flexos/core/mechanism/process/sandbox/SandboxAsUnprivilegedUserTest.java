package flexos.core.mechanism.process.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The sandbox when the image is not root: the test (root) starts {@link UnprivilegedImage}, which drops to an
 * unprivileged uid before it starts the sandboxed image. Its compartments then share its uid, so only the Landlock
 * scopes, the system call filter and non-dumpability keep them from the image and from each other; every attempt
 * must still be refused, and the controls (own pid, granted file, declared socket) must still work.
 */
class SandboxAsUnprivilegedUserTest {

    /** Far from the compartments' own uids (from 2^30) and from any account. */
    private static final int UNPRIVILEGED = (1 << 30) - 12_345;

    @Test
    void everyLayerStillRefusesWhenTheImageIsAnUnprivilegedUser() throws Exception {
        assumeTrue(Sandbox.root(), "the test needs root to start an image under another, unprivileged uid");
        List<String> missing = Sandbox.missingFeatures();
        assumeTrue(missing.isEmpty(), "this machine cannot sandbox: " + missing);
        Files.createDirectories(ConfinedLibraries.GRANTED);
        Files.writeString(ConfinedLibraries.GRANTED.resolve("granted.txt"), "granted");
        // Only directories every user can read: the image drops root before it loads most of its classes.
        String classPath = String.join(File.pathSeparator, Path.of("target/classes").toAbsolutePath().toString(),
                Path.of("target/test-classes").toAbsolutePath().toString());
        Path output = Files.createTempFile("flexos-unprivileged-", ".out");
        Process image = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "-XX:-UsePerfData", "--enable-native-access=ALL-UNNAMED", "-cp", classPath,
                UnprivilegedImage.class.getName(), String.valueOf(UNPRIVILEGED))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            assertTrue(image.waitFor(120, TimeUnit.SECONDS), "the unprivileged image did not finish in 120 s");
            String text = Files.readString(output, StandardCharsets.UTF_8);
            assertEquals(0, image.exitValue(), text);
            Map<String, String> checks = new LinkedHashMap<>();
            for (String line : text.lines().toList()) {
                if (line.startsWith("check ")) {
                    String[] parts = line.split(" ", 3);
                    checks.merge(parts[1], parts.length > 2 ? parts[2] : "", (a, b) -> a + " | " + b);
                }
            }
            assertEquals("false", checks.get("image-root"), text);
            assertEquals("true", checks.get("same-uid"), "the compartments keep the image's uid: " + text);
            for (Map.Entry<String, String> check : checks.entrySet()) {
                String name = check.getKey();
                if (name.equals("image-root") || name.equals("same-uid")) {
                    continue;
                }
                if (name.startsWith("control-")) {
                    assertTrue(!check.getValue().startsWith("refused"), name + ": " + check.getValue());
                } else {
                    assertTrue(check.getValue().startsWith("refused") && !check.getValue().contains("|"),
                            name + ": " + check.getValue());
                }
            }
            assertEquals(21, checks.size(), "every check ran: " + checks.keySet());
        } finally {
            image.destroyForcibly().waitFor();
            Files.deleteIfExists(output);
        }
    }
}
