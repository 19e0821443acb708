package flexos.redis;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An immutable byte string on the Java heap, for the server's own bookkeeping that is keyed by bytes but is not
 * keyspace data: channel and pattern names, WATCHed and blocked-on keys. Keys and values themselves stay in the
 * compartment's heap.
 */
final class ByteString implements Comparable<ByteString> {

    final byte[] bytes;
    private final int hash;

    ByteString(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    static ByteString of(MemorySegment s, long offset, long length) {
        byte[] b = new byte[(int) length];
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, offset, b, 0, b.length);
        return new ByteString(b);
    }

    static ByteString of(MemorySegment block) {
        return of(block, 0, block.byteSize());
    }

    static ByteString arg(Client c, int i) {
        return of(c.query, c.argOff[i], c.argLen[i]);
    }

    MemorySegment segment() {
        return MemorySegment.ofArray(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteString other && other.hash == hash && Arrays.equals(other.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(ByteString o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
