package flexos.explore.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.explore.search.Measurement;
import flexos.explore.space.Configuration;
import flexos.explore.space.Notation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsStoreTest {

    @TempDir
    Path dir;

    final Notation notation = flexos.explore.TestNotations.redisImage(java.util.Set.of("asan", "cfi"));

    @Test
    void aMeasurementComesBackWithItsConfigurationMetricsStatusAndMachine() {
        Configuration c = notation.parse("R1H N1 S2{cfi} L3 3:process");
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Path db = dir.resolve("r.db");
        try (ResultsStore store = ResultsStore.open(db, new Machine("box", 2))) {
            store.record(Measurement.ok(c, Map.of("get", 1.5e6, "set", 9e5), "redis-benchmark -q", t,
                    Duration.ofMillis(1234)), notation.format(c));
            store.record(Measurement.failed(notation.parse("R1 N1 S1 L1"), "port 6379 never opened",
                    "redis-benchmark -q", t, Duration.ofSeconds(30)), "R1 N1 S1 L1");
        }
        try (ResultsStore store = ResultsStore.open(db, Machine.current())) {
            Measurement back = store.find(c, "redis-benchmark -q").orElseThrow();
            assertEquals(c, back.configuration());
            assertEquals(Map.of("get", 1.5e6, "set", 9e5), back.metrics());
            assertEquals(t, back.started());
            assertEquals(Duration.ofMillis(1234), back.duration());
            assertFalse(store.find(c, "another command").isPresent());
            var rows = store.all();
            assertEquals(2, rows.size());
            assertEquals(new Machine("box", 2), rows.get(0).machine());
            assertEquals("R1H N1 S2{cfi} L3 3:process", rows.get(0).notation());
            Measurement failed = rows.get(1).measurement();
            assertFalse(failed.ok());
            assertEquals("port 6379 never opened", failed.error());
        }
    }

    @Test
    void aResumedSearchAndItsVerificationReuseEachStoredConfigurationOnceAndMeasureOnlyTheRest() {
        Path db = dir.resolve("v.db");
        Configuration stored = notation.parse("R1 N1 S1 L1");
        Configuration fresh = notation.parse("R1 N1 S2 L2");
        java.util.List<Configuration> measuredForReal = new java.util.ArrayList<>();
        flexos.explore.search.MeasurementOracle real = new flexos.explore.search.MeasurementOracle() {
            @Override
            public Measurement measure(Configuration c) {
                measuredForReal.add(c);
                return Measurement.ok(c, Map.of("get", 2.0), command(), Instant.now(), Duration.ZERO);
            }

            @Override
            public String command() {
                return "bench";
            }
        };
        try (ResultsStore store = ResultsStore.open(db, Machine.current())) {
            store.record(Measurement.ok(stored, Map.of("get", 1.0), "bench", Instant.now(), Duration.ZERO),
                    "R1 N1 S1 L1");
            StoredOracle oracle = new StoredOracle(store, real, notation::format, false);
            // The search asks for both, then --verify asks for both again.
            for (int round = 0; round < 2; round++) {
                assertEquals(Map.of("get", 1.0), oracle.measure(stored).metrics());
                assertEquals(Map.of("get", 2.0), oracle.measure(fresh).metrics());
            }
            assertEquals(1, oracle.reused());
            assertEquals(java.util.List.of(fresh), measuredForReal);
            assertEquals(2, store.all().size());
        }
    }

    @Test
    void theDatabaseRunsInWalMode() throws Exception {
        Path db = dir.resolve("w.db");
        try (ResultsStore store = ResultsStore.open(db, Machine.current())) {
            store.record(Measurement.ok(notation.parse("R1 N1 S1 L1"), Map.of("get", 1.0), "x", Instant.now(),
                    Duration.ZERO), "R1 N1 S1 L1");
            assertTrue(Files.exists(dir.resolve("w.db-wal")));
        }
    }

    @Test
    void aFileThatIsNotADatabaseIsRefusedWithItsName() throws Exception {
        Path bad = dir.resolve("notes.txt");
        Files.writeString(bad, "this is not sqlite, just some text that is long enough to have a header".repeat(20));
        StoreException e = assertThrows(StoreException.class, () -> ResultsStore.open(bad, Machine.current()));
        assertTrue(e.getMessage().contains("notes.txt"), e.getMessage());
    }
}
