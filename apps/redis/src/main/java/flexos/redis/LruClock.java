package flexos.redis;

/**
 * The coarse clock keys are stamped with when touched, for OBJECT IDLETIME: seconds since the epoch, read from a
 * field that the server's timer refreshes, so that a key lookup never reads the system clock for it. Plain, not
 * volatile: the timer runs on the event loop's own thread, and a stale second does no harm.
 */
final class LruClock {

    static int now = (int) (System.currentTimeMillis() / 1000);

    private LruClock() {
    }

    static void tick() {
        now = (int) (System.currentTimeMillis() / 1000);
    }
}
