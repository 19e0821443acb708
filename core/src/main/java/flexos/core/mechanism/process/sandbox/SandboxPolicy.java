package flexos.core.mechanism.process.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * What one compartment process is confined to, computed by the image from the compartment's libraries' {@code [Host]}
 * clauses and handed to the process on its command line ({@link #encode()}); the process applies it with
 * {@link Sandbox#enter} before any library code is loaded.
 *
 * @param uid        the identity to take (user and group), or -1 to keep the image's (the image is not root)
 * @param readPaths  files and directories it may read beneath (the JDK, its class and module path, what a JVM
 *                   reads, the {@code Files(read: ...)} grants), absolute
 * @param writePaths files and directories it may write beneath (the {@code Files(write: ...)} grants), absolute
 * @param listen     whether it may bind TCP sockets ({@code Sockets(listen)})
 * @param connect    whether it may connect TCP sockets ({@code Sockets(connect)})
 * @param maxFiles   its {@code RLIMIT_NOFILE}
 * @param maxThreads its {@code RLIMIT_NPROC} when it has its own uid (the limit counts that uid's threads)
 */
public record SandboxPolicy(int uid, List<String> readPaths, List<String> writePaths, boolean listen,
                            boolean connect, long maxFiles, long maxThreads) {

    public SandboxPolicy {
        readPaths = List.copyOf(readPaths);
        writePaths = List.copyOf(writePaths);
        for (String path : readPaths) {
            requireAbsolute(path);
        }
        for (String path : writePaths) {
            requireAbsolute(path);
        }
        if (maxFiles <= 0 || maxThreads <= 0) {
            throw new IllegalArgumentException("limits must be positive: " + maxFiles + ", " + maxThreads);
        }
    }

    private static void requireAbsolute(String path) {
        if (!path.startsWith("/") || path.contains("\n")) {
            throw new IllegalArgumentException("a sandbox path must be absolute and on one line: " + path);
        }
    }

    /** One command-line argument (Base64 of one line per item). */
    public String encode() {
        StringBuilder text = new StringBuilder();
        text.append("uid ").append(uid).append('\n');
        text.append("files ").append(maxFiles).append('\n');
        text.append("threads ").append(maxThreads).append('\n');
        if (listen) {
            text.append("listen\n");
        }
        if (connect) {
            text.append("connect\n");
        }
        readPaths.forEach(p -> text.append("read ").append(p).append('\n'));
        writePaths.forEach(p -> text.append("write ").append(p).append('\n'));
        return Base64.getEncoder().encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The policy {@link #encode()} wrote; throws {@link IllegalArgumentException} on anything else. */
    public static SandboxPolicy decode(String argument) {
        String text = new String(Base64.getDecoder().decode(argument), StandardCharsets.UTF_8);
        int uid = -2;
        long files = -1;
        long threads = -1;
        boolean listen = false;
        boolean connect = false;
        List<String> read = new ArrayList<>();
        List<String> write = new ArrayList<>();
        for (String line : text.split("\n")) {
            int space = line.indexOf(' ');
            String key = space < 0 ? line : line.substring(0, space);
            String value = space < 0 ? "" : line.substring(space + 1);
            switch (key) {
                case "uid" -> uid = Integer.parseInt(value);
                case "files" -> files = Long.parseLong(value);
                case "threads" -> threads = Long.parseLong(value);
                case "listen" -> listen = true;
                case "connect" -> connect = true;
                case "read" -> read.add(value);
                case "write" -> write.add(value);
                default -> throw new IllegalArgumentException("unknown sandbox policy line: " + line);
            }
        }
        if (uid < -1) {
            throw new IllegalArgumentException("the sandbox policy has no uid");
        }
        return new SandboxPolicy(uid, read, write, listen, connect, files, threads);
    }
}
