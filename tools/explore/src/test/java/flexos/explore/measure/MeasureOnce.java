package flexos.explore.measure;

import flexos.explore.space.Notation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * A child-JVM program for {@link ImageRunnerKillTest}: measures one configuration with the launcher given, as
 * {@code flexos explore} would, and prints the outcome. Arguments: launcher, work directory, start timeout (s).
 */
public final class MeasureOnce {

    private MeasureOnce() {
    }

    public static void main(String[] args) {
        Notation notation = flexos.explore.TestNotations.redisImage(Set.of("asan"));
        ImageRunner runner = new ImageRunner(Path.of(args[0]), new RedisBenchmark(Path.of("redis-benchmark"), ImageRunnerTest.PAPER_ARGUMENTS),
                "explore-redis", "redis", Path.of(args[1]), Duration.ofSeconds(Long.parseLong(args[2])),
                Duration.ofSeconds(60), ImageRunnerTest.QUICK);
        System.out.println("measuring");
        System.out.flush();
        var m = runner.measure(notation.parse("R1 N1 S2 L2"));
        System.out.println(m.ok() ? "ok" : "failed: " + m.error());
    }
}
