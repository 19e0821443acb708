package flexos.redis;

/**
 * Signals that the compartment's heap could not supply a block. It unwinds a command to the dispatcher, which answers
 * with Redis's OOM error and keeps serving; it is preallocated and has no stack trace, because it is a reply, not a bug.
 */
final class HeapExhausted extends RuntimeException {

    static final HeapExhausted INSTANCE = new HeapExhausted();

    private HeapExhausted() {
        super("heap exhausted", null, false, false);
    }
}
