package flexos.vfs.impl;

import flexos.vfs.api.FileErrors;
import flexos.vfs.api.FileSystem;
import flexos.vfs.api.VfsException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static flexos.vfs.api.FileSystem.APPEND;
import static flexos.vfs.api.FileSystem.CREATE;
import static flexos.vfs.api.FileSystem.EXCLUSIVE;
import static flexos.vfs.api.FileSystem.READ;
import static flexos.vfs.api.FileSystem.TRUNCATE;
import static flexos.vfs.api.FileSystem.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@link FileSystem} contract, the same for both backends: every test runs on {@code memory:} and on {@code host:}. */
class FileSystemContractTest {

    @TempDir
    Path hostRoot;

    private final Arena arena = Arena.ofConfined();
    private MountedFileSystem fs;

    private FileSystem mount(String backend) {
        fs = new MountedFileSystem(1 << 20);
        String source = backend.equals("memory") ? "memory:" : "host:" + hostRoot;
        assertEquals(0, fs.mount(source));
        return fs;
    }

    @AfterEach
    void close() {
        if (fs != null) {
            fs.close();
        }
        arena.close();
    }

    private MemorySegment bytes(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        MemorySegment s = arena.allocate(Math.max(1, b.length));
        MemorySegment.copy(b, 0, s, ValueLayout.JAVA_BYTE, 0, b.length);
        return s.asSlice(0, b.length);
    }

    private void writeFile(FileSystem fs, String path, String text) {
        int h = fs.open(path, WRITE | CREATE | TRUNCATE);
        assertTrue(h >= 0, FileErrors.describe(h));
        MemorySegment data = bytes(text);
        assertEquals((int) data.byteSize(), fs.write(h, data, 0, (int) data.byteSize()));
        assertEquals(0, fs.fsync(h));
        assertEquals(0, fs.close(h));
    }

