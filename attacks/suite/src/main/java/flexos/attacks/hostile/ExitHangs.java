package flexos.attacks.hostile;

import flexos.attacks.api.Vault;

/** Hanging the exit: the image can no longer end when asked. */
public final class ExitHangs {

    private ExitHangs() {
    }

    /** How long the attackers' threads wait: far longer than any run of the suite, and still bounded. */
    static final long FOREVER_MILLIS = 600_000;

    static void sleepLong() {
        long end = System.nanoTime() + FOREVER_MILLIS * 1_000_000;
        while (System.nanoTime() < end) {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                // Keep holding on: that is the attack.
            }
        }
    }

    /** A shutdown hook that never returns, so {@code System.exit} never finishes. */
    public static final class HookNeverReturns extends HostileLibrary {
        public HookNeverReturns() {
            super("hook-never-returns");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) {
            Runtime.getRuntime().addShutdownHook(new Thread(ExitHangs::sleepLong, "hostile-hook"));
            return 0;
        }
    }

    /**
     * Holds the monitor of the class {@code java.lang.Shutdown} from a thread of its own: {@code System.exit}
     * synchronizes on it, so every later exit blocks. Naming the class and locking it needs no access at all.
     */
    public static final class HoldShutdownLock extends HostileLibrary {
        public HoldShutdownLock() {
            super("hold-shutdown-lock");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) throws ClassNotFoundException, InterruptedException {
            Class<?> shutdown = Class.forName("java.lang.Shutdown");
            Thread holder = new Thread(() -> {
                synchronized (shutdown) {
                    sleepLong();
                }
            }, "hostile-shutdown-lock");
            holder.setDaemon(true);
            holder.start();
            Thread.sleep(100);
            return 0;
        }
    }
}
