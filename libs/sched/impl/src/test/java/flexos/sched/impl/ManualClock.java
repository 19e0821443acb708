package flexos.sched.impl;

/**
 * A clock that moves only when told: waiting on it ({@link #park}) moves it by the time waited, and a test moves it
 * with {@link #advance} to stand for work that takes time. A scheduler on it runs its timers in virtual time, so
 * every deadline a test asserts is exact. Single-threaded, like the scheduler that reads it.
 */
final class ManualClock implements NanoClock {

    private long now = 1_000_000_000L;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void park(Object blocker, long nanos) {
        now += nanos;
    }

    void advance(long nanos) {
        now += nanos;
    }
}
