package flexos.explore.measure;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * How {@link ImageRunner} measures one configuration: after the image accepts connections, a calibration run
 * (its throughput sizes the others), then client runs until {@code warmUp} has passed (the JIT compiles the hot
 * paths), then runs of about {@code run} each, every one a sample, as many as the {@link SamplingPlan} asks for.
 * Measuring again starts the image anew, so the samples also hold the noise between two starts of one image.
 *
 * @param warmUp  how long to load the image before any sample is taken
 * @param run     how long each measured run should last
 * @param plan    how many runs
 * @param pinning where to run the image and the client, if pinned
 */
public record MeasurementSettings(Duration warmUp, Duration run, SamplingPlan plan, Optional<Pinning> pinning) {

    /** The requests of the calibration run, per test. */
    public static final long CALIBRATION_REQUESTS = 20_000;

    /** The fewest requests of a run, per test: fewer and the client's start and stop dominate. */
    public static final long MIN_REQUESTS = 10_000;

    /**
     * The image and the client each on CPUs of their own ({@code taskset -c}), so that they do not take turns on
     * one CPU; whether that lowers the noise is measured in docs/explore.md.
     *
     * @param image  the image's CPU list, e.g. {@code 1}
     * @param client the client's CPU list, e.g. {@code 0}
     */
    public record Pinning(String image, String client) {
        public Pinning {
            if (!image.matches("[0-9,-]+") || !client.matches("[0-9,-]+")) {
                throw new IllegalArgumentException("a CPU list is numbers and ranges, e.g. 0 or 0-1, got '" + image
                        + "' and '" + client + "'");
            }
        }

        /** Reads {@code IMAGE:CLIENT}, e.g. {@code 1:0}. */
        public static Pinning parse(String text) {
            int colon = text.indexOf(':');
            if (colon < 1 || colon == text.length() - 1) {
                throw new IllegalArgumentException("cannot read the pinning '" + text + "'; write IMAGE_CPUS:CLIENT_CPUS,"
                        + " e.g. 1:0");
            }
            return new Pinning(text.substring(0, colon), text.substring(colon + 1));
        }
    }

    public MeasurementSettings {
        if (warmUp.isNegative() || !run.isPositive()) {
            throw new IllegalArgumentException("the warm-up must not be negative and a run must last, got " + warmUp
                    + " and " + run);
        }
    }

    /** 5 s of warm-up, runs of 1 s, {@link SamplingPlan#standard()}, not pinned. */
    public static MeasurementSettings standard() {
        return new MeasurementSettings(Duration.ofSeconds(5), Duration.ofSeconds(1), SamplingPlan.standard(),
                Optional.empty());
    }

    /** As recorded with each measurement: a store reuses only rows measured the same way. */
    public String describe() {
        return String.format(Locale.ROOT, "warm-up %.1fs, runs of %.1fs, %d-%d runs until +-%.1f%% at %.0f%%%s",
                warmUp.toMillis() / 1000.0, run.toMillis() / 1000.0, plan.minRuns(), plan.maxRuns(),
                100 * plan.precision(), 100 * plan.confidence(),
                pinning.map(p -> ", image on CPUs " + p.image() + ", client on CPUs " + p.client()).orElse(""));
    }
}
