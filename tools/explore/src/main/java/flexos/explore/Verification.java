package flexos.explore;

import flexos.explore.space.Configuration;
import java.util.List;

/**
 * How a search's answer compares with exhaustive measurement of the same space.
 *
 * @param exhaustiveAnswer what exhaustive measurement finds
 * @param missed           configurations in the exhaustive answer that the search did not report
 * @param spurious         configurations the search reported that exhaustive measurement does not
 */
public record Verification(List<Configuration> exhaustiveAnswer, List<Configuration> missed,
                           List<Configuration> spurious) {

    public Verification {
        exhaustiveAnswer = List.copyOf(exhaustiveAnswer);
        missed = List.copyOf(missed);
        spurious = List.copyOf(spurious);
    }

    /** Whether the search found exactly the exhaustive answer. */
    public boolean same() {
        return missed.isEmpty() && spurious.isEmpty();
    }
}
