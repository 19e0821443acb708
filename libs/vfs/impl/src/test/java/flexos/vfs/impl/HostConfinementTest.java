package flexos.vfs.impl;

import flexos.vfs.api.FileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static flexos.vfs.api.FileSystem.CREATE;
import static flexos.vfs.api.FileSystem.READ;
import static flexos.vfs.api.FileSystem.TRUNCATE;
import static flexos.vfs.api.FileSystem.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The host backend reaches nothing outside its root: symbolic links planted inside it (to a secret file, to an
 * outside directory, on the way or at the end) are refused for every operation, and the secret is never read,
 * changed or removed.
 */
class HostConfinementTest {

    @TempDir
    Path temp;

    private Path root;
    private Path secret;
    private MountedFileSystem fs;
    private final Arena arena = Arena.ofConfined();

    @BeforeEach
    void plantLinks() throws Exception {
        root = Files.createDirectory(temp.resolve("root"));
        Path outside = Files.createDirectory(temp.resolve("outside"));
        secret = Files.writeString(outside.resolve("secret"), "do not touch");
        Files.createSymbolicLink(root.resolve("to-secret"), secret);
        Files.createSymbolicLink(root.resolve("to-outside"), outside);
        Files.createSymbolicLink(root.resolve("dangling"), outside.resolve("not-yet"));
        Files.writeString(root.resolve("plain"), "fine");
        fs = new MountedFileSystem(1 << 20);
        assertEquals(0, fs.mount("host:" + root));
    }

    @AfterEach
    void close() {
        fs.close();
        arena.close();
    }

    @Test
    void aLinkAtTheEndIsRefusedForEveryOperation() throws Exception {
        assertEquals(FileSystem.OUTSIDE_ROOT, fs.open("to-secret", READ));
        assertEquals(FileSystem.OUTSIDE_ROOT, fs.open("to-secret", WRITE | TRUNCATE));
        assertEquals(FileSystem.OUTSIDE_ROOT, fs.size("to-secret"));
        assertEquals(FileSystem.OUTSIDE_ROOT, fs.kind("to-secret"));
        assertEquals(FileSystem.OUTSIDE_ROOT, fs.unlink("to-secret"));
        assertEquals(FileSystem.OUTSIDE_ROOT, fs.rename("to-secret", "mine"));
        assertEquals(FileSystem.OUTSIDE_ROOT, fs.rename("plain", "to-secret"), "nor may a file replace a link");
        assertEquals(FileSystem.OUTSIDE_ROOT, fs.open("dangling", WRITE | CREATE),
                "creating through a dangling link would create a file outside");
        assertEquals("do not touch", Files.readString(secret));
        assertTrue(Files.notExists(temp.resolve("outside/not-yet")));
    }

    @Test
    void aLinkOnTheWayIsRefusedForEveryOperation() throws Exception {
        assertEquals(FileSystem.OUTSIDE_ROOT, fs.open("to-outside/secret", READ));
        assertEquals(FileSystem.OUTSIDE_ROOT, fs.open("to-outside/new", WRITE | CREATE));
        assertEquals(FileSystem.OUTSIDE_ROOT, fs.list("to-outside"));
        assertEquals(FileSystem.OUTSIDE_ROOT, fs.mkdir("to-outside/dir"));
        assertEquals(FileSystem.OUTSIDE_ROOT, fs.unlink("to-outside/secret"));
        assertEquals(FileSystem.OUTSIDE_ROOT, fs.rename("plain", "to-outside/plain"));
        assertEquals(FileSystem.OUTSIDE_ROOT, fs.syncDirectory("to-outside"));
        assertEquals("do not touch", Files.readString(secret));
        assertTrue(Files.notExists(temp.resolve("outside/new")));
        assertTrue(Files.notExists(temp.resolve("outside/dir")));
    }

    @Test
    void dotDotSpelledAnyWayStaysInside() throws Exception {
        for (String path : new String[] {"../outside/secret", "/../outside/secret", "plain/../../outside/secret",
                "./../outside/secret"}) {
            assertEquals(FileSystem.OUTSIDE_ROOT, fs.open(path, READ), path);
        }
        assertEquals("do not touch", Files.readString(secret));
    }

    @Test
    void theRootIsTheRealPathAtMountTimeEvenWhenGivenThroughALink() throws Exception {
        Path link = Files.createSymbolicLink(temp.resolve("root-link"), root);
        MountedFileSystem viaLink = new MountedFileSystem(1024);
        try {
            assertEquals(0, viaLink.mount("host:" + link));
            assertEquals("host:" + root.toRealPath(), viaLink.mounted());
            assertEquals(FileSystem.FILE, viaLink.kind("plain"));
        } finally {
            viaLink.close();
        }
    }

    @Test
    void aPipeInsideTheRootIsRefusedRatherThanBlockingOnIt() throws Exception {
        Process mkfifo = new ProcessBuilder("mkfifo", root.resolve("pipe").toString()).start();
        assumeTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo is not available here");
        assertEquals(FileSystem.DENIED, fs.open("pipe", READ));
        assertEquals(FileSystem.DENIED, fs.kind("pipe"));
    }

    @Test
    void writesThroughTheApiLandInTheRootDirectory() throws Exception {
        int h = fs.open("/made/here.txt", WRITE | CREATE);
        assertEquals(FileSystem.NOT_FOUND, h, "the directory does not exist yet");
        assertEquals(0, fs.mkdir("made"));
        h = fs.open("/made/here.txt", WRITE | CREATE);
        byte[] text = "visible on the host".getBytes(StandardCharsets.UTF_8);
        MemorySegment data = arena.allocate(text.length);
        data.copyFrom(MemorySegment.ofArray(text));
        assertEquals(text.length, fs.write(h, data, 0, text.length));
        assertEquals(0, fs.fsync(h));
        assertEquals(0, fs.close(h));
        assertEquals("visible on the host", Files.readString(root.resolve("made/here.txt")));
    }
}
