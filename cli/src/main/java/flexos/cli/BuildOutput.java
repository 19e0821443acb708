package flexos.cli;

import flexos.core.image.ImagePlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The artefact of {@code flexos build}: {@code <dir>/<image>/image.plan}, the resolved placement and gate table of
 * an image, stamped with the digest of the configuration it came from so that {@code flexos run} can tell whether
 * it is current.
 */
final class BuildOutput {

    private static final String STAMP = "# configuration sha256 ";

    private final Path file;

    BuildOutput(Path buildDir, String imageName) {
        this.file = buildDir.resolve(imageName).resolve("image.plan");
    }

    Path file() {
        return file;
    }

    boolean isCurrentFor(Path config) {
        try {
            return Files.isRegularFile(file) && Files.readAllLines(file).getFirst().equals(STAMP + digest(config));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    void write(ImagePlan plan) {
        try {
            Files.createDirectories(file.getParent());
            String text = STAMP + digest(plan.config().source()) + "\n" + plan.describe();
            Path temporary = file.resolveSibling("image.plan.tmp");
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String digest(Path config) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(Files.readAllBytes(config)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