    private String readFile(FileSystem fs, String path) {
        int h = fs.open(path, READ);
        assertTrue(h >= 0, path + ": " + FileErrors.describe(h));
        MemorySegment buffer = arena.allocate(7);
        StringBuilder text = new StringBuilder();
        int n;
        while ((n = fs.read(h, buffer, 0, 7)) > 0) {
            byte[] chunk = new byte[n];
            MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, chunk, 0, n);
            text.append(new String(chunk, StandardCharsets.UTF_8));
        }
        assertEquals(0, n, "a read past the end returns 0");
        fs.close(h);
        return text.toString();
    }

    private static List<String> names(FileSystem fs, String directory) {
        int listing = fs.list(directory);
        assertTrue(listing >= 0, FileErrors.describe(listing));
        List<String> names = new ArrayList<>();
        for (String name; (name = fs.nextName(listing)) != null; ) {
            names.add(name);
        }
        fs.close(listing);
        return names;
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "host"})
    void writtenBytesReadBackInChunksFromTheStart(String backend) {
        FileSystem fs = mount(backend);
        writeFile(fs, "/notes.txt", "hello, file system of the library OS");
        assertEquals("hello, file system of the library OS", readFile(fs, "notes.txt"));
        assertEquals(36, fs.size("//notes.txt"));
        assertEquals(FileSystem.FILE, fs.kind("./notes.txt"));
        assertEquals(FileSystem.DIRECTORY, fs.kind("/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "host"})
    void openFlagsCreateExclusiveTruncateAndAppendAsPosix(String backend) {
        FileSystem fs = mount(backend);
        assertEquals(FileSystem.NOT_FOUND, fs.open("missing", READ));
        writeFile(fs, "f", "abc");
        assertEquals(FileSystem.EXISTS, fs.open("f", WRITE | CREATE | EXCLUSIVE));
        int append = fs.open("f", WRITE | APPEND);
        fs.write(append, bytes("def"), 0, 3);
        fs.close(append);
        assertEquals("abcdef", readFile(fs, "f"));
        int overwrite = fs.open("f", WRITE);
        fs.write(overwrite, bytes("XY"), 0, 2);
        fs.close(overwrite);
        assertEquals("XYcdef", readFile(fs, "f"));
        int truncate = fs.open("f", WRITE | TRUNCATE);
        fs.close(truncate);
        assertEquals(0, fs.size("f"));
        int fresh = fs.open("new", READ | WRITE | CREATE | EXCLUSIVE);
        assertTrue(fresh >= 0);
        fs.close(fresh);
        assertEquals(0, fs.size("new"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "host"})
    void directoriesAreMadeListedInByteOrderAndRemovedOnlyWhenEmpty(String backend) {
        FileSystem fs = mount(backend);
        assertEquals(0, fs.mkdir("data"));
        assertEquals(FileSystem.EXISTS, fs.mkdir("data"));
        assertEquals(FileSystem.NOT_FOUND, fs.mkdir("no/such/parent"));
        writeFile(fs, "data/b", "2");
        writeFile(fs, "data/a", "1");
        writeFile(fs, "data/Z", "0");
        assertEquals(0, fs.mkdir("data/sub"));
        assertEquals(List.of("Z", "a", "b", "sub"), names(fs, "data"));
        assertEquals(FileSystem.NOT_DIRECTORY, fs.list("data/a"));
        assertEquals(FileSystem.NOT_DIRECTORY, fs.open("data/a/inside", READ), "a file on the way is not a directory");
        assertEquals(FileSystem.IS_DIRECTORY, fs.open("data", READ));
        assertEquals(FileSystem.IS_DIRECTORY, fs.size("data"));
        assertEquals(FileSystem.IS_DIRECTORY, fs.unlink("data/sub"));
        assertEquals(FileSystem.NOT_EMPTY, fs.rmdir("data"));
        assertEquals(FileSystem.NOT_DIRECTORY, fs.rmdir("data/a"));
        assertEquals(0, fs.rmdir("data/sub"));
        assertEquals(0, fs.syncDirectory("data"));
        assertEquals(FileSystem.NOT_DIRECTORY, fs.syncDirectory("data/a"));
        for (String name : List.of("a", "b", "Z")) {
            assertEquals(0, fs.unlink("data/" + name));
        }
        assertEquals(FileSystem.NOT_FOUND, fs.unlink("data/a"));
        assertEquals(0, fs.rmdir("data"));
        assertEquals(List.of(), names(fs, "/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "host"})
    void renameReplacesTheTargetAtomicallyAndOpenHandlesKeepTheirFile(String backend) {
        FileSystem fs = mount(backend);
        writeFile(fs, "dump.rdb", "old snapshot");
        int reader = fs.open("dump.rdb", READ);
        writeFile(fs, "temp-1.rdb", "new snapshot");
        assertEquals(0, fs.rename("temp-1.rdb", "dump.rdb"));
        assertEquals(FileSystem.NOT_FOUND, fs.kind("temp-1.rdb"));
        assertEquals("new snapshot", readFile(fs, "dump.rdb"));
        MemorySegment buffer = arena.allocate(64);
        int n = fs.read(reader, buffer, 0, 64);
        assertEquals("old snapshot", new String(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8),
                "a handle opened before the rename still reads the file it opened");
        fs.close(reader);
        assertEquals(FileSystem.NOT_FOUND, fs.rename("temp-1.rdb", "x"));
        assertEquals(0, fs.mkdir("dir"));
        assertEquals(FileSystem.IS_DIRECTORY, fs.rename("dump.rdb", "dir"));
        assertEquals(FileSystem.INVALID_PATH, fs.rename("dir", "dir/inside"));
        assertEquals(FileSystem.INVALID_PATH, fs.rename("/", "elsewhere"));
        assertEquals(0, fs.rename("dump.rdb", "dir/dump.rdb"));
        assertEquals("new snapshot", readFile(fs, "dir/dump.rdb"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "host"})
    void anUnlinkedFileStaysReadableThroughItsHandle(String backend) {
        FileSystem fs = mount(backend);
        writeFile(fs, "gone", "still here");
        int h = fs.open("gone", READ);
        assertEquals(0, fs.unlink("gone"));
        assertEquals(FileSystem.NOT_FOUND, fs.kind("gone"));
        MemorySegment buffer = arena.allocate(32);
        assertEquals(10, fs.read(h, buffer, 0, 32));
        assertEquals(0, fs.close(h));
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "host"})
    void malformedPathsAreRefusedAndDotDotNeverClimbs(String backend) {
        FileSystem fs = mount(backend);
        writeFile(fs, "inside", "x");
        assertEquals(FileSystem.OUTSIDE_ROOT, fs.open("../inside", READ));
        assertEquals(FileSystem.OUTSIDE_ROOT, fs.open("a/../inside", READ), "'..' is refused, not resolved");
        assertEquals(FileSystem.OUTSIDE_ROOT, fs.kind(".."));
        assertEquals(FileSystem.OUTSIDE_ROOT, fs.rename("inside", "../outside"));
        assertEquals(FileSystem.INVALID_PATH, fs.open("nul\0byte", READ));
        assertEquals(FileSystem.INVALID_PATH, fs.open("x".repeat(FileSystem.MAX_NAME_BYTES + 1), READ | WRITE | CREATE));
        assertEquals(FileSystem.INVALID_PATH, fs.kind("a/".repeat(FileSystem.MAX_PATH_BYTES / 2 + 1)));
        assertEquals(FileSystem.INVALID_PATH, fs.open(null, READ));
        assertEquals(FileSystem.IS_DIRECTORY, fs.open("/", READ));
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "host"})
    void misuseThrowsAndOrdinaryFailuresAreValues(String backend) {
        FileSystem fs = mount(backend);
        MemorySegment buffer = arena.allocate(8);
        assertThrows(VfsException.class, () -> fs.read(3, buffer, 0, 8), "never opened");
        assertThrows(VfsException.class, () -> fs.open("f", CREATE), "neither READ nor WRITE");
        assertThrows(VfsException.class, () -> fs.open("f", READ | 1024), "unknown flag bits");
        int h = fs.open("f", READ | WRITE | CREATE);
        assertThrows(IndexOutOfBoundsException.class, () -> fs.write(h, buffer, 4, 5));
        assertThrows(VfsException.class, () -> fs.read(h, buffer.asReadOnly(), 0, 8));
        assertThrows(VfsException.class, () -> fs.nextName(h), "a file is not a listing");
        fs.close(h);
        assertThrows(VfsException.class, () -> fs.close(h), "closed twice");
        int readOnly = fs.open("f", READ);
        assertThrows(VfsException.class, () -> fs.write(readOnly, buffer, 0, 1));
        int listing = fs.list("/");
        assertThrows(VfsException.class, () -> fs.read(listing, buffer, 0, 1), "a listing is not a file");
        assertTrue(FileErrors.describe(FileSystem.OUTSIDE_ROOT).contains("root"));
        assertEquals("No such file or directory", FileErrors.describe(FileSystem.NOT_FOUND));
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "host"})
    void handlesAreTheLowestFreeNumbersAndBounded(String backend) {
        FileSystem fs = mount(backend);
        writeFile(fs, "f", "x");
        int a = fs.open("f", READ);
        int b = fs.open("f", READ);
        assertEquals(a + 1, b);
        fs.close(a);
        assertEquals(a, fs.open("f", READ), "a closed number is handed out again");
        List<Integer> open = new ArrayList<>();
        int h;
        while ((h = fs.open("f", READ)) >= 0) {
            open.add(h);
        }
        assertEquals(FileSystem.TOO_MANY_OPEN, h);
        assertEquals(FileSystem.MAX_HANDLES, this.fs.openHandles());
        open.forEach(fs::close);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "host"})
    void mountingIsOnceAndNothingWorksBeforeIt(String backend) {
        MountedFileSystem unmounted = new MountedFileSystem(1024);
        assertThrows(VfsException.class, () -> unmounted.open("f", READ));
        assertNull(unmounted.mounted());
        assertEquals(FileSystem.INVALID_PATH, unmounted.mount("ftp://elsewhere"));
        assertEquals(FileSystem.NOT_FOUND, unmounted.mount("host:" + hostRoot.resolve("missing")));
        FileSystem fs = mount(backend);
        String mounted = fs.mounted();
        assertEquals(FileSystem.BUSY, fs.mount("memory:"));
        assertEquals(FileSystem.BUSY, fs.mount("host:/"));
        assertEquals(mounted, fs.mounted(), "a second mount changes nothing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "host"})
    void twoThreadsWritingTwoFilesEachGetTheirOwnBytes(String backend) throws Exception {
        FileSystem fs = mount(backend);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (String name : List.of("left", "right")) {
                done.add(pool.submit(() -> {
                    try (Arena own = Arena.ofConfined()) {
                        MemorySegment chunk = own.allocate(1000);
                        chunk.fill((byte) name.charAt(0));
                        int h = fs.open(name, WRITE | CREATE);
                        for (int i = 0; i < 50; i++) {
                            assertEquals(1000, fs.write(h, chunk, 0, 1000));
                        }
                        assertEquals(0, fs.fsync(h));
                        fs.close(h);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(50_000, fs.size("left"));
        assertEquals(50_000, fs.size("right"));
        String right = readFile(fs, "right");
        assertTrue(right.chars().allMatch(c -> c == 'r'));
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "host"})
    void readsAndWritesOfOneHandleShareItsPosition(String backend) {
        FileSystem fs = mount(backend);
        int h = fs.open("sparse", READ | WRITE | CREATE);
        fs.write(h, bytes("ab"), 0, 2);
        fs.close(h);
        int again = fs.open("sparse", READ | WRITE);
        MemorySegment skip = arena.allocate(2);
        assertEquals(2, fs.read(again, skip, 0, 2));
        fs.write(again, bytes("cd"), 0, 2);
        fs.close(again);
        assertEquals("abcd", readFile(fs, "sparse"), "the write went where the read stopped");
    }
}
