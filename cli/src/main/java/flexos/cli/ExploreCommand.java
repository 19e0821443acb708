package flexos.cli;

import flexos.core.text.JsonText;
import flexos.explore.Exploration;
import flexos.explore.Verification;
import flexos.explore.budget.Budget;
import flexos.explore.measure.ConfigurationYaml;
import flexos.explore.measure.ImageRunner;
import flexos.explore.measure.RedisBenchmark;
import flexos.explore.order.MechanismStrength;
import flexos.explore.order.Poset;
import flexos.explore.order.SafetyOrder;
import flexos.explore.report.HtmlReport;
import flexos.explore.report.ProgressBar;
import flexos.explore.search.BudgetedSearch;
import flexos.explore.search.CsvMeasurements;
import flexos.explore.search.ExhaustiveSearch;
import flexos.explore.search.Measurement;
import flexos.explore.search.MeasurementOracle;
import flexos.explore.search.Search;
import flexos.explore.search.SearchObserver;
import flexos.explore.search.SearchResult;
import flexos.explore.space.Configuration;
import flexos.explore.space.ConfigurationSpace;
import flexos.explore.space.HardeningMap;
import flexos.explore.space.Layout;
import flexos.explore.space.Notation;
import flexos.explore.store.Machine;
import flexos.explore.store.ResultsStore;
import flexos.explore.store.StoreException;
import flexos.explore.store.StoredOracle;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flexos explore}: finds the safest configurations of an image that meet a performance budget, by measuring
 * them for real or by reading measurements from a CSV file. See docs/explore.md.
 */
@Command(name = "explore", mixinStandardHelpOptions = true,
        description = {
            "Find the safest configurations that are fast enough: the maximal elements, under the partial safety "
                + "order, of the configurations that meet the budget.",
            "Quick by default: the Redis image's 5 layouts (split layouts under module) x redis and net each "
                + "hardened or not (asan) = 20 configurations. --full explores the paper's shape: 5 layouts x 16 "
                + "hardening subsets (redis, libc, net: asan; sched: contracts) = 80 configurations.",
            "Every configuration is checked to build before anything is measured."})
public final class ExploreCommand implements Callable<Integer> {

    /** What "hardened" means in the quick space: the two libraries whose hardening FlexOS found cheap and dear. */
    static final String QUICK_HARDENING = "redis=asan,net=asan";

