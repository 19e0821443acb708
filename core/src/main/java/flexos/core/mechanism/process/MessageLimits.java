package flexos.core.mechanism.process;

/**
 * The explicit limits every message read from the other process is checked against before anything is allocated
 * or looked up. A message over any of them is a {@link ProtocolViolation}: the receiver never allocates more than
 * these sizes because the peer said so, and never recurses deeper.
 *
 * @param maxMessageBytes the largest message, in bytes, that may cross in chunks (a value larger than a slot)
 * @param maxStringChars  the longest string
 * @param maxElements     the most elements of a list, or components of a record
 * @param maxArrayBytes   the largest primitive array a receiver allocates (out-parameters are copied back into the
 *                        caller's own arrays, whose length must match, and allocate nothing)
 * @param maxDepth        how deeply lists and records may nest
 * @param maxProxies      how many distinct objects of the peer this side makes proxies for
 */
record MessageLimits(long maxMessageBytes, int maxStringChars, int maxElements, long maxArrayBytes, int maxDepth,
                     int maxProxies) {

    /**
     * Room for a 512 MiB value (Redis's largest bulk string) with its buffer's slack, in both directions; strings of
     * a megabyte; a million list elements; 64 MiB arrays (on the Java heap); 32 levels; 4096 callbacks.
     */
    static final MessageLimits DEFAULT = new MessageLimits(1L << 31, 1 << 20, 1 << 20, 64L << 20, 32, 4096);

    MessageLimits {
        if (maxMessageBytes <= 0 || maxStringChars <= 0 || maxElements <= 0 || maxArrayBytes <= 0 || maxDepth <= 0
                || maxProxies <= 0) {
            throw new IllegalArgumentException("message limits must be positive");
        }
    }
}
