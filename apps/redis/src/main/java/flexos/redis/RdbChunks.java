package flexos.redis;

import flexos.vfs.api.FileSystem;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * An encoded RDB image held in blocks of the compartment heap, filled by an {@link RdbEncoder} and then written to a
 * file in block-sized pieces (small enough for any gate to carry in one call) or copied into one segment (a DUMP
 * reply). Filling it may throw {@link HeapExhausted}; {@link #free} returns every block, and must run on the event
 * loop, which owns the allocator.
 */
final class RdbChunks implements RdbEncoder.Sink {

    /** One block; 256 KiB keeps each write call well within a process gate's 1 MiB slot. */
    static final int CHUNK = 256 * 1024;

    private final Blocks blocks;
    private final List<MemorySegment> chunks = new ArrayList<>();
    private int lastUsed = CHUNK;
    private long size;

    RdbChunks(Blocks blocks) {
        this.blocks = blocks;
    }

    @Override
    public void accept(byte[] bytes, int offset, int length) {
        while (length > 0) {
            if (lastUsed == CHUNK) {
                chunks.add(blocks.allocate(CHUNK));
                lastUsed = 0;
            }
            int n = Math.min(length, CHUNK - lastUsed);
            MemorySegment.copy(bytes, offset, chunks.getLast(), ValueLayout.JAVA_BYTE, lastUsed, n);
            lastUsed += n;
            offset += n;
            length -= n;
            size += n;
        }
    }

    long size() {
        return size;
    }

    /**
     * Writes every byte to an open file.
     *
     * @param pauseNanosPerChunk a pause after each piece ({@code rdb-key-save-delay}, for tests that must catch a save
     *                           in the middle), 0 for none
     * @return 0, or the {@link FileSystem} error code of the write that failed
     */
    int writeTo(FileSystem files, int handle, long pauseNanosPerChunk) {
        for (int i = 0; i < chunks.size(); i++) {
            int length = i == chunks.size() - 1 ? lastUsed : CHUNK;
            int written = files.write(handle, chunks.get(i).asReadOnly(), 0, length);
            if (written < 0) {
                return written;
            }
            if (pauseNanosPerChunk > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(pauseNanosPerChunk);
            }
        }
        return 0;
    }

    /** The bytes as one array (for a DUMP reply, which is small). */
    byte[] toArray() {
        byte[] all = new byte[(int) size];
        int at = 0;
        for (int i = 0; i < chunks.size(); i++) {
            int length = i == chunks.size() - 1 ? lastUsed : CHUNK;
            MemorySegment.copy(chunks.get(i), ValueLayout.JAVA_BYTE, 0, all, at, length);
            at += length;
        }
        return all;
    }

    void free() {
        for (MemorySegment chunk : chunks) {
            blocks.free(chunk);
        }
        chunks.clear();
        lastUsed = CHUNK;
        size = 0;
    }
}
