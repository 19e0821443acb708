package flexos.explore.measure;

import flexos.explore.profile.ExplorationProfile;
import java.nio.file.Path;
import java.util.List;

/** The clients an exploration profile may name, each turned into a {@link Workload}. */
public final class Workloads {

    /** The clients this build can drive. */
    public static final List<String> CLIENTS = List.of(RedisBenchmark.CLIENT);

    private Workloads() {
    }

    /**
     * The workload a profile describes.
     *
     * @param executable  the client to run, or {@code null} for the client's name on the PATH
     * @throws IllegalArgumentException for a client this build does not know, naming those it knows
     */
    public static Workload of(ExplorationProfile.WorkloadSpec spec, Path executable) {
        return switch (spec.client()) {
            case RedisBenchmark.CLIENT -> new RedisBenchmark(executable != null ? executable
                    : Path.of(RedisBenchmark.CLIENT), spec.arguments());
            default -> throw new IllegalArgumentException("the exploration profile names the client '"
                    + spec.client() + "', which this build cannot drive; it can drive " + CLIENTS);
        };
    }
}
