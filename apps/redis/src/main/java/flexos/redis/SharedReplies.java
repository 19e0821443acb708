package flexos.redis;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * The replies every client sends often, prebuilt once in off-heap blocks (as Redis's {@code shared} objects) so that
 * answering {@code SET} or a miss is one {@code memcpy}; plus a scratch block for number formatting. Freed when the
 * server stops.
 */
final class SharedReplies {

    final MemorySegment ok;
    final MemorySegment pong;
    final MemorySegment zero;
    final MemorySegment one;
    final MemorySegment nullBulk;
    final MemorySegment nullArray;
    final MemorySegment emptyArray;
    final MemorySegment crlf;
    final MemorySegment wrongType;
    final MemorySegment notInteger;
    final MemorySegment syntaxError;
    final MemorySegment outOfMemory;
    /** Room for one formatted number, for replies whose length prefix depends on it. */
    final MemorySegment scratch;

    private final Blocks blocks;

    SharedReplies(Blocks blocks) {
        this.blocks = blocks;
        ok = block("+OK\r\n");
        pong = block("+PONG\r\n");
        zero = block(":0\r\n");
        one = block(":1\r\n");
        nullBulk = block("$-1\r\n");
        nullArray = block("*-1\r\n");
        emptyArray = block("*0\r\n");
        crlf = block("\r\n");
        wrongType = block("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
        notInteger = block("-ERR value is not an integer or out of range\r\n");
        syntaxError = block("-ERR syntax error\r\n");
        outOfMemory = block("-OOM command not allowed when used memory > 'maxmemory'.\r\n");
        scratch = blocks.allocate(64);
    }

    private MemorySegment block(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return blocks.copyOf(MemorySegment.ofArray(bytes), 0, bytes.length);
    }

    void free() {
        for (MemorySegment s : new MemorySegment[] {ok, pong, zero, one, nullBulk, nullArray, emptyArray, crlf,
                wrongType, notInteger, syntaxError, outOfMemory, scratch}) {
            blocks.free(s);
        }
    }
}
