package flexos.explore.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report as a person sees it: headless Chromium renders the page and the screenshot must not be blank. An
 * integration test (failsafe, {@code mvn verify}), because it needs Debian's chromium, which only the tests install.
 */
class HtmlReportScreenshotIT {

    @TempDir
    Path dir;

    @Test
    void headlessChromiumRendersTheReport() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        assertTrue(Files.isExecutable(chromium), "the screenshot test needs Debian's chromium package; ./run-tests installs it");
        Path report = dir.resolve("report.html");
        Files.writeString(report, HtmlReportTest.paperReport());
        Path png = dir.resolve("report.png");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + dir.resolve("profile"), "--window-size=1400,1800", "--screenshot=" + png,
                report.toUri().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        try {
            assertTrue(p.waitFor(90, TimeUnit.SECONDS), "chromium did not finish");
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        assertTrue(Files.exists(png), "no screenshot; chromium said: " + Files.readString(dir.resolve("chromium.log")));
        BufferedImage image = ImageIO.read(png.toFile());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 20, "the screenshot looks blank: " + colours.size() + " colours");
    }
}
