package flexos.explore.search;

import flexos.explore.space.Configuration;

/**
 * Measures one configuration. Real oracles build, start and load an image; offline ones look the answer up
 * (a CSV file, a results store). An oracle never throws for a configuration that cannot be measured: it returns
 * a {@link Measurement.Status#FAILED} measurement, so one broken configuration does not stop an exploration.
 */
public interface MeasurementOracle {

    Measurement measure(Configuration configuration);

    /** The command this oracle runs, as recorded with each measurement. */
    String command();
}
