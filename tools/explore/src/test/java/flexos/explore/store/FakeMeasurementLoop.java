package flexos.explore.store;

import flexos.explore.search.Measurement;
import flexos.explore.search.MeasurementOracle;
import flexos.explore.space.Configuration;
import flexos.explore.space.ConfigurationSpace;
import flexos.explore.space.Notation;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A child-JVM program for {@link ResumeAfterKillTest}: measures a 20-configuration space through a
 * {@link StoredOracle} with a slow fake oracle, printing one line per finished measurement.
 * Arguments: database file, milliseconds per measurement.
 */
public final class FakeMeasurementLoop {

    static final Notation NOTATION = flexos.explore.TestNotations.redisImage(java.util.Set.of("asan"));

    static List<Configuration> space() {
        return ConfigurationSpace.of(NOTATION.libraries()).allPartitions().together(List.of("redis", "libc"))
                .hardeningOptions("net", List.of("asan")).hardeningOptions("sched", List.of("asan"))
                .configurations();
    }

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        long delay = Long.parseLong(args[1]);
        MeasurementOracle fake = new MeasurementOracle() {
            @Override
            public Measurement measure(Configuration c) {
                Instant start = Instant.now();
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Measurement.ok(c, Map.of("get", 1000.0 * c.key().length()), command(), start,
                        Duration.ofMillis(delay));
            }

            @Override
            public String command() {
                return "fake";
            }
        };
        try (ResultsStore store = ResultsStore.open(db, Machine.current())) {
            StoredOracle oracle = new StoredOracle(store, fake, NOTATION::format, false);
            int done = 0;
            for (Configuration c : space()) {
                oracle.measure(c);
                System.out.println("measured " + ++done);
                System.out.flush();
            }
            System.out.println("reused " + oracle.reused());
        }
    }
}
