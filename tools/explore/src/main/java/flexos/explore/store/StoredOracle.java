package flexos.explore.store;

import flexos.explore.search.Measurement;
import flexos.explore.search.MeasurementOracle;
import flexos.explore.space.Configuration;
import java.util.Optional;
import java.util.function.Function;

/**
 * Makes an exploration resumable: answers from the {@link ResultsStore} what it already holds for this command,
 * and records every new measurement (committed) before returning it. Failed measurements are reused too, unless
 * {@code retryFailed}.
 */
public final class StoredOracle implements MeasurementOracle {

    private final ResultsStore store;
    private final MeasurementOracle measuring;
    private final Function<Configuration, String> notation;
    private final boolean retryFailed;
    private final Function<Measurement, java.util.Optional<Machine>> machineOf;
    private final java.util.Set<Configuration> recordedNow = new java.util.HashSet<>();
    private final java.util.Set<Configuration> reused = new java.util.HashSet<>();

    public StoredOracle(ResultsStore store, MeasurementOracle measuring, Function<Configuration, String> notation,
                        boolean retryFailed) {
        this(store, measuring, notation, retryFailed, m -> java.util.Optional.empty());
    }

    /**
     * @param machineOf where a measurement was made, when not on this machine (a Slurm node); empty: here
     */
    public StoredOracle(ResultsStore store, MeasurementOracle measuring, Function<Configuration, String> notation,
                        boolean retryFailed, Function<Measurement, java.util.Optional<Machine>> machineOf) {
        this.machineOf = machineOf;
        this.store = store;
        this.measuring = measuring;
        this.notation = notation;
        this.retryFailed = retryFailed;
    }

    @Override
    public Measurement measure(Configuration configuration) {
        Optional<Measurement> stored = store.find(configuration, measuring.command());
        if (stored.isPresent() && (stored.get().ok() || !retryFailed)) {
            if (!recordedNow.contains(configuration)) {
                reused.add(configuration);
            }
            return stored.get();
        }
        Measurement m = measuring.measure(configuration);
        record(m);
        recordedNow.add(configuration);
        return m;
    }

    /** Measures again through the measuring oracle and records the refined measurement as the latest row. */
    @Override
    public Measurement remeasure(Measurement previous) {
        Measurement m = measuring.remeasure(previous);
        if (m != previous) {
            record(m);
        }
        return m;
    }

    /** Records {@code m}, made elsewhere (a batch measured at once), as this oracle records its own. */
    public void record(Measurement m) {
        recordedNow.add(m.configuration());
        java.util.Optional<Machine> where = machineOf.apply(m);
        if (where.isPresent()) {
            store.record(m, notation.apply(m.configuration()), where.get());
        } else {
            store.record(m, notation.apply(m.configuration()));
        }
    }

    @Override
    public String command() {
        return measuring.command();
    }

    /**
     * How many configurations were answered from measurements stored before this oracle was made (a resumed
     * exploration); a configuration asked for twice (by the search, then by {@code --verify}) counts once.
     */
    public int reused() {
        return reused.size();
    }
}