    /** What "hardened" means in the full space: each library with the option it can take (docs/hardening.md). */
    static final String FULL_HARDENING = "redis=asan,libc=asan,sched=contracts,net=asan";

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG-OR-APP", defaultValue = "redis",
            description = "The application (redis) or an image configuration whose application is explored "
                    + "(default: ${DEFAULT-VALUE}). Ignored with --from-csv.")
    private String target;

    @Option(names = "--budget", required = true, paramLabel = "EXPR",
            description = "The budget, e.g. get>=500000, get>=500k, get>=0.5x (of the best measured or of "
                    + "--baseline); several joined by commas. Throughput is in requests per second.")
    private String budgetText;

    @Option(names = "--search", defaultValue = "budgeted", paramLabel = "exhaustive|budgeted",
            description = "How to search (default: ${DEFAULT-VALUE}).")
    private String searchName;

    @Option(names = "--margin", defaultValue = "0.1", paramLabel = "FRACTION",
            description = "Budgeted search: a result within this fraction of the limit implies nothing "
                    + "(default: ${DEFAULT-VALUE}).")
    private double margin;

    @Option(names = "--verify", description = "Also measure exhaustively and report how the answer differs.")
    private boolean verify;

    @Option(names = "--baseline", paramLabel = "CONFIG",
            description = "The configuration relative budgets refer to, in the notation (e.g. 'R1 N1 S1 L1').")
    private String baselineText;

    @Option(names = "--from-csv", paramLabel = "FILE", description = "Read measurements from FILE instead of measuring.")
    private Path csv;

    @Option(names = "--csv-unit", paramLabel = "UNIT",
            description = "The unit of the CSV's metric columns (req/s, kreq/s, Mreq/s), when their names do not "
                    + "carry it as a suffix (get_kreq_s).")
    private String csvUnit;

    @Option(names = "--notation", paramLabel = "paper|image",
            description = "Letters of the notation: paper (R redis, N newlib, S uksched, L lwip; mpk) or image "
                    + "(R redis, N libc, S sched, L net; no token = the first of --mechanisms, or "
                    + "--single-compartment for one compartment; H = the library's --hardening entry). Default: paper "
                    + "with --from-csv, image otherwise.")
    private String notationName;

    @Option(names = "--db", paramLabel = "FILE",
            description = "The SQLite results store; rerunning with the same file resumes where it stopped.")
    private Path db;

    @Option(names = "--retry-failed", description = "Measure again the configurations stored as failed.")
    private boolean retryFailed;

    @Option(names = "--report", paramLabel = "FILE", description = "Write a self-contained HTML report.")
    private Path report;

    @Option(names = "--paper-edges", description = "Add the paper's Fig. 8 edges and stars to the report.")
    private boolean paperEdges;

    @Option(names = "--json", description = "Print the result as JSON.")
    private boolean json;

    @Option(names = "--strength", defaultValue = "fcall<module<mpk<process", paramLabel = "ORDER",
            description = "Mechanism strength, weakest first (default: ${DEFAULT-VALUE}).")
    private String strengthText;

    @Option(names = "--full", description = "The paper's shape: 5 layouts x 16 hardening subsets = 80 "
            + "configurations (hardening: " + FULL_HARDENING + ").")
    private boolean full;

    @Option(names = "--list", description = "Print the space and check that every configuration builds; measure "
            + "nothing.")
    private boolean list;

    @Option(names = "--layout", paramLabel = "LAYOUT",
            description = "An explicit layout, e.g. 'redis libc | sched | net' (repeatable).")
    private List<String> layouts = new ArrayList<>();

    @Option(names = "--all-layouts", description = "Every partition of the libraries (see --together).")
    private boolean allLayouts;

    @Option(names = "--together", paramLabel = "LIBS",
            description = "Libraries kept in one compartment, e.g. redis,libc (repeatable; default with the "
                    + "quick and full spaces: redis,libc).")
    private List<String> together = new ArrayList<>();

    @Option(names = "--max-compartments", paramLabel = "N", description = "At most N compartments.")
    private Integer maxCompartments;

    @Option(names = "--mechanisms", split = ",", paramLabel = "M", defaultValue = "module",
            description = "The mechanisms each compartment of a split layout may use (default: ${DEFAULT-VALUE}).")
    private List<String> mechanisms;

    @Option(names = "--single-compartment", paramLabel = "M", defaultValue = "fcall",
            description = "The mechanism of the one-compartment layout, which separates nothing whatever its "
                    + "mechanism (default: ${DEFAULT-VALUE}).")
    private String singleCompartment;

    @Option(names = "--hardening", paramLabel = "LIB=OPT[+OPT],...",
            description = "What 'hardened' means per library; each library listed is hardened or not, the others "
                    + "never (default: " + QUICK_HARDENING + "; with --full: " + FULL_HARDENING + "). Use 'none' "
                    + "for no hardening.")
    private String hardening;

    @Option(names = "--flexos", defaultValue = "./flexos", paramLabel = "PATH",
            description = "The flexos launcher used to run each configuration (default: ${DEFAULT-VALUE}).")
    private Path flexos;

    @Option(names = "--redis-benchmark", defaultValue = "redis-benchmark", paramLabel = "PATH")
    private Path redisBenchmark;

    @Option(names = "--requests", defaultValue = "100000", paramLabel = "N", description = "redis-benchmark -n.")
    private int requests;

    @Option(names = "--repetitions", defaultValue = "3", paramLabel = "N",
            description = "Measured runs per configuration; the median is reported (default: ${DEFAULT-VALUE}).")
    private int repetitions;

    @Option(names = "--start-timeout", defaultValue = "90", paramLabel = "SECONDS",
            description = "How long an image may take to accept connections (default: ${DEFAULT-VALUE}).")
    private int startTimeout;

    @Option(names = "--work-dir", defaultValue = "build/explore", paramLabel = "DIR",
            description = "Where configuration files and image logs go (default: ${DEFAULT-VALUE}).")
    private Path workDir;

    @Option(names = "--quiet", description = "No progress bar.")
    private boolean quiet;

    /** Bad input: the message is printed and the exit status is 2. */
    private static final class BadInput extends Exception {
        BadInput(String message) {
            super(message);
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return explore(out, err);
        } catch (BadInput | IllegalArgumentException e) {
            err.println("flexos explore: error: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        } catch (StoreException e) {
            err.println("flexos explore: error: " + e.getMessage());
            return ExitCodes.FAILURE;
        } catch (IOException e) {
            err.println("flexos explore: error: " + e.getMessage());
            return ExitCodes.FAILURE;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int explore(PrintWriter out, PrintWriter err) throws BadInput, IOException {
        Budget budget = Budget.parse(budgetText);
        Search search = switch (searchName) {
            case "exhaustive" -> new ExhaustiveSearch();
            case "budgeted" -> new BudgetedSearch(margin, true);
            default -> throw new BadInput("unknown search '" + searchName + "'; use exhaustive or budgeted");
        };
        SafetyOrder order = new SafetyOrder(MechanismStrength.parse(strengthText));
        Notation notation = notation();
        List<Configuration> configurations;
        MeasurementOracle measuring;
        List<String> commands = new ArrayList<>();
        if (csv != null) {
            if (!Files.isReadable(csv)) {
                throw new BadInput("cannot read CSV file " + csv);
            }
            CsvMeasurements data = CsvMeasurements.read(csv, notation, Optional.ofNullable(csvUnit));
            for (String metric : budget.metrics()) {
                if (!data.metricNames().contains(metric)) {
                    throw new BadInput("the budget constrains '" + metric + "', but " + csv + " reports only "
                            + data.metricNames());
                }
            }
            configurations = data.configurations();
            measuring = data.oracle();
        } else {
            String application = application();
            for (String metric : budget.metrics()) {
                if (!Set.of("get", "set").contains(metric)) {
                    throw new BadInput("the budget constrains '" + metric + "', but the Redis workload reports "
                            + "only [get, set]");
                }
            }
            configurations = space(notation).configurations();
            checkEveryConfigurationBuilds(configurations, application, notation, err);
            if (list) {
                configurations.forEach(c -> out.println(notation.format(c)));
                out.printf(Locale.ROOT, "%d configurations, each builds%n", configurations.size());
                return ExitCodes.OK;
            }
            RedisBenchmark workload = new RedisBenchmark(redisBenchmark, requests, repetitions);
            measuring = new ImageRunner(flexos, workload, "explore-" + application, application, workDir,
                    Duration.ofSeconds(startTimeout), Duration.ofSeconds(Math.max(120, requests / 1000)));
        }
        for (Configuration c : configurations) {
            for (String mechanism : c.mechanisms()) {
                order.strength().of(mechanism);
            }
        }
        commands.add("flexos explore " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        commands.add(measuring.command());
        Optional<Configuration> baseline = Optional.empty();
        if (baselineText != null) {
            baseline = Optional.of(notation.parse(baselineText));
        }
        Poset space = new Poset(configurations, order);
        Exploration exploration = new Exploration(space, budget, baseline, search);
        SearchObserver observer = quiet || json && csv != null ? SearchObserver.NONE
                : new ProgressBar(System.err);
        Exploration.Outcome outcome;
        if (db != null) {
            try (ResultsStore store = ResultsStore.open(db, Machine.current())) {
                StoredOracle stored = new StoredOracle(store, measuring, notation::format, retryFailed);
                outcome = exploration.run(stored, observer, verify);
                if (stored.reused() > 0 && !json) {
                    err.println("flexos explore: " + stored.reused() + " measurements reused from " + db);
                }
            }
        } else {
            outcome = exploration.run(measuring, observer, verify);
        }
        if (report != null) {
            String metric = budget.metrics().getFirst();
            String title = "flexos explore: " + (csv != null ? csv.getFileName().toString() : target) + ", " + budget;
            Path parent = report.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(report, new HtmlReport(title, space, outcome, notation::format, metric, commands,
                    paperEdges).render());
        }
        if (json) {
            out.println(json(outcome, notation));
        } else {
            text(out, outcome, notation);
        }
        return ExitCodes.OK;
    }

    private Notation notation() throws BadInput {
        String name = notationName != null ? notationName : csv != null ? "paper" : "image";
        return switch (name) {
            case "paper" -> Notation.paper();
            // Split layouts under the first separating mechanism and the one-compartment layout are written
            // without mechanism tokens, as the paper writes its all-MPK configurations.
            case "image" -> Notation.redisImage(hardeningMap()).withMechanisms(mechanisms.getFirst(),
                    singleCompartment);
            default -> throw new BadInput("unknown notation '" + name + "'; use paper or image");
        };
    }

    private String application() throws BadInput {
        if (target.equals("redis")) {
            return "redis";
        }
        Path file = Path.of(target);
        if (!Files.isRegularFile(file)) {
            throw new BadInput("'" + target + "' is neither an application (redis) nor a configuration file");
        }
        String application;
        try {
            application = new ImageLoader().plan(file).config().application();
        } catch (flexos.core.config.ConfigException e) {
            throw new BadInput(e.getMessage());
        } catch (flexos.core.image.ImageBuildException e) {
            throw new BadInput(target + ": " + e.getMessage());
        }
        if (!application.equals("redis")) {
            throw new BadInput("only the redis application has a workload to explore with, not " + application);
        }
        return application;
    }

    private ConfigurationSpace space(Notation notation) {
        ConfigurationSpace space = ConfigurationSpace.of(notation.libraries());
        if (!layouts.isEmpty()) {
            layouts.forEach(l -> space.layout(Layout.parse(l)));
        } else {
            // Without explicit layouts: every partition, by default with redis and libc together as in the paper.
            space.allPartitions();
            if (!allLayouts && together.isEmpty()) {
                space.together(List.of("redis", "libc"));
            }
        }
        together.forEach(t -> space.together(List.of(t.split("\\s*,\\s*"))));
        if (maxCompartments != null) {
            space.maxCompartments(maxCompartments);
        }
        space.mechanisms(mechanisms).singleCompartmentMechanism(singleCompartment).hardened(hardeningMap());
        return space;
    }

    private HardeningMap hardeningMap() {
        return HardeningMap.parse(hardening != null ? hardening : full ? FULL_HARDENING : QUICK_HARDENING);
    }

    /**
     * Plans every configuration with this build, as {@code flexos build} would, so that a space naming an option
     * a library cannot take, or a mechanism the build lacks, is refused before an hour of measuring rather than
     * recorded as failed measurements.
     */
    private void checkEveryConfigurationBuilds(List<Configuration> configurations, String application,
                                               Notation notation, PrintWriter err) throws BadInput, IOException {
        Path dir = workDir.resolve("check");
        Files.createDirectories(dir);
        ImageLoader loader = new ImageLoader();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < configurations.size(); i++) {
            Configuration c = configurations.get(i);
            Path file = dir.resolve(String.format(Locale.ROOT, "config-%03d.yaml", i + 1));
            Files.writeString(file, ConfigurationYaml.write(c, "explore-" + application, application));
            try {
                loader.plan(file);
            } catch (flexos.core.config.ConfigException | flexos.core.image.ImageBuildException e) {
                failures.add(notation.format(c) + ": " + e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new BadInput(failures.size() + " of " + configurations.size() + " configurations do not build; "
                    + "change --hardening or --mechanisms so that every library takes only options it can take. "
                    + "The first:\n  " + String.join("\n  ", failures.subList(0, Math.min(3, failures.size()))));
        }
        if (!quiet && !json) {
            err.println("flexos explore: " + configurations.size() + " configurations, each builds");
        }
    }

    private void text(PrintWriter out, Exploration.Outcome outcome, Notation notation) {
        SearchResult r = outcome.result();
        Map<Configuration, Measurement> byConfig = byConfiguration(r);
        out.printf(Locale.ROOT, "budget: %s%n", r.budget());
        out.printf(Locale.ROOT, "search: %s, measured %d of %d configurations (%d failed), inferred %d%n",
                r.strategy(), r.measuredCount(), r.spaceSize(), r.failedCount(),
                r.inferredFeasible().size() + r.inferredInfeasible().size());
        out.printf(Locale.ROOT, "feasible (measured, meeting the budget): %d%n", r.feasible().size());
        out.printf(Locale.ROOT, "answer (%d maximal):%n", r.answer().size());
        for (Configuration c : r.answer()) {
            out.printf(Locale.ROOT, "  %s  %s%n", notation.format(c), metrics(byConfig.get(c)));
        }
        outcome.verification().ifPresent(v -> out.println("verify: " + verification(v, notation)));
        out.printf(Locale.ROOT, "wall time: %.1f s%n", outcome.wallTime().toMillis() / 1000.0);
    }

    private static String verification(Verification v, Notation notation) {
        return v.same() ? "same answer as exhaustive measurement"
                : "differs from exhaustive measurement: missed " + v.missed().stream().map(notation::format).toList()
                        + ", spurious " + v.spurious().stream().map(notation::format).toList();
    }

    private static Map<Configuration, Measurement> byConfiguration(SearchResult r) {
        Map<Configuration, Measurement> out = new HashMap<>();
        r.measurements().forEach(m -> out.put(m.configuration(), m));
        return out;
    }

    private static String metrics(Measurement m) {
        if (m == null) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        m.metrics().forEach((k, v) -> parts.add(String.format(Locale.ROOT, "%s=%.0f/s", k, v)));
        return String.join(" ", parts);
    }

    private String json(Exploration.Outcome outcome, Notation notation) {
        SearchResult r = outcome.result();
        Map<Configuration, Measurement> byConfig = byConfiguration(r);
        StringBuilder s = new StringBuilder("{");
        s.append("\"budget\":").append(quote(r.budget().toString()));
        s.append(",\"search\":").append(quote(r.strategy()));
        s.append(",\"space\":").append(r.spaceSize());
        s.append(",\"measured\":").append(r.measuredCount());
        s.append(",\"failed\":").append(r.failedCount());
        s.append(",\"feasible\":").append(r.feasible().size());
        s.append(",\"answer\":[");
        List<String> items = new ArrayList<>();
        for (Configuration c : r.answer()) {
            Measurement m = byConfig.get(c);
            StringBuilder item = new StringBuilder("{\"config\":").append(quote(notation.format(c)))
                    .append(",\"key\":").append(quote(c.key())).append(",\"metrics\":{");
            List<String> kv = new ArrayList<>();
            if (m != null) {
                m.metrics().forEach((k, v) -> kv.add(quote(k) + ":" + v));
            }
            items.add(item.append(String.join(",", kv)).append("}}").toString());
        }
        s.append(String.join(",", items)).append(']');
        outcome.verification().ifPresent(v -> s.append(",\"verify\":{\"same\":").append(v.same())
                .append(",\"missed\":").append(list(v.missed(), notation))
                .append(",\"spurious\":").append(list(v.spurious(), notation)).append('}'));
        s.append(",\"wall_seconds\":").append(outcome.wallTime().toMillis() / 1000.0);
        return s.append('}').toString();
    }

    private static String list(List<Configuration> configurations, Notation notation) {
        return "[" + String.join(",", new LinkedHashSet<>(configurations.stream()
                .map(c -> quote(notation.format(c))).toList())) + "]";
    }

    private static String quote(String s) {
        return JsonText.quote(s);
    }
}
