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
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one attack under one mechanism in this JVM and prints one signed verdict ({@link Verdict}). {@link AttackSuite}
 * starts a JVM per attack and mechanism, because under a mechanism that does not contain them an attack may end or
 * hang the JVM; the suite also judges what it sees from outside (exit status, exit time, a crash report).
 *
 * <p>The image has two compartments under the same mechanism: {@code trusted} (the vault and the harness
 * application) and {@code hostile} (the attacker, with a call timeout). The probe seals a random secret in the
 * vault, snapshots the state every compartment shares ({@link JvmGlobals}), calls the attack through the gate the
 * harness sees, waits {@link #SETTLE_MILLIS} for what the attack left behind to act, then judges harm, not only the
 * attack's goal: the shared state must be unchanged, the image healthy ({@link ImageHealth}) and the vault intact.
 */
public final class AttackProbe {

    /**
     * How long a call into the hostile compartment may run under an isolating mechanism. It is longer than the
     * memory-exhaustion attack needs to run out of heap even on a loaded machine, because a timed-out call leaves
     * its thread running (Java cannot stop a thread): that attack must end in its own OutOfMemoryError, which the
     * gate contains, rather than keep allocating beside the probe.
     */
    static final long CALL_TIMEOUT_NANOS = 5_000_000_000L;
    /** How long the probe waits after the attack returns, for threads and hooks the attacker left to act. */
    static final long SETTLE_MILLIS = 300;
    /** The compartment that holds the vault: the victim, whose heap the memory attacks aim at. */
    static final String VICTIM_COMPARTMENT = "trusted";
    /** How long the checks after the attack may take: longer means a lock the attacker holds blocks them. */
    private static final long CHECKS_MILLIS = 20_000;

    private AttackProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 && !(args.length == 7 && args[2].equals("--outside"))) {
            System.err.println("usage: AttackProbe ATTACK MECHANISM [--outside GOAL THREAT MODULE LIBRARY-CLASS]"
                    + "  (the verdict key on standard input)");
            System.exit(2);
        }
        // First of all, before any hostile class is loaded: take the key and empty the input, and keep the real
        // standard output for the verdict (the attacker may replace System.out).
        Verdict verdict = Verdict.read(new FileInputStream(FileDescriptor.in), args[0], args[1]);
        PrintStream channel = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        AttackCase attack = args.length == 2
                ? AttackCase.named(args[0]).orElseThrow(() -> new IllegalArgumentException("no attack " + args[0]))
                : outside(args);
        AttackResult result = run(attack, args[1]);
        channel.println(verdict.line(result.outcome(), result.detail().replace('\n', ' ')));
        channel.flush();
        // Asked to exit: the suite measures from outside how long this takes, and with which status.
        System.exit(0);
    }

    /** An attack from outside the project, as {@link AttackSuite} describes it on the command line. */
    private static AttackCase outside(String[] args) {
        OutsideAttacks.Origin origin = new OutsideAttacks.Origin(null, args[5], args[6]);
        return new AttackCase(args[0], AttackCase.Goal.valueOf(args[3]),
                flexos.core.mechanism.ThreatClass.valueOf(args[4]), "", () -> OutsideAttacks.libraryIn(origin),
                java.util.Optional.of(origin));
    }

    static AttackResult run(AttackCase attack, String mechanism) {
        Mechanisms mechanisms = Mechanisms.builtIn();
        long secret = secret();
        Image image;
        try {
            LibraryCatalog catalog = LibraryCatalog.of(List.of(new VaultLibrary(), new HarnessLibrary(),
                    attack.library().get()));
            ImageBuilder builder = new ImageBuilder(catalog, mechanisms);
            image = Image.start(builder.plan(config(attack.name(), mechanism, mechanisms, builder)));
        } catch (Exception e) {
            return new AttackResult(attack.name(), mechanism, Outcome.BLOCKED, "the image refused to start: " + e.getMessage());
        }
        try {
            Vault vault = image.gateSeenBy("harness", Vault.class);
            Attack hostile = image.gateSeenBy("harness", Attack.class);
            vault.seal(secret);
            // Everything the checks use is loaded before the attack, so that no attack can break it first.
            ImageHealth.vault(vault, secret);
            JvmGlobals before = JvmGlobals.now();
            long evidence = 0;
            Throwable thrown = null;
            try {
                evidence = hostile.run(vault, vault.secretAddress());
            } catch (Throwable t) {
                thrown = t;
            }
            settle();
            Checked checked = check(vault, secret, before);
            return judge(attack, mechanism, secret, evidence, thrown, checked);
        } finally {
            try {
                image.close();
            } catch (RuntimeException e) {
                // A failed compartment may not close cleanly; the probe's answer is already decided.
            }
        }
    }

    /** What the checks after the attack found. */
    private record Checked(ImageHealth.VaultState vault, List<String> harm) {
    }

    /**
     * Checks the vault, the image's health and the shared state, on a thread of their own with a time bound: an
     * attacker that holds a lock the checks need (the shutdown hooks' class, a provider list) must not hang them.
     */
    private static Checked check(Vault vault, long secret, JvmGlobals before) {
        AtomicReference<Checked> result = new AtomicReference<>();
        Runnable checks = () -> {
            ImageHealth.VaultState state = ImageHealth.vault(vault, secret);
            List<String> harm = new ArrayList<>(ImageHealth.problems());
            try {
                harm.addAll(before.changesIn(JvmGlobals.now()));
            } catch (Throwable t) {
                harm.add("cannot read the shared state (" + describe(t) + ")");
            }
            result.set(new Checked(state, harm));
        };
        Thread checker;
        try {
            checker = new Thread(checks, "flexos-probe-checks");
            checker.setDaemon(true);
            checker.start();
        } catch (Throwable t) {
            checks.run();
            Checked inline = result.get();
            List<String> harm = new ArrayList<>(inline.harm());
            harm.add("cannot start a thread (" + describe(t) + ")");
            return new Checked(inline.vault(), harm);
        }
        try {
            checker.join(CHECKS_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Checked done = result.get();
        return done != null ? done : new Checked(new ImageHealth.VaultState(false, false, "no answer"),
                List.of("the checks after the attack did not finish within " + CHECKS_MILLIS + " ms (a lock held?)"));
    }

    private static void settle() {
        try {
            Thread.sleep(SETTLE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long secret() {
        long secret = 0;
        SecureRandom random = new SecureRandom();
        while (secret == 0 || secret == -1) {
            secret = random.nextLong();
        }
        return secret;
    }

    private static AttackResult judge(AttackCase attack, String mechanism, long secret, long evidence, Throwable thrown,
                                      Checked checked) {
        List<String> harm = new ArrayList<>(checked.harm());
        boolean gateFault = thrown instanceof GateFault;
        if (thrown != null && !trusted(thrown)) {
            harm.add(0, "an exception of the attacker's own class reached the caller (its code runs there)");
        }
        ImageHealth.VaultState vault = checked.vault();
        if (!vault.alive()) {
            harm.add(0, "the vault no longer answers (" + vault.failure() + ")");
        } else if (!vault.intact()) {
            harm.add(0, "the vault's memory or state changed");
        }
        String stopped = thrown == null ? "returned normally" : describe(thrown);
        String harmed = String.join("; ", harm);
        Outcome outcome;
        String detail;
        switch (attack.goal()) {
            case READ -> {
                boolean read = evidence == secret;
                outcome = read || !harm.isEmpty() ? Outcome.SUCCEEDED : Outcome.BLOCKED;
                detail = read ? "read the secret" + (harm.isEmpty() ? "" : "; " + harmed)
                        : harm.isEmpty() ? "no secret read; " + stopped : harmed + "; " + stopped;
            }
            case WRITE, HARM -> {
                outcome = !harm.isEmpty() ? Outcome.SUCCEEDED : gateFault && attack.goal() == AttackCase.Goal.HARM
                        ? Outcome.CONTAINED : Outcome.BLOCKED;
                detail = harm.isEmpty() ? "no harm seen; " + stopped : harmed + "; " + stopped;
            }
            default -> {
                if (!harm.isEmpty()) {
                    outcome = Outcome.SUCCEEDED;
                    detail = harmed + "; " + stopped;
                } else if (gateFault) {
                    outcome = Outcome.CONTAINED;
                    detail = "caller got " + stopped + "; vault still works";
                } else if (thrown != null) {
                    outcome = Outcome.SUCCEEDED;
                    detail = "caller got no gate error: " + stopped;
                } else {
                    outcome = Outcome.BLOCKED;
                    detail = "returned normally; no harm seen";
                }
            }
        }
        return new AttackResult(attack.name(), mechanism, outcome, detail);
    }

    /** Whether {@code thrown} is of a class the probe trusts: the JDK's own base module's, or flexos.core's. */
    private static boolean trusted(Throwable thrown) {
        Module module = thrown.getClass().getModule();
        return module == Object.class.getModule() || module == GateFault.class.getModule();
    }

    /** What was thrown, without calling a hostile exception's own methods (they would run hostile code here). */
    static String describe(Throwable thrown) {
        Class<?> type = thrown.getClass();
        return type.getSimpleName() + (trusted(thrown) && thrown.getMessage() != null ? ": " + thrown.getMessage() : "");
    }

    /**
     * The attacker alone in a compartment of {@code mechanism}, with a call timeout where the mechanism has one.
     * {@code mechanism} may carry options for both compartments after a slash, {@code process/sandbox=none}: a run
     * with a layer turned off shows that an attack it blocks is real and which layer stops it.
     */
    private static ImageConfig config(String attacker, String variant, Mechanisms mechanisms, ImageBuilder builder)
            throws ConfigException {
        String[] nameOptions = variant.split("/", 2);
        Mechanism mechanism = mechanisms.named(nameOptions[0]);
        StringBuilder options = new StringBuilder();
        if (nameOptions.length == 2) {
            for (String option : nameOptions[1].split(",")) {
                String[] keyValue = option.split("=", 2);
                if (keyValue.length != 2 || !mechanism.compartmentKeys().contains(keyValue[0])) {
                    throw new IllegalArgumentException("mechanism option " + option + " of " + variant
                            + " is not KEY=VALUE with a key of " + mechanism.name() + " " + mechanism.compartmentKeys());
                }
                options.append(", ").append(keyValue[0]).append(": ").append(keyValue[1]);
            }
        }
        String timeout = mechanism.compartmentKeys().contains(CallTimeout.KEY)
                ? ", " + CallTimeout.KEY + ": " + CallTimeout.format(CALL_TIMEOUT_NANOS) : "";
        String yaml = """
                image: attack-%1$s
                application: harness
                shared_heap: 1MiB
                compartments:
                  - {name: %4$s, mechanism: %2$s, default: true, heap: 1MiB%5$s}
                  - {name: hostile, mechanism: %2$s, heap: 1MiB%3$s%5$s}
                libraries:
                  %1$s: {compartment: hostile}
                """.formatted(attacker, mechanism.name(), timeout, VICTIM_COMPARTMENT, options);
        return ConfigParser.parse(yaml, Path.of("attack-" + attacker + ".yaml"), builder.vocabulary());
    }
}
