package flexos.redis;

/** A small, fast, non-cryptographic random source for sampling (SPOP, active expiry, skiplist levels). */
final class Xorshift {

    private long state;

    Xorshift(long seed) {
        this.state = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
    }

    long nextLong() {
        long x = state;
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        state = x;
        return x;
    }

    /** A value in {@code [0, bound)}; {@code bound} must be positive. */
    int nextInt(int bound) {
        return (int) ((nextLong() >>> 33) % bound);
    }
}
