package flexos.core.mechanism.module;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.core.metadata.HostCapability.FileGrant;
import flexos.core.metadata.HostCapability.FileGrant.Access;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paths a compartment hands the JDK, against its library's {@code Files} grants. */
class FileGrantsTest {

    @TempDir
    Path root;

    private FileGrants grants(FileGrant... grants) {
        return new FileGrants("vfs", List.of(grants), root);
    }

    @Test
    void aPathUnderAGrantIsAllowedAndOneOutsideIsRefused() {
        FileGrants grants = grants(new FileGrant(Access.WRITE, "./data"));
        assertDoesNotThrow(() -> grants.check("Files.createDirectory", new Object[] {root.resolve("data/x")}));
        assertDoesNotThrow(() -> grants.check("Files.exists", new Object[] {Path.of("data/y")}));
        RefusedOperationException e = assertThrows(RefusedOperationException.class,
                () -> grants.check("Files.readAllBytes", new Object[] {root.resolve("data/../secret")}));
        assertTrue(e.getMessage().contains("library vfs declares Files(write: ./data)"), e.getMessage());
    }

    @Test
    void readGrantsDoNotWrite() {
        FileGrants grants = grants(new FileGrant(Access.READ, "."));
        assertDoesNotThrow(() -> grants.check("Files.readAllBytes", new Object[] {root.resolve("a")}));
        assertThrows(RefusedOperationException.class,
                () -> grants.check("Files.delete", new Object[] {root.resolve("a")}));
        assertDoesNotThrow(() -> grants.check("FileChannel.open",
                new Object[] {root.resolve("a"), new StandardOpenOption[] {StandardOpenOption.READ}}));
        assertThrows(RefusedOperationException.class, () -> grants.check("FileChannel.open",
                new Object[] {root.resolve("a"), new StandardOpenOption[] {StandardOpenOption.WRITE}}));
    }

    @Test
    void aLinkOutOfTheGrantIsRefused() throws IOException {
        Files.createDirectories(root.resolve("data"));
        Files.createSymbolicLink(root.resolve("data/mem"), Path.of("/proc/self/mem"));
        Files.createSymbolicLink(root.resolve("data/up"), root);
        FileGrants grants = grants(new FileGrant(Access.WRITE, "./data"));
        RefusedOperationException e = assertThrows(RefusedOperationException.class,
                () -> grants.check("Files.newByteChannel", new Object[] {root.resolve("data/mem")}));
        assertTrue(e.getMessage().contains("resolves to /proc/"), e.getMessage());
        assertThrows(RefusedOperationException.class,
                () -> grants.check("Files.createDirectory", new Object[] {root.resolve("data/up/escaped")}));
    }

    @Test
    void aTemporaryFileWithoutAPathIsCheckedAgainstTheTemporaryDirectory() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        assertThrows(RefusedOperationException.class,
                () -> grants(new FileGrant(Access.WRITE, "./data")).check("Files.createTempFile",
                        new Object[] {"x", ".tmp", new java.nio.file.attribute.FileAttribute<?>[0]}));
        assertDoesNotThrow(() -> grants(new FileGrant(Access.WRITE, tmp.toAbsolutePath().toString()))
                .check("Files.createTempFile", new Object[] {"x", ".tmp", new java.nio.file.attribute.FileAttribute<?>[0]}));
    }

    @Test
    void procAndDevNeedAGrantThatNamesThem() {
        FileGrants relative = new FileGrants("vfs", List.of(new FileGrant(Access.WRITE, ".")), Path.of("/"));
        assertThrows(RefusedOperationException.class,
                () -> relative.check("Files.readAllBytes", new Object[] {Path.of("/proc/self/mem")}));
        assertThrows(RefusedOperationException.class,
                () -> relative.check("Files.readAllBytes", new Object[] {Path.of("/dev/shm/flexos")}));
        FileGrants proc = new FileGrants("debugger", List.of(new FileGrant(Access.READ, "/proc")), root);
        assertDoesNotThrow(() -> proc.check("Files.readAllBytes", new Object[] {Path.of("/proc/self/status")}));
    }
}
