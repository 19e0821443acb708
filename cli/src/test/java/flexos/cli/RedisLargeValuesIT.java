package flexos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values larger than a call slot (1 MiB) under {@code redis-process-net} behave as under {@code redis-fcall}
 * (issue 12 item 4): {@code redis-cli -x set} of a 2 MB value no longer takes the image down, and a 512 MiB value
 * (Redis's largest bulk string) is stored and read back byte for byte by both images. The two images run one after
 * the other, each with a 3 GiB application heap (the query buffer and the stored value), to keep the machine's memory
 * sane.
 */
class RedisLargeValuesIT {

    @TempDir
    static Path dir;
    private static Path small;
    private static Path huge;

    @BeforeAll
    static void values() throws IOException {
        small = dir.resolve("2mb");
        huge = dir.resolve("512mib");
        writeValue(small, 2_000_000, 1);
        writeValue(huge, 512L << 20, 2);
    }

    /** Printable pseudo-random bytes (redis-cli -x keeps a final newline, so none is written). */
    private static void writeValue(Path file, long size, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += block.length) {
                for (int i = 0; i < block.length; i++) {
                    block[i] = (byte) ('a' + random.nextInt(26));
                }
                out.write(block, 0, (int) Math.min(block.length, size - written));
            }
        }
    }

    private static Path config(String mechanismOfNet) throws IOException {
        String yaml = "image: redis-large-" + mechanismOfNet + "\napplication: redis\ncompartments:\n"
                + "  - name: main\n    mechanism: fcall\n    default: true\n    heap: 3GiB\n"
                + (mechanismOfNet.equals("process")
                ? "  - name: network\n    mechanism: process\nlibraries:\n  net:\n    compartment: network\n" : "");
        Path file = dir.resolve("redis-large-" + mechanismOfNet + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void underFcall() throws Exception {
        setAndGetLargeValues(config("fcall"));
    }

    @Test
    void underProcessNet() throws Exception {
        setAndGetLargeValues(config("process"));
    }

    private static void setAndGetLargeValues(Path config) throws Exception {
        try (RunningImage image = RunningImage.start(config.toString())) {
            for (Path value : new Path[] {small, huge}) {
                String key = value.getFileName().toString();
                assertEquals("OK", redisCli(image, value, null, "-x", "set", key).strip(), image.output());
                assertEquals(Long.toString(Files.size(value)), redisCli(image, null, null, "strlen", key).strip());
                Path got = dir.resolve(key + ".got");
                redisCli(image, null, got, "get", key);
                // redis-cli adds a newline after the value.
                assertEquals(Files.size(value) + 1, Files.size(got));
                assertEquals(digest(value, Files.size(value)), digest(got, Files.size(value)), "the value read back");
                Files.delete(got);
                assertEquals("1", redisCli(image, null, null, "del", key).strip());
            }
            assertEquals("PONG", redisCli(image, null, null, "ping").strip());
            assertTrue(image.process().isAlive(), image.output());
        }
    }

    /** Runs redis-cli with {@code in} as its input and its output to {@code out} (or returned), at most 5 minutes. */
    private static String redisCli(RunningImage image, Path in, Path out, String... args)
            throws IOException, InterruptedException {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("redis-cli", "-p",
                Integer.toString(image.port())));
        command.addAll(java.util.List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        if (in != null) {
            builder.redirectInput(in.toFile());
        }
        Path output = out != null ? out : dir.resolve("cli.out");
        builder.redirectOutput(output.toFile());
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(command + " did not finish within 5 minutes\n" + image.output());
        }
        assertEquals(0, process.exitValue(), command + " failed\n" + image.output());
        return out != null ? "" : Files.readString(output, StandardCharsets.UTF_8);
    }

    private static String digest(Path file, long bytes) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            long left = bytes;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    break;
                }
                sha.update(buffer, 0, n);
                left -= n;
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
