package flexos.core.mechanism.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A caller that calls with its stack nearly full cannot make a {@code StackOverflowError} strike half way through
 * the callee: with the flags {@code ./flexos} sets, the gates' reserved stack zone lets the callee finish, and the
 * overflow reaches the caller after the gate returned. Runs {@link HeadroomProbe} in a JVM of its own, since the
 * flags are the JVM's.
 */
class GateHeadroomTest {

    private static String probe(String... flags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(flags));
        command.addAll(List.of("-Xss1m", "-cp", System.getProperty("java.class.path"), HeadroomProbe.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the probe did not end");
            return output;
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void theCalleeFinishesItsUpdateAndTheCallerGetsTheOverflow() throws Exception {
        String output = probe("-XX:-RestrictReservedStack", "-XX:StackReservedPages=10");
        Matcher result = Pattern.compile("headroom broken=(\\d+) overflows=(\\d+) stopped=(\\w+)").matcher(output);
        assertTrue(result.find(), output);
        assertEquals("0", result.group(1), "the callee was left half updated: " + output.lines().reduce((a, b) -> b).orElse(""));
        assertTrue(Integer.parseInt(result.group(2)) > 0, "no overflow reached the caller, so nothing was tested: "
                + result.group());
        assertEquals("false", result.group(3), "the callee's compartment was stopped: " + result.group());
    }
}
