package flexos.redis;

/**
 * An RDB file or DUMP payload that cannot be loaded: truncated, corrupt, of a newer version, or holding what this
 * server cannot represent (streams, modules). The message says what and where, for the log or the error reply.
 */
final class RdbFormatException extends RuntimeException {

    RdbFormatException(String message) {
        super(message, null, false, false);
    }
}
