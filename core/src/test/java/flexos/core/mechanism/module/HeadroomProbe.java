package flexos.core.mechanism.module;

import flexos.core.config.SharingStrategy;
import flexos.core.mechanism.GateSite;
import java.lang.foreign.Arena;

/**
 * Run in a JVM of its own by {@code GateHeadroomTest}: calls a gate with the stack nearly full, at every depth on the
 * way back up from an overflow, into a callee whose update calls another method half way, and prints how often the
 * callee was left out of balance and how often the caller saw the overflow.
 */
public final class HeadroomProbe {

    /** The callee's API: one update in two halves. */
    public interface Accounts {
        void transfer(long amount);

        boolean balanced();
    }

    static final class AccountsService implements Accounts {
        long checking = 1_000_000;
        long savings;
        String journal = "";

        @Override
        public void transfer(long amount) {
            checking -= amount;
            journal(amount);
            savings += amount;
        }

        private void journal(long amount) {
            journal = new StringBuilder().append("moved ").append(amount).append(" leaving ").append(checking)
                    .toString();
        }

        @Override
        public boolean balanced() {
            return checking + savings == 1_000_000;
        }
    }

    private static Accounts gate;
    private static int tries;
    private static int broken;
    private static int overflows;

    private static void dive() {
        try {
            dive();
        } catch (StackOverflowError deepest) {
            // the bottom: try on the way up
        }
        if (tries >= 3_000) {
            return;
        }
        tries++;
        try {
            gate.transfer(1);
        } catch (StackOverflowError e) {
            overflows++;
        } catch (RuntimeException e) {
            // a gate fault: the callee was stopped
        }
        try {
            if (!gate.balanced()) {
                broken++;
            }
        } catch (Throwable t) {
            // no room to ask here; a shallower frame asks
        }
    }

    public static void main(String[] args) {
        try (Arena arena = Arena.ofConfined()) {
            ModuleDomain domain = new ModuleDomain("callee", new ModuleOptions(SharingStrategy.COPY, 0),
                    arena.allocate(64));
            gate = domain.gate(Accounts.class, new AccountsService(),
                    new GateSite(Accounts.class, "caller", "main", "accounts", "callee"));
            gate.transfer(0);
            gate.balanced();
            for (int round = 0; round < 3; round++) {
                tries = 0;
                dive();
            }
            boolean stopped = domain.failure() != null;
            System.out.println("headroom broken=" + broken + " overflows=" + overflows + " stopped=" + stopped);
        }
    }
}
