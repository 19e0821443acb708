package flexos.vfs.impl;

import flexos.vfs.api.FileSystem;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static flexos.vfs.api.FileSystem.CREATE;
import static flexos.vfs.api.FileSystem.READ;
import static flexos.vfs.api.FileSystem.TRUNCATE;
import static flexos.vfs.api.FileSystem.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The memory backend's capacity bounds what a caller can make it hold, removed-but-open files included. */
class MemoryBackendTest {

    private final MemorySegment kilobyte = MemorySegment.ofArray(new byte[1024]);

    @Test
    void writesBeyondTheCapacityAreNoSpaceAndRemovingFilesFreesIt() {
        MountedFileSystem fs = new MountedFileSystem(4096);
        assertEquals(0, fs.mount("memory:"));
        int h = fs.open("a", WRITE | CREATE);
        for (int i = 0; i < 4; i++) {
            assertEquals(1024, fs.write(h, kilobyte, 0, 1024));
        }
        assertEquals(FileSystem.NO_SPACE, fs.write(h, kilobyte, 0, 1));
        fs.close(h);
        assertEquals(FileSystem.NO_SPACE, fs.write(fs.open("b", WRITE | CREATE), kilobyte, 0, 1));
        assertEquals(0, fs.unlink("a"));
        int b = fs.open("b", WRITE);
        assertEquals(1024, fs.write(b, kilobyte, 0, 1024), "the removed file's bytes are free again");
        fs.close();
    }

    @Test
    void aRemovedFileStillOpenKeepsCountingUntilItsLastHandleCloses() {
        MountedFileSystem fs = new MountedFileSystem(2048);
        assertEquals(0, fs.mount("memory:"));
        int held = fs.open("held", READ | WRITE | CREATE);
        assertEquals(2048, fs.write(held, MemorySegment.ofArray(new byte[2048]), 0, 2048));
        assertEquals(0, fs.unlink("held"));
        int other = fs.open("other", WRITE | CREATE);
        assertEquals(FileSystem.NO_SPACE, fs.write(other, kilobyte, 0, 1), "the open file still holds its bytes");
        assertEquals(FileSystem.NO_SPACE, fs.write(held, kilobyte, 0, 1), "nor can it grow beyond the capacity");
        fs.close(held);
        assertEquals(1024, fs.write(other, kilobyte, 0, 1024));
        int truncated = fs.open("other", WRITE | TRUNCATE);
        fs.close(truncated);
        assertEquals(0, fs.size("other"));
        fs.close();
    }
}
