package flexos.explore.search;

/** Hears about each measurement as a search makes it, e.g. to draw a progress bar. */
@FunctionalInterface
public interface SearchObserver {

    /**
     * @param measurement the measurement just made
     * @param measured    how many measurements the search has made so far
     * @param remaining   how many configurations are still undecided: an upper bound on the measurements to come
     */
    void measured(Measurement measurement, int measured, int remaining);

    SearchObserver NONE = (m, done, remaining) -> { };
}
