package flexos.redis;

/**
 * LZF decompression (Marc Lehmann's liblzf, which Redis uses for strings in RDB files and DUMP payloads). A stream
 * is a sequence of runs, each introduced by a control byte {@code c}: below 32, {@code c + 1} literal bytes follow;
 * otherwise a back reference of length {@code (c >> 5) + 2} (with an extra length byte when {@code c >> 5 == 7})
 * to {@code ((c & 0x1f) << 8) + next + 1} bytes behind the output position. Every length and distance is checked
 * against the buffers, so a hostile payload fails cleanly instead of reading or writing out of bounds.
 */
final class Lzf {

    private Lzf() {
    }

    /**
     * Decompresses {@code in[offset, offset + length)} into exactly {@code out.length} bytes.
     *
     * @throws IllegalArgumentException if the input is malformed or does not expand to exactly that size
     */
    static void decompress(byte[] in, int offset, int length, byte[] out) {
        int ip = offset;
        int end = offset + length;
        int op = 0;
        while (ip < end) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < 32) {
                int run = ctrl + 1;
                if (ip + run > end || op + run > out.length) {
                    throw new IllegalArgumentException("LZF literal run past the end");
                }
                System.arraycopy(in, ip, out, op, run);
                ip += run;
                op += run;
            } else {
                int run = ctrl >> 5;
                if (run == 7) {
                    if (ip >= end) {
                        throw new IllegalArgumentException("LZF length byte missing");
                    }
                    run += in[ip++] & 0xff;
                }
                if (ip >= end) {
                    throw new IllegalArgumentException("LZF distance byte missing");
                }
                int ref = op - ((ctrl & 0x1f) << 8) - (in[ip++] & 0xff) - 1;
                run += 2;
                if (ref < 0 || op + run > out.length) {
                    throw new IllegalArgumentException("LZF back reference outside the output");
                }
                // Byte by byte: a reference may overlap the bytes it produces (a run of one repeated byte).
                for (int k = 0; k < run; k++) {
                    out[op++] = out[ref++];
                }
            }
        }
        if (op != out.length) {
            throw new IllegalArgumentException("LZF data expands to " + op + " bytes, not " + out.length);
        }
    }
}
