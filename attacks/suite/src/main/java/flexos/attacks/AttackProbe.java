package flexos.attacks;

import flexos.attacks.api.Attack;
import flexos.attacks.api.Vault;
import flexos.attacks.victim.HarnessLibrary;
import flexos.attacks.victim.VaultLibrary;
import flexos.core.config.CallTimeout;
import flexos.core.config.ConfigException;
import flexos.core.config.ConfigParser;
import flexos.core.config.ImageConfig;
import flexos.core.image.Image;
import flexos.core.image.ImageBuilder;
import flexos.core.image.LibraryCatalog;
import flexos.core.mechanism.GateFault;
import flexos.core.mechanism.Mechanism;
import flexos.core.mechanism.Mechanisms;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs one attack under one mechanism in this JVM and prints one result line. {@link AttackSuite} starts a JVM per
 * attack and mechanism, because under a mechanism that does not contain them an attack may end or hang the JVM.
 *
 * <p>The image has two compartments under the same mechanism: {@code trusted} (the vault and the harness
 * application) and {@code hostile} (the attacker, with a call timeout). The probe seals a secret in the vault, calls
 * the attack through the gate the harness sees, then checks whether the vault still answers, is intact, and whether
 * the JVM can still allocate.
 */
public final class AttackProbe {

    /** The line prefix {@link AttackSuite} looks for. */
    static final String RESULT = "flexos-attack-result\t";
    static final long SECRET = 0x5EC7E7_C0FFEEL;
    /**
     * How long a call into the hostile compartment may run under an isolating mechanism. It is longer than the
     * memory-exhaustion attack needs to run out of heap even on a loaded machine, because a timed-out call leaves
     * its thread running (Java cannot stop a thread): that attack must end in its own OutOfMemoryError, which the
     * gate contains, rather than keep allocating beside the probe.
     */
    static final long CALL_TIMEOUT_NANOS = 5_000_000_000L;
    /** How often the probe checks the image's health, to let an abandoned compartment thread die first. */
    private static final int HEALTH_CHECKS = 5;

    private AttackProbe() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: AttackProbe ATTACK MECHANISM");
            System.exit(2);
        }
        AttackCase attack = AttackCase.named(args[0]).orElseThrow(() -> new IllegalArgumentException("no attack " + args[0]));
        AttackResult result = run(attack, args[1]);
        System.out.println(RESULT + result.outcome().word() + "\t" + result.detail().replace('\n', ' ').replace('\t', ' '));
        System.out.flush();
        // A compartment's thread may still be spinning; this JVM's work is done.
        System.exit(0);
    }

    static AttackResult run(AttackCase attack, String mechanism) {
        Mechanisms mechanisms = Mechanisms.builtIn();
        Image image;
        try {
            LibraryCatalog catalog = LibraryCatalog.of(List.of(new VaultLibrary(), new HarnessLibrary(),
                    attack.library().get()));
            ImageBuilder builder = new ImageBuilder(catalog, mechanisms);
            image = Image.start(builder.plan(config(attack.name(), mechanisms.named(mechanism), builder)));
        } catch (Exception e) {
            return new AttackResult(attack.name(), mechanism, Outcome.BLOCKED, "the image refused to start: " + e.getMessage());
        }
        try {
            Vault vault = image.gateSeenBy("harness", Vault.class);
            Attack hostile = image.gateSeenBy("harness", Attack.class);
            vault.seal(SECRET);
            long evidence = 0;
            Throwable thrown = null;
            try {
                evidence = hostile.run(vault, vault.secretAddress());
            } catch (Throwable t) {
                thrown = t;
            }
            boolean alive = false;
            boolean intact = false;
            String dead = "";
            for (int check = 1; check <= HEALTH_CHECKS && !alive; check++) {
                try {
                    long[] breath = new long[4 << 20];
                    breath[breath.length - 1] = 1;
                    intact = vault.intact() && vault.staticState() == SECRET;
                    alive = true;
                } catch (Throwable t) {
                    dead = " (" + describe(t) + ", " + check + " health checks)";
                    pause();
                }
            }
            AttackResult judged = judge(attack, mechanism, evidence, thrown, alive, intact);
            return new AttackResult(judged.attack(), mechanism, judged.outcome(), judged.detail() + dead);
        } finally {
            try {
                image.close();
            } catch (RuntimeException e) {
                // A failed compartment may not close cleanly; the probe's answer is already decided.
            }
        }
    }

    /** Gives a dying compartment thread time to end, and the collector a chance to reclaim what it held. */
    private static void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.gc();
    }

    private static AttackResult judge(AttackCase attack, String mechanism, long evidence, Throwable thrown,
                                      boolean alive, boolean intact) {
        String stopped = thrown == null ? "returned normally" : describe(thrown);
        Outcome outcome;
        String detail;
        switch (attack.goal()) {
            case READ -> {
                boolean read = evidence == SECRET;
                outcome = read || !intact ? Outcome.SUCCEEDED : Outcome.BLOCKED;
                detail = read ? "read the secret" : !intact ? "damaged the vault" : "no secret read; " + stopped;
            }
            case WRITE -> {
                outcome = intact ? Outcome.BLOCKED : Outcome.SUCCEEDED;
                detail = intact ? "vault intact; " + stopped : "changed the vault's memory or state; " + stopped;
            }
            default -> {
                boolean gateError = thrown instanceof GateFault;
                outcome = gateError && alive && intact ? Outcome.CONTAINED : Outcome.SUCCEEDED;
                detail = (gateError ? "caller got " : "caller got no gate error: ") + stopped
                        + (alive ? intact ? "; vault still works" : "; vault damaged" : "; image no longer works");
            }
        }
        return new AttackResult(attack.name(), mechanism, outcome, detail);
    }

    /** What was thrown, without calling a hostile exception's own methods (they would run hostile code here). */
    private static String describe(Throwable thrown) {
        Class<?> type = thrown.getClass();
        boolean trusted = type.getModule() == Object.class.getModule() || thrown instanceof GateFault;
        return type.getSimpleName() + (trusted && thrown.getMessage() != null ? ": " + thrown.getMessage() : "");
    }

    /** The attacker alone in a compartment of {@code mechanism}, with a call timeout where the mechanism has one. */
    private static ImageConfig config(String attacker, Mechanism mechanism, ImageBuilder builder)
            throws ConfigException {
        String timeout = mechanism.compartmentKeys().contains(CallTimeout.KEY)
                ? ", " + CallTimeout.KEY + ": " + CallTimeout.format(CALL_TIMEOUT_NANOS) : "";
        String yaml = """
                image: attack-%1$s
                application: harness
                shared_heap: 1MiB
                compartments:
                  - {name: trusted, mechanism: %2$s, default: true, heap: 1MiB}
                  - {name: hostile, mechanism: %2$s, heap: 1MiB%3$s}
                libraries:
                  %1$s: {compartment: hostile}
                """.formatted(attacker, mechanism.name(), timeout);
        return ConfigParser.parse(yaml, Path.of("attack-" + attacker + ".yaml"), builder.vocabulary());
    }
}
