package flexos.core.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the known name a user most likely meant when they typed an unknown one, for "did you mean" hints.
 *
 * <p>Names are compared case-insensitively by optimal string alignment distance (Levenshtein plus the swap of two
 * adjacent letters, the commonest typo). A candidate is offered only when it is close enough to be a plausible typo:
 * at most one edit per three letters of what was typed (at least one edit). Failing that, a known name of three or
 * more letters that the typed word starts with is offered ({@code scheduler} → {@code sched}), because people often
 * write a library's full name. Ties go to the alphabetically first name so that messages are reproducible.
 */
final class ClosestName {

    private ClosestName() {
    }

    /** The known name closest to {@code typed}, or empty when none is close enough to be worth suggesting. */
    static Optional<String> among(String typed, Collection<String> known) {
        String wanted = typed.toLowerCase(Locale.ROOT);
        int allowed = Math.max(1, wanted.length() / 3);
        Optional<String> byDistance = known.stream()
                .filter(name -> distance(wanted, name.toLowerCase(Locale.ROOT)) <= allowed)
                .min(Comparator.<String>comparingInt(name -> distance(wanted, name.toLowerCase(Locale.ROOT)))
                        .thenComparing(Comparator.naturalOrder()));
        if (byDistance.isPresent()) {
            return byDistance;
        }
        return known.stream()
                .filter(name -> name.length() >= 3 && wanted.startsWith(name.toLowerCase(Locale.ROOT)))
                .max(Comparator.comparingInt(String::length).thenComparing(Comparator.<String>reverseOrder()));
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps each cost one. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int best = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    best = Math.min(best, d[i - 2][j - 2] + 1);
                }
                d[i][j] = best;
            }
        }
        return d[a.length()][b.length()];
    }
}
