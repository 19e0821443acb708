package flexos.core.mechanism.module;

import flexos.core.metadata.HostCapability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * A library's {@code [Host] Files(...)} grants, checked on every path its code hands {@code java.nio.file.Files},
 * {@code FileChannel.open} or {@code Path.toRealPath} ({@link ConfinedCalls#route}). A path is allowed when it lies
 * under a grant, after resolving it against the working directory and normalizing it, and, for the part of it that
 * exists, after resolving its symbolic links: a link under a grant that points elsewhere is refused. Writing needs a
 * {@code write:} grant. Under {@code /proc} and {@code /dev} only a grant that names them allows anything, whatever
 * a relative grant resolves to.
 *
 * <p>Not covered: a link swapped in between the check and the JDK's own use of the path (the check and the call are
 * not one system call); use {@code process} against an attacker that races the file system.
 */
final class FileGrants {

    /** {@code Files} members that only read. Every other member of {@code Files} needs a write grant. */
    private static final Set<String> READS = Set.of("exists", "notExists", "isDirectory", "isRegularFile",
            "isSymbolicLink", "isReadable", "isWritable", "isExecutable", "isHidden", "isSameFile", "size",
            "readAttributes", "getAttribute", "getLastModifiedTime", "getOwner", "getPosixFilePermissions",
            "readAllBytes", "readAllLines", "readString", "lines", "list", "walk", "find", "newDirectoryStream",
            "newInputStream", "newBufferedReader", "probeContentType", "readSymbolicLink", "mismatch",
            "getFileStore", "toRealPath");
    private static final Set<? extends OpenOption> WRITES = Set.of(StandardOpenOption.WRITE, StandardOpenOption.APPEND,
            StandardOpenOption.CREATE, StandardOpenOption.CREATE_NEW, StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.DELETE_ON_CLOSE);
    private static final List<Path> MEMORY_ROOTS = List.of(Path.of("/proc"), Path.of("/dev"));

    private final String library;
    private final List<HostCapability.FileGrant> grants;
    private final Path workingDirectory;

    FileGrants(String library, List<HostCapability.FileGrant> grants, Path workingDirectory) {
        this.library = library;
        this.grants = List.copyOf(grants);
        this.workingDirectory = workingDirectory.toAbsolutePath().normalize();
    }

    /**
     * Checks the arguments of a call of {@code member} ({@code Files.newByteChannel}, {@code Path.toRealPath}):
     * every {@link Path} among them, as a write unless the member only reads or its open options only read.
     *
     * @throws RefusedOperationException naming the path, the member and the library
     */
    void check(String member, Object[] arguments) {
        boolean write = !READS.contains(member.substring(member.indexOf('.') + 1));
        if (member.endsWith(".open") || member.endsWith(".newByteChannel")) {
            write = false;
            for (Object argument : arguments) {
                write |= argument instanceof OpenOption[] options && List.of(options).stream().anyMatch(WRITES::contains)
                        || argument instanceof Collection<?> set && set.stream().anyMatch(WRITES::contains);
            }
        }
        boolean anyPath = false;
        for (Object argument : arguments) {
            if (argument instanceof Path path) {
                checkPath(member, path, write);
                anyPath = true;
            }
        }
        if (!anyPath) {
            // Files.createTempFile(prefix, suffix) and createTempDirectory(prefix) write in the JVM's temporary
            // directory without naming it.
            if (!member.startsWith("Files.createTemp")) {
                throw new RefusedOperationException(member + " names no path to check; it is refused to library "
                        + library);
            }
            checkPath(member, Path.of(System.getProperty("java.io.tmpdir")), true);
        }
    }

    private void checkPath(String member, Path path, boolean write) {
        Path absolute = workingDirectory.resolve(path).normalize();
        if (!allowed(absolute, write)) {
            throw refusal(member, path, write, "");
        }
        Path real;
        try {
            real = realPart(absolute);
        } catch (IOException e) {
            throw refusal(member, path, write, " (a link on it cannot be resolved: " + e.getMessage() + ")");
        }
        if (real != null && !allowed(real, write)) {
            throw refusal(member, path, write, " (it resolves to " + real + ")");
        }
    }

    private RefusedOperationException refusal(String member, Path path, boolean write, String how) {
        return new RefusedOperationException(member + " on " + path + how + " is refused: library " + library
                + " declares " + (grants.isEmpty() ? "no Files grant" : new HostCapability.Files(grants).syntax())
                + (write ? " and this call writes" : ""));
    }

    private boolean allowed(Path absolute, boolean write) {
        boolean memory = MEMORY_ROOTS.stream().anyMatch(absolute::startsWith);
        for (HostCapability.FileGrant grant : grants) {
            if (write && grant.access() != HostCapability.FileGrant.Access.WRITE) {
                continue;
            }
            if (memory && !grant.reachesProcessMemory()) {
                continue;
            }
            if (absolute.startsWith(grant.resolve(workingDirectory))) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code absolute} with the links of its deepest existing ancestor (itself included) resolved, or null when
     * nothing of it exists.
     *
     * @throws IOException if that ancestor is a link that leads nowhere
     */
    private static Path realPart(Path absolute) throws IOException {
        Path existing = absolute;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return null;
        }
        return existing.toRealPath().resolve(existing.relativize(absolute));
    }
}
