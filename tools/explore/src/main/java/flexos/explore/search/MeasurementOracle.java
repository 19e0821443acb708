package flexos.explore.search;

import flexos.explore.space.Configuration;

/**
 * Measures one configuration. Real oracles build, start and load an image; offline ones look the answer up
 * (a CSV file, a results store). An oracle never throws for a configuration that cannot be measured: it returns
 * a {@link Measurement.Status#FAILED} measurement, so one broken configuration does not stop an exploration.
 */
public interface MeasurementOracle {

    Measurement measure(Configuration configuration);

    /**
     * Measures {@code previous}'s configuration again and returns {@code previous} with the new samples added, for a
     * measurement whose interval straddles the budget's limit. An oracle that cannot take more samples (a file)
     * returns {@code previous} unchanged; so does every oracle for a failed measurement.
     */
    default Measurement remeasure(Measurement previous) {
        return previous;
    }

    /** The command this oracle runs, as recorded with each measurement. */
    String command();
}
