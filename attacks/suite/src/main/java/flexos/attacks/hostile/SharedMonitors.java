package flexos.attacks.hostile;

import flexos.attacks.api.Vault;

/**
 * Monitors on objects every compartment of a JVM shares. A string constant is interned for the whole JVM, whatever
 * class loader defined the class that names it, so the constant a victim synchronizes on is the very object an
 * attacker in another compartment of the same JVM gets from the same text. Taking a monitor is a bytecode
 * ({@code monitorenter}), not a reference to any member, so no allowlist of members can refuse it.
 */
public final class SharedMonitors {

    private SharedMonitors() {
    }

    /**
     * The text of the vault's lock ({@code VaultService.AUDIT_LOCK}): the attacker read the victim's code, and a
     * literal needs no reference to the victim's class.
     */
    static final String VICTIM_LOCK = "flexos.attacks.vault.audit";

    /** How many one-second sleeps the attacker holds the monitor for: longer than any run of the suite, bounded. */
    private static final int HOLD_SECONDS = 600;

    /**
     * Holds the monitor of the vault's interned lock and never lets go: the call does not return, and a gate that
     * gives up on it (a call timeout) leaves the thread holding the monitor, so every later check of the vault blocks.
     * Needs no host capability at all.
     */
    public static final class InternedMonitor extends HostileLibrary {
        public InternedMonitor() {
            super("interned-monitor");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) {
            synchronized (VICTIM_LOCK) {
                for (int i = 0; i < HOLD_SECONDS; i++) {
                    try {
                        Thread.sleep(1_000);
                    } catch (InterruptedException e) {
                        // Keep holding on: that is the attack; a stopped compartment's thread is only interrupted.
                    }
                }
            }
            return 0;
        }
    }
}
