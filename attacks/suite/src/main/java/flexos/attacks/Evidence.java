package flexos.attacks;

import flexos.core.mechanism.Mechanism;
import flexos.core.mechanism.Mechanisms;
import flexos.core.mechanism.ThreatClass;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a run of the suite shows about each mechanism: the classes of attack it stops (every row of the class blocked
 * or contained), the rows that disprove a claim ({@link Mechanism#claims()}), and the rows it does not stop.
 */
public final class Evidence {

    private Evidence() {
    }

    /**
     * The threat classes every row of which {@code mechanism} blocked or contained in {@code results}, among the
     * classes {@code attacks} has rows of.
     */
    public static Set<ThreatClass> shownToStop(String mechanism, List<AttackResult> results, List<AttackCase> attacks) {
        Set<ThreatClass> stopped = EnumSet.noneOf(ThreatClass.class);
        Set<ThreatClass> failed = EnumSet.noneOf(ThreatClass.class);
        for (AttackResult r : results) {
            if (!r.mechanism().equals(mechanism)) {
                continue;
            }
            Optional<AttackCase> attack = named(attacks, r.attack());
            if (attack.isEmpty()) {
                continue;
            }
            (r.outcome() == Outcome.SUCCEEDED ? failed : stopped).add(attack.get().threat());
        }
        stopped.removeAll(failed);
        return stopped;
    }

    /** The rows of {@code results} that disprove a claim of their mechanism: a claimed class, succeeded. */
    public static List<AttackResult> disprovedClaims(List<AttackResult> results, List<AttackCase> attacks) {
        Mechanisms mechanisms = Mechanisms.builtIn();
        List<AttackResult> disproving = new ArrayList<>();
        for (AttackResult r : results) {
            Optional<AttackCase> attack = named(attacks, r.attack());
            if (attack.isPresent() && r.outcome() == Outcome.SUCCEEDED
                    && mechanisms.named(r.mechanism()).claims().contains(attack.get().threat())) {
                disproving.add(r);
            }
        }
        return disproving;
    }

    /**
     * One paragraph per mechanism: what it claims, what the rows show it stops, and the rows it does not stop; rows of
     * a class an in-process mechanism cannot bound (availability) are marked "use process".
     */
    public static String summary(List<AttackResult> results, List<AttackCase> attacks) {
        Mechanisms mechanisms = Mechanisms.builtIn();
        Map<String, List<AttackResult>> byMechanism = new LinkedHashMap<>();
        results.forEach(r -> byMechanism.computeIfAbsent(r.mechanism(), m -> new ArrayList<>()).add(r));
        StringBuilder out = new StringBuilder("What each mechanism is shown to stop (every row of the class blocked or "
                + "contained):\n");
        byMechanism.forEach((name, rows) -> {
            Mechanism mechanism = mechanisms.named(name);
            Set<ThreatClass> shown = shownToStop(name, results, attacks);
            out.append("  ").append(name).append(": ").append(words(shown)).append('\n');
            out.append("    claims: ").append(words(mechanism.claims()));
            // A claimed class this run has no row of (a run of some attacks, -a) is untried, not disproved.
            Set<ThreatClass> tried = EnumSet.noneOf(ThreatClass.class);
            rows.forEach(r -> named(attacks, r.attack()).ifPresent(a -> tried.add(a.threat())));
            List<String> unbacked = new ArrayList<>();
            List<String> untried = new ArrayList<>();
            for (ThreatClass claim : mechanism.claims()) {
                if (!tried.contains(claim)) {
                    untried.add(claim.word());
                } else if (!shown.contains(claim)) {
                    unbacked.add(claim.word());
                }
            }
            out.append(unbacked.isEmpty() ? "" : " (NOT backed by these rows: " + String.join(", ", unbacked) + ")")
                    .append(untried.isEmpty() ? "" : " (no row of " + String.join(", ", untried) + " in this run)")
                    .append('\n');
            Set<String> notStopped = new TreeSet<>();
            for (AttackResult r : rows) {
                if (r.outcome() == Outcome.SUCCEEDED) {
                    ThreatClass threat = named(attacks, r.attack()).map(AttackCase::threat).orElse(null);
                    boolean inProcess = !name.equals("process") && !name.equals("fcall");
                    notStopped.add(r.attack() + (threat == ThreatClass.AVAILABILITY && inProcess
                            ? " (not stopped by `" + name + "`: use `process`)"
                            : threat == ThreatClass.NATIVE_MEMORY && name.equals("module")
                            ? " (not stopped by `module`: use `mpk` or `process`)" : ""));
                }
            }
            if (!notStopped.isEmpty() && !name.equals("fcall")) {
                out.append("    not stopped: ").append(String.join(", ", notStopped)).append('\n');
            }
        });
        return out.toString();
    }

    private static String words(Set<ThreatClass> classes) {
        if (classes.isEmpty()) {
            return "nothing";
        }
        List<String> words = new ArrayList<>();
        for (ThreatClass c : ThreatClass.values()) {
            if (classes.contains(c)) {
                words.add(c.word());
            }
        }
        return String.join(", ", words);
    }

    private static Optional<AttackCase> named(List<AttackCase> attacks, String name) {
        return attacks.stream().filter(a -> a.name().equals(name)).findFirst();
    }
}
