package flexos.redis;

/**
 * The RDB file format as Redis 7.0 writes it (version 10), in one place: opcodes, value types, length and string
 * encodings, and the thresholds below which Redis 7.0 keeps (and so saves) a value in a compact encoding.
 *
 * <p>A file is {@code "REDIS0010"}, then AUX fields ({@link #AUX} key value), then per non-empty database
 * {@link #SELECTDB} n, {@link #RESIZEDB} size expires, then its keys, each optionally preceded by
 * {@link #EXPIRETIME_MS} and an 8-byte little-endian Unix time in milliseconds, as a type byte, the key string and
 * the value; then {@link #EOF} and the 8-byte little-endian {@link Crc64} of every byte before it.
 *
 * <p>Lengths: {@code 00xxxxxx} (6 bits), {@code 01xxxxxx xxxxxxxx} (14 bits, big-endian), {@code 0x80} and 4 bytes
 * big-endian, {@code 0x81} and 8 bytes big-endian; {@code 11xxxxxx} instead of a length marks a special string
 * encoding: an 8, 16 or 32-bit little-endian integer, or LZF-compressed bytes (compressed length, length, data).
 */
final class RdbFormat {

    static final int VERSION = 10;
    /** Redis 7.2's version; its files use the same encodings plus set listpacks, which the loader reads too. */
    static final int NEWEST_READABLE_VERSION = 11;
    static final byte[] MAGIC = {'R', 'E', 'D', 'I', 'S'};

    // ---- opcodes
    static final int FUNCTION2 = 245;
    static final int FUNCTION_PRE_GA = 246;
    static final int MODULE_AUX = 247;
    static final int IDLE = 248;
    static final int FREQ = 249;
    static final int AUX = 250;
    static final int RESIZEDB = 251;
    static final int EXPIRETIME_MS = 252;
    static final int EXPIRETIME = 253;
    static final int SELECTDB = 254;
    static final int EOF = 255;

    // ---- value types
    static final int TYPE_STRING = 0;
    static final int TYPE_LIST = 1;
    static final int TYPE_SET = 2;
    static final int TYPE_ZSET = 3;
    static final int TYPE_HASH = 4;
    static final int TYPE_ZSET_2 = 5;
    static final int TYPE_MODULE = 6;
    static final int TYPE_MODULE_2 = 7;
    static final int TYPE_HASH_ZIPMAP = 9;
    static final int TYPE_LIST_ZIPLIST = 10;
    static final int TYPE_SET_INTSET = 11;
    static final int TYPE_ZSET_ZIPLIST = 12;
    static final int TYPE_HASH_ZIPLIST = 13;
    static final int TYPE_LIST_QUICKLIST = 14;
    static final int TYPE_STREAM_LISTPACKS = 15;
    static final int TYPE_HASH_LISTPACK = 16;
    static final int TYPE_ZSET_LISTPACK = 17;
    static final int TYPE_LIST_QUICKLIST_2 = 18;
    static final int TYPE_STREAM_LISTPACKS_2 = 19;
    static final int TYPE_SET_LISTPACK = 20;
    static final int TYPE_STREAM_LISTPACKS_3 = 21;

    // ---- lengths and special string encodings
    static final int LEN_6BIT = 0;
    static final int LEN_14BIT = 1;
    static final int LEN_32BIT = 0x80;
    static final int LEN_64BIT = 0x81;
    static final int ENCVAL = 3;
    static final int ENC_INT8 = 0;
    static final int ENC_INT16 = 1;
    static final int ENC_INT32 = 2;
    static final int ENC_LZF = 3;

    /** A quicklist node of one element stored as it is, and one holding a listpack. */
    static final int QUICKLIST_NODE_PLAIN = 1;
    static final int QUICKLIST_NODE_PACKED = 2;

    // ---- Redis 7.0's defaults for compact encodings: values within these are saved packed, as Redis would.
    /** {@code list-max-listpack-size -2}: a list node's listpack is at most 8 KiB. */
    static final int LIST_NODE_BYTES = 8192;
    static final int HASH_MAX_LISTPACK_ENTRIES = 128;
    static final int HASH_MAX_LISTPACK_VALUE = 64;
    static final int ZSET_MAX_LISTPACK_ENTRIES = 128;
    static final int ZSET_MAX_LISTPACK_VALUE = 64;
    static final int SET_MAX_INTSET_ENTRIES = 512;

    private RdbFormat() {
    }
}
