package flexos.core.mechanism.process;

import java.util.concurrent.atomic.LongAdder;

/**
 * Diagnostic counts of how waits on call slots end, kept only when the system property
 * {@code flexos.process.waitCounts} is {@code true} (the compartment processes inherit it) and printed to standard
 * error when the process exits. They say where a gate's time goes under load: a wait that ends while spinning costs
 * a few hundred nanoseconds, one that ends after a futex sleep costs a wake-up (tens of microseconds on a busy
 * machine). With the property unset, {@link #ON} is a constant false and the JIT removes every count.
 */
final class WaitCounts {

    static final boolean ON = Boolean.getBoolean("flexos.process.waitCounts");

    /** How a wait ended. */
    static final int AT_ONCE = 0, SPINNING = 1, AFTER_SLEEP = 2;
    /** What the thread waited for. */
    static final int REPLY = 0, CALL = 1;

    private static final String[] PHASES = {"at once", "spinning", "after sleep"};
    private static final String[] ROLES = {"reply", "call"};
    private static final LongAdder[][] ENDED = new LongAdder[2][3];
    private static final LongAdder[] SLEEPS = {new LongAdder(), new LongAdder()};
    private static final LongAdder[] NANOS = {new LongAdder(), new LongAdder()};
    private static final LongAdder WAKES = new LongAdder();
    private static final LongAdder SERVED = new LongAdder();
    private static final LongAdder SERVING_NANOS = new LongAdder();

    static {
        if (ON) {
            for (LongAdder[] role : ENDED) {
                for (int p = 0; p < role.length; p++) {
                    role[p] = new LongAdder();
                }
            }
            Runtime.getRuntime().addShutdownHook(new Thread(WaitCounts::print, "flexos-wait-counts"));
            // A compartment process is often killed, which runs no hook: it also prints every second.
            Thread periodic = new Thread(() -> {
                while (true) {
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                    print();
                }
            }, "flexos-wait-counts-periodic");
            periodic.setDaemon(true);
            periodic.start();
        }
    }

    private WaitCounts() {
    }

    static void ended(int role, int phase, int sleeps, long nanos) {
        ENDED[role][phase].increment();
        SLEEPS[role].add(sleeps);
        NANOS[role].add(nanos);
    }

    private static final java.util.concurrent.ConcurrentHashMap<String, LongAdder[]> BY_METHOD =
            new java.util.concurrent.ConcurrentHashMap<>();

    static void served(String method, long nanos) {
        SERVED.increment();
        SERVING_NANOS.add(nanos);
        LongAdder[] m = BY_METHOD.computeIfAbsent(method, k -> new LongAdder[] {new LongAdder(), new LongAdder()});
        m[0].increment();
        m[1].add(nanos);
    }

    static void woke() {
        WAKES.increment();
    }

    private static void print() {
        StringBuilder out = new StringBuilder("flexos-wait-counts pid " + ProcessHandle.current().pid() + ":");
        for (int r = 0; r < 2; r++) {
            long total = 0;
            for (LongAdder a : ENDED[r]) {
                total += a.sum();
            }
            out.append(" | waits for a ").append(ROLES[r]).append(": ").append(total);
            for (int p = 0; p < PHASES.length; p++) {
                out.append(", ").append(PHASES[p]).append(' ').append(ENDED[r][p].sum());
            }
            out.append(", futex sleeps ").append(SLEEPS[r].sum())
                    .append(", mean wait ").append(total == 0 ? 0 : NANOS[r].sum() / total).append(" ns");
        }
        out.append(" | futex wakes issued ").append(WAKES.sum());
        long served = SERVED.sum();
        out.append(" | calls served ").append(served).append(", mean ")
                .append(served == 0 ? 0 : SERVING_NANOS.sum() / served).append(" ns");
        BY_METHOD.forEach((method, m) -> out.append(" | ").append(method).append(' ').append(m[0].sum())
                .append(" calls, mean ").append(m[0].sum() == 0 ? 0 : m[1].sum() / m[0].sum()).append(" ns"));
        System.err.println(out);
    }
}
