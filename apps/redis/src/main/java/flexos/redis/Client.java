package flexos.redis;

import flexos.libc.api.NumberRoutines;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * One connection: its socket, its query buffer (bytes received, parsed in place), the arguments of the request being
 * parsed (offsets into the query buffer, never copies), and its reply buffer (bytes not yet sent). Both buffers are
 * blocks of the compartment heap that grow with {@code realloc}; {@link #release} frees them.
 *
 * <p>Reply writers never fail loudly: if the reply buffer cannot grow, the client is marked {@link #broken} and is
 * closed after the current batch, as Redis does with a client over its output buffer limit.
 */
final class Client {

    /** The size of one read, and the initial size of each buffer (Redis's {@code PROTO_IOBUF_LEN}). */
    static final int IO_CHUNK = 16 * 1024;
    /** The most a client may have buffered, in either direction (Redis's client-query-buffer-limit is 1GB). */
    static final long BUFFER_LIMIT = 1L << 30;

    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

    final int socket;
    final long id;
    private final Blocks blocks;
    private final NumberRoutines numbers;
    private final SharedReplies shared;

    MemorySegment query;
    int queryLen;
    /** Where the request being parsed starts. */
    int queryPos;

    // Incremental multibulk state: the arguments still expected, the current bulk's length (-1: header not read yet),
    // and where parsing resumes, so a request arriving byte by byte is scanned once.
    int pendingArgs;
    long bulkLen = -1;
    int parsePos;
    int argc;
    int[] argOff = new int[16];
    int[] argLen = new int[16];
    String protocolError;

    MemorySegment reply;
    int replyLen;
    int replySent;

    int db;
    int interest;
    boolean closeAfterReply;
    boolean broken;
    String name;

    Client(int socket, long id, Blocks blocks, NumberRoutines numbers, SharedReplies shared) {
        this.socket = socket;
        this.id = id;
        this.blocks = blocks;
        this.numbers = numbers;
        this.shared = shared;
        this.query = blocks.allocate(IO_CHUNK);
        try {
            this.reply = blocks.allocate(IO_CHUNK);
        } catch (HeapExhausted e) {
            blocks.free(query);
            throw e;
        }
    }

    void release() {
        blocks.free(query);
        blocks.free(reply);
        query = Blocks.EMPTY;
        reply = Blocks.EMPTY;
    }

    // ---- arguments ----

    void addArg(int offset, int length) {
        if (argc == argOff.length) {
            argOff = java.util.Arrays.copyOf(argOff, argc * 2);
            argLen = java.util.Arrays.copyOf(argLen, argc * 2);
        }
        argOff[argc] = offset;
        argLen[argc] = length;
        argc++;
    }

    /** Whether argument {@code i} equals {@code upper} (an upper-case ASCII word), ignoring case. */
    boolean argIs(int i, byte[] upper) {
        int length = argLen[i];
        if (length != upper.length) {
            return false;
        }
        long offset = argOff[i];
        for (int k = 0; k < length; k++) {
            int b = query.get(BYTE, offset + k);
            if (b >= 'a' && b <= 'z') {
                b -= 32;
            }
            if (b != upper[k]) {
                return false;
            }
        }
        return true;
    }

    /** The offset of the first {@code value} in the query buffer's {@code [from, to)}, or -1 (libc's memchr). */
    long indexOf(byte value, int from, int to) {
        return from >= to ? -1 : blocks.memory().memchr(query, from, to, value);
    }

    String argString(int i) {
        byte[] bytes = new byte[argLen[i]];
        MemorySegment.copy(query, BYTE, argOff[i], bytes, 0, bytes.length);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** Moves the unparsed bytes to the front of the query buffer, so reads have room without growing it. */
    void compactQuery() {
        int shift = queryPos;
        if (shift == 0) {
            return;
        }
        int remaining = queryLen - queryPos;
        if (remaining > 0) {
            blocks.memory().memmove(query, 0, query, shift, remaining);
        }
        queryLen = remaining;
        queryPos = 0;
        parsePos -= shift;
        for (int i = 0; i < argc; i++) {
            argOff[i] -= shift;
        }
    }

    // ---- replies ----

    int pendingReplyBytes() {
        return replyLen - replySent;
    }

    private boolean ensure(long n) {
        if (replyLen + n <= reply.byteSize()) {
            return true;
        }
        if (broken) {
            return false;
        }
        if (replySent > 0) {
            int pending = replyLen - replySent;
            if (pending > 0) {
                blocks.memory().memmove(reply, 0, reply, replySent, pending);
            }
            replyLen = pending;
            replySent = 0;
            if (replyLen + n <= reply.byteSize()) {
                return true;
            }
        }
        long needed = replyLen + n;
        if (needed > BUFFER_LIMIT) {
            broken = true;
            return false;
        }
        long size = Math.max(needed, Math.min(reply.byteSize() * 2, BUFFER_LIMIT));
        MemorySegment grown = blocks.resize(reply, size);
        if (grown == null) {
            broken = true;
            return false;
        }
        reply = grown;
        return true;
    }

    void addBlock(MemorySegment block) {
        int n = (int) block.byteSize();
        if (ensure(n)) {
            blocks.copy(reply, replyLen, block, 0, n);
            replyLen += n;
        }
    }

    void addOk() {
        addBlock(shared.ok);
    }

    void addNull() {
        addBlock(shared.nullBulk);
    }

    void addNullArray() {
        addBlock(shared.nullArray);
    }

    private void addNumberLine(byte prefix, long value) {
        if (ensure(24)) {
            reply.set(BYTE, replyLen, prefix);
            int n = numbers.lltoa(value, reply, replyLen + 1);
            long end = replyLen + 1 + n;
            reply.set(BYTE, end, (byte) '\r');
            reply.set(BYTE, end + 1, (byte) '\n');
            replyLen = (int) end + 2;
        }
    }

    void addInteger(long value) {
        if (value == 0) {
            addBlock(shared.zero);
        } else if (value == 1) {
            addBlock(shared.one);
        } else {
            addNumberLine((byte) ':', value);
        }
    }

    void addArrayHeader(long count) {
        if (count == 0) {
            addBlock(shared.emptyArray);
        } else {
            addNumberLine((byte) '*', count);
        }
    }

    void addBulk(MemorySegment src, long offset, long length) {
        addNumberLine((byte) '$', length);
        if (ensure(length + 2)) {
            blocks.copy(reply, replyLen, src, offset, length);
            long end = replyLen + length;
            reply.set(BYTE, end, (byte) '\r');
            reply.set(BYTE, end + 1, (byte) '\n');
            replyLen = (int) end + 2;
        }
    }

    void addBulk(MemorySegment block) {
        addBulk(block, 0, block.byteSize());
    }

    void addArgBulk(int i) {
        addBulk(query, argOff[i], argLen[i]);
    }

    void addDouble(double value) {
        int n = numbers.dtoa(value, shared.scratch, 0);
        addBulk(shared.scratch, 0, n);
    }

    /** A bulk reply of the decimal text of {@code value}. */
    void addLongBulk(long value) {
        int n = numbers.lltoa(value, shared.scratch, 0);
        addBulk(shared.scratch, 0, n);
    }

    /** A reply line such as {@code +string} or {@code -ERR ...}; {@code line} is ASCII without CRLF. */
    void addLine(char prefix, String line) {
        addLine(prefix, line.getBytes(StandardCharsets.ISO_8859_1));
    }

    void addLine(char prefix, byte[] line) {
        if (ensure(line.length + 3L)) {
            reply.set(BYTE, replyLen, (byte) prefix);
            for (int k = 0; k < line.length; k++) {
                byte b = line[k];
                // A reply line must stay one line, as Redis's addReplyError sanitises it.
                reply.set(BYTE, replyLen + 1 + k, b == '\r' || b == '\n' ? (byte) ' ' : b);
            }
            long end = replyLen + 1 + line.length;
            reply.set(BYTE, end, (byte) '\r');
            reply.set(BYTE, end + 1, (byte) '\n');
            replyLen = (int) end + 2;
        }
    }

    void addError(String message) {
        addLine('-', message);
    }

    void addWrongType() {
        addBlock(shared.wrongType);
    }

    void addNotInteger() {
        addBlock(shared.notInteger);
    }

    void addSyntaxError() {
        addBlock(shared.syntaxError);
    }

    void addOutOfMemory() {
        addBlock(shared.outOfMemory);
    }

    void addStatus(String status) {
        addLine('+', status);
    }
}
