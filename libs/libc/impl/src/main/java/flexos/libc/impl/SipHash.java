package flexos.libc.impl;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * SipHash-c-d, the keyed hash of J.-P. Aumasson and D. J. Bernstein, "SipHash: a fast short-input PRF",
 * INDOCRYPT 2012: the message is absorbed eight little-endian bytes at a time with {@code c} SipRounds per word,
 * the last word carries the length, and {@code d} SipRounds finalise. The paper's variant is SipHash-2-4; hash
 * tables use fewer rounds (Redis runs SipHash-1-2, Python and Rust SipHash-1-3), trading the PRF margin for speed
 * while keeping the seeded, flooding-resistant output.
 */
final class SipHash {

    private static final ValueLayout.OfLong LITTLE_ENDIAN_WORD =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final long k0;
    private final long k1;
    private final int compressionRounds;
    private final int finalizationRounds;

    /** SipHash-{@code c}-{@code d} under the 128-bit key {@code k0 || k1} (each half read little-endian). */
    SipHash(long k0, long k1, int compressionRounds, int finalizationRounds) {
        if (compressionRounds < 1 || finalizationRounds < 1) {
            throw new IllegalArgumentException("SipHash needs at least one round of each kind");
        }
        this.k0 = k0;
        this.k1 = k1;
        this.compressionRounds = compressionRounds;
        this.finalizationRounds = finalizationRounds;
    }

    long hash(MemorySegment s, long offset, long length) {
        long end = offset + length;
        if (offset < 0 || length < 0 || end > s.byteSize()) {
            throw new IndexOutOfBoundsException("hash range [" + offset + ", " + end + ") outside a segment of "
                    + s.byteSize() + " bytes");
        }
        long v0 = k0 ^ 0x736f6d6570736575L;
        long v1 = k1 ^ 0x646f72616e646f6dL;
        long v2 = k0 ^ 0x6c7967656e657261L;
        long v3 = k1 ^ 0x7465646279746573L;
        long i = offset;
        for (long wordsEnd = end - 7; i < wordsEnd; i += 8) {
            long m = s.get(LITTLE_ENDIAN_WORD, i);
            v3 ^= m;
            for (int r = 0; r < compressionRounds; r++) {
                // One SipRound, written out: a helper would need to return four words.
                v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
                v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
                v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
                v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= m;
        }
        long last = length << 56;
        for (int shift = 0; i < end; i++, shift += 8) {
            last |= (s.get(ValueLayout.JAVA_BYTE, i) & 0xffL) << shift;
        }
        v3 ^= last;
        for (int r = 0; r < compressionRounds; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        v0 ^= last;
        v2 ^= 0xff;
        for (int r = 0; r < finalizationRounds; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }
}
