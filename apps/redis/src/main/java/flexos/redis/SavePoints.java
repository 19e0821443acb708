package flexos.redis;

import java.util.ArrayList;
import java.util.List;

/**
 * Redis's {@code save} parameter: snapshot when at least {@code changes} writes happened and more than
 * {@code seconds} passed since the last snapshot, for any of the points. Empty: no automatic snapshots.
 *
 * @param points pairs of (seconds, changes), in the order written
 */
record SavePoints(List<long[]> points) {

    SavePoints {
        points = List.copyOf(points);
    }

    /** The points of {@code text} ("3600 1 300 100", or "" for none), or null if it is not pairs of numbers. */
    static SavePoints parse(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            return new SavePoints(List.of());
        }
        String[] words = trimmed.split("\\s+");
        if (words.length % 2 != 0) {
            return null;
        }
        List<long[]> points = new ArrayList<>();
        for (int i = 0; i < words.length; i += 2) {
            try {
                long seconds = Long.parseLong(words[i]);
                long changes = Long.parseLong(words[i + 1]);
                if (seconds < 1 || changes < 0) {
                    return null;
                }
                points.add(new long[] {seconds, changes});
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return new SavePoints(points);
    }

    /** Whether a snapshot is due: some point has its changes within its seconds since the last save. */
    boolean due(long changes, long secondsSinceSave) {
        for (long[] point : points) {
            if (changes >= point[1] && secondsSinceSave > point[0]) {
                return true;
            }
        }
        return false;
    }

    boolean isEmpty() {
        return points.isEmpty();
    }

    /** As CONFIG GET save prints it. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (long[] point : points) {
            if (!text.isEmpty()) {
                text.append(' ');
            }
            text.append(point[0]).append(' ').append(point[1]);
        }
        return text.toString();
    }
}
