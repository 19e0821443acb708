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

    /** The protocol this client speaks: 2 (RESP2) or 3 (RESP3), set by HELLO. */
    int resp = 2;
    boolean authenticated;
    final long createdMillis = System.currentTimeMillis();
    long lastInteractionMillis = createdMillis;
    /** The last command this client ran (CLIENT LIST's {@code cmd}). */
    Command lastCommand;
    /** The command running now (set by the dispatcher for blocking commands to copy). */
    Command current;
    /** The largest query buffer content seen since the last resize check (Redis's querybuf_peak). */
    long queryPeak;
    boolean noEvict;
    /** CLIENT REPLY: 0 on, 1 off, 2 skip the next command's reply. */
    int replyMode;
    boolean skipThisReply;
    /** Whether this client is in MONITOR mode. */
    boolean monitor;
    /** Whether the event loop has this client on its list of clients with replies to send. */
    boolean pendingWrite;
    /**
     * Whether bytes of this client's reply wait in the event loop's batch of writes, which goes out with the next
     * poll. They are still counted as pending here, so any other send or a close of this client sends the batch
     * first (else they would go out twice, or after later bytes, or to a closed socket).
     */
    boolean inWriteBatch;
    /** Whether bytes this client sent in the current round wait in the event loop's read batch. */
    boolean inReadBatch;

    /** The transaction being queued, or {@code null} outside MULTI. */
    Transaction multi;
    /** Keys this client WATCHes, with the database of each. */
    java.util.List<WatchedKey> watched;
    /** Set when a WATCHed key is modified: the next EXEC fails. */
    boolean dirtyCas;

    /** The channels and patterns this client is subscribed to (null until its first subscription). */
    java.util.Set<ByteString> channels;
    java.util.Set<ByteString> patterns;

    /** What this client waits for while a blocking command blocks it, or {@code null}. */
    Blocked blocked;

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

    /** A null: RESP3's {@code _}, RESP2's null bulk string. */
    void addNull() {
        if (resp >= 3) {
            addLine('_', EMPTY_LINE);
        } else {
            addBlock(shared.nullBulk);
        }
    }

    /** A null array: RESP3's {@code _}, RESP2's {@code *-1}. */
    void addNullArray() {
        if (resp >= 3) {
            addLine('_', EMPTY_LINE);
        } else {
            addBlock(shared.nullArray);
        }
    }

    void addNumberLine(byte prefix, long value) {
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

    /** A double as a bulk string whatever the protocol (INCRBYFLOAT, ZINCRBY in RESP2...). */
    void addDoubleBulk(double value) {
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

    // ---- RESP3-aware replies ----

    private static final byte[] EMPTY_LINE = new byte[0];

    /** A map header of {@code pairs} entries: RESP3's {@code %}, RESP2 a flat array of twice as many. */
    void addMapHeader(long pairs) {
        if (resp >= 3) {
            addNumberLine((byte) '%', pairs);
        } else {
            addArrayHeader(2 * pairs);
        }
    }

    /** A set header: RESP3's {@code ~}, RESP2 an array. */
    void addSetHeader(long count) {
        if (resp >= 3) {
            addNumberLine((byte) '~', count);
        } else {
            addArrayHeader(count);
        }
    }

    /** An out-of-band push header: RESP3's {@code >}, RESP2 an array. */
    void addPushHeader(long count) {
        if (resp >= 3) {
            addNumberLine((byte) '>', count);
        } else {
            addArrayHeader(count);
        }
    }

    /** A double: RESP3's {@code ,}, RESP2 a bulk string, both in Redis's text for it. */
    void addDouble(double value) {
        int n = numbers.dtoa(value, shared.scratch, 0);
        if (resp >= 3) {
            if (ensure(n + 3L)) {
                reply.set(BYTE, replyLen, (byte) ',');
                blocks.copy(reply, replyLen + 1, shared.scratch, 0, n);
                reply.set(BYTE, replyLen + 1 + n, (byte) '\r');
                reply.set(BYTE, replyLen + 2 + n, (byte) '\n');
                replyLen += n + 3;
            }
        } else {
            addBulk(shared.scratch, 0, n);
        }
    }

    /** A boolean: RESP3's {@code #t}/{@code #f}, RESP2 the integer 1 or 0. */
    void addBool(boolean value) {
        if (resp >= 3) {
            addLine('#', value ? "t" : "f");
        } else {
            addInteger(value ? 1 : 0);
        }
    }

    /** A verbatim text (INFO, CLIENT LIST): RESP3's {@code =} with format {@code txt}, RESP2 a bulk string. */
    void addVerbatim(byte[] text) {
        if (resp >= 3) {
            addNumberLine((byte) '=', text.length + 4L);
            byte[] framed = new byte[text.length + 6];
            framed[0] = 't';
            framed[1] = 'x';
            framed[2] = 't';
            framed[3] = ':';
            System.arraycopy(text, 0, framed, 4, text.length);
            framed[framed.length - 2] = '\r';
            framed[framed.length - 1] = '\n';
            addRaw(framed);
        } else {
            addBulk(MemorySegment.ofArray(text), 0, text.length);
        }
    }

    /** A bulk string of a Java string's ISO-8859-1 bytes. */
    void addBulkString(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        addBulk(MemorySegment.ofArray(b), 0, b.length);
    }

    void addBulkBytes(byte[] b) {
        addBulk(MemorySegment.ofArray(b), 0, b.length);
    }

    /** Bytes that are already RESP. */
    void addRaw(byte[] bytes) {
        if (ensure(bytes.length)) {
            MemorySegment.copy(bytes, 0, reply, BYTE, replyLen, bytes.length);
            replyLen += bytes.length;
        }
    }

    // ---- deferred lengths ----

    /**
     * Marks where an aggregate whose length is not known yet starts; {@link #setDeferredLength} later inserts its
     * header there. The mark is relative to the unsent bytes, so it survives the buffer compacting.
     */
    long deferLength() {
        return replyLen - replySent;
    }

    /** Inserts the header {@code type count} (type {@code *}, {@code %} or {@code ~}) at {@code mark}. */
    void setDeferredLength(long mark, char type, long count) {
        if (resp < 3 && type != '*') {
            count = type == '%' ? count * 2 : count;
            type = '*';
        }
        byte[] header = ("" + type + count + "\r\n").getBytes(StandardCharsets.US_ASCII);
        if (broken || !ensure(header.length)) {
            return;
        }
        long at = replySent + mark;
        long tail = replyLen - at;
        if (tail > 0) {
            blocks.memory().memmove(reply, at + header.length, reply, at, tail);
        }
        MemorySegment.copy(header, 0, reply, BYTE, at, header.length);
        replyLen += header.length;
    }

    // ---- running a stored command ----

    /** Runs {@code action} with {@code q}'s arguments as this client's arguments, then restores the current ones. */
    void runWith(Transaction.Queued q, Runnable action) {
        MemorySegment savedQuery = query;
        int savedArgc = argc;
        int[] savedOff = argOff;
        int[] savedLen = argLen;
        query = q.args;
        argc = q.argc;
        argOff = q.off;
        argLen = q.len;
        try {
            action.run();
        } finally {
            query = savedQuery;
            argc = savedArgc;
            argOff = savedOff;
            argLen = savedLen;
        }
    }

    /** Whether this client is subscribed to any channel or pattern. */
    boolean subscribed() {
        return (channels != null && !channels.isEmpty()) || (patterns != null && !patterns.isEmpty());
    }
}
