package flexos.attacks.hostile;

import flexos.attacks.api.Vault;

/** Threads: work the attacker leaves behind, which acts after the gate has dealt with the call. */
public final class LaterThreads {

    private LaterThreads() {
    }

    /**
     * Starts a thread, then crashes: the gate reports the crash and stops the compartment, and the thread exits the
     * JVM 100 ms later (within the probe's settle time).
     */
    public static final class ThreadExitLater extends HostileLibrary {
        public ThreadExitLater() {
            super("thread-exit-later");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) {
            Thread later = new Thread(() -> {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    // Exit all the same.
                }
                System.exit(73);
            }, "hostile-later");
            later.setDaemon(true);
            later.start();
            // An exception of its own class: the row is about the thread, so the crash is one every isolating
            // mechanism reports as a gate fault (a JDK exception would cross as an API exception).
            throw new Hostiles.HostileCrash();
        }
    }
}
