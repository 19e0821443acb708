package flexos.cli;

import flexos.core.config.ConfigException;
import flexos.core.config.ConfigParser;
import flexos.core.image.ImageBuildException;
import flexos.core.image.ImageBuilder;
import flexos.core.mechanism.Mechanism;
import flexos.explore.Exploration;
import flexos.explore.budget.Budget;
import flexos.explore.measure.ConfigurationYaml;
import flexos.explore.measure.ImageRunner;
import flexos.explore.measure.MeasurementSettings;
import flexos.explore.measure.SamplingPlan;
import flexos.explore.measure.Workload;
import flexos.explore.measure.Workloads;
import flexos.explore.order.MechanismStrength;
import flexos.explore.order.Poset;
import flexos.explore.order.SafetyOrder;
import flexos.explore.profile.ExplorationProfile;
import flexos.explore.profile.ProfileException;
import flexos.explore.profile.ProfileReader;
import flexos.explore.report.HtmlReport;
import flexos.explore.report.JsonReport;
import flexos.explore.report.ProgressBar;
import flexos.explore.report.TextReport;
import flexos.explore.search.BudgetedSearch;
import flexos.explore.search.CsvLayout;
import flexos.explore.search.CsvMeasurements;
import flexos.explore.search.ExhaustiveSearch;
import flexos.explore.search.MeasurementOracle;
import flexos.explore.search.Search;
import flexos.explore.search.SearchObserver;
import flexos.explore.slurm.SlurmCluster;
import flexos.explore.slurm.SlurmExecutor;
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
import java.util.LinkedHashMap;
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
 * them for real or by reading measurements from a CSV file. What to vary and how to measure comes from the
 * application's exploration profile, so this command names no application. See docs/explore.md.
 */
@Command(name = "explore", mixinStandardHelpOptions = true,
        description = {
            "Find the safest configurations that are fast enough: the maximal elements, under the partial safety "
                + "order, of the configurations that meet the budget.",
            "The application's exploration profile (shipped with it) names the libraries the layouts place, the "
                + "default layouts, mechanisms and hardening spaces, and the workload. Every configuration is "
                + "checked to build before anything is measured."})
public final class ExploreCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "APP-OR-CONFIG",
            description = "The application to explore, or an image configuration whose application is explored "
                    + "(default: the only application that ships an exploration profile). Ignored with --from-csv.")
    private String target;

    @Option(names = "--budget", paramLabel = "EXPR",
            description = "The budget, e.g. get>=500000, get>=500k, get>=0.5x (of the best measured or of "
                    + "--baseline); several joined by commas. Throughput is in requests per second.")
    private String budgetText;

    @Option(names = "--search", defaultValue = "budgeted", paramLabel = "exhaustive|budgeted",
            description = "How to search (default: ${DEFAULT-VALUE}).")
    private String searchName;

    @Option(names = "--margin", defaultValue = "0.1", paramLabel = "FRACTION",
            description = "Budgeted search: a result whose interval comes within this fraction of the limit "
                    + "implies nothing (default: ${DEFAULT-VALUE}; docs/explore.md has the trade-off).")
    private double margin;

    @Option(names = "--verify", description = "Also measure exhaustively and report how the answer differs.")
    private boolean verify;

    @Option(names = "--baseline", paramLabel = "CONFIG",
            description = "The configuration relative budgets refer to, in the notation (e.g. 'R1 N1 S1 L1').")
    private String baselineText;

    @Option(names = "--from-csv", paramLabel = "FILE",
            description = "Read measurements from FILE instead of measuring. Columns are mapped by name: one per "
                    + "library (its compartment), a hardened column, metric columns with a unit suffix "
                    + "(get_kreq_s) or named by --csv-metric; repeated rows of one configuration are samples.")
    private Path csv;

    @Option(names = "--csv-metric", paramLabel = "NAME=COLUMN:UNIT",
            description = "A metric column and its unit (req/s, kreq/s, Mreq/s, 1), e.g. req=req_s_median:req/s "
                    + "(repeatable).")
    private List<String> csvMetrics = new ArrayList<>();

    @Option(names = "--csv-libraries", split = ",", paramLabel = "COLUMN",
            description = "The library columns (default: every column that is not config, the hardened column, a "
                    + "metric or ignored).")
    private List<String> csvLibraries;

    @Option(names = "--csv-hardened", defaultValue = "hardened", paramLabel = "COLUMN",
            description = "The column listing the hardened libraries, joined by + (default: ${DEFAULT-VALUE}).")
    private String csvHardened;

    @Option(names = "--csv-ignore", split = ",", paramLabel = "COLUMN", description = "Columns to skip.")
    private List<String> csvIgnored = new ArrayList<>();

    @Option(names = "--csv-mechanism", defaultValue = "mpk", paramLabel = "M",
            description = "The mechanism of every compartment of the CSV's configurations (default: ${DEFAULT-VALUE},"
                    + " as in the paper's data).")
    private String csvMechanism;

    @Option(names = "--letters", paramLabel = "L=LIB,...",
            description = "The notation's letters for --from-csv, e.g. N=nginx,L=lwip (default: from the config "
                    + "column, else each library's first free letter).")
    private String letters;

    @Option(names = "--confidence", defaultValue = "0.95", paramLabel = "LEVEL",
            description = "The confidence level of the intervals (default: ${DEFAULT-VALUE}).")
    private double confidence;

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

    @Option(names = "--strength", defaultValue = "claims", paramLabel = "ORDER",
            description = {"Mechanism strength: claims (what each mechanism claims to stop, checked by flexos attacks;",
                "the default) or a total order, weakest first, such as fcall<module<mpk<process."})
    private String strengthText;

    @Option(names = "--space", paramLabel = "NAME",
            description = "The profile's hardening space to explore (default: " + ExplorationProfile.DEFAULT_SPACE
                    + ").")
    private String spaceName;

    @Option(names = "--full", description = "The profile's '" + ExplorationProfile.FULL_SPACE + "' space.")
    private boolean full;

    @Option(names = "--list", description = "Print the space and check that every configuration builds; measure "
            + "nothing.")
    private boolean list;

    @Option(names = "--layout", paramLabel = "LAYOUT",
            description = "An explicit layout, e.g. 'a b | c | d' (repeatable).")
    private List<String> layouts = new ArrayList<>();

    @Option(names = "--all-layouts", description = "Every partition of the libraries (see --together).")
    private boolean allLayouts;

    @Option(names = "--together", paramLabel = "LIBS",
            description = "Libraries kept in one compartment, e.g. a,b (repeatable; default: the profile's groups).")
    private List<String> together = new ArrayList<>();

    @Option(names = "--max-compartments", paramLabel = "N", description = "At most N compartments.")
    private Integer maxCompartments;

    @Option(names = "--mechanisms", split = ",", paramLabel = "M",
            description = "The mechanisms each compartment of a split layout may use (default: the profile's).")
    private List<String> mechanisms;

    @Option(names = "--single-compartment", paramLabel = "M",
            description = "The mechanism of the one-compartment layout, which separates nothing whatever its "
                    + "mechanism (default: the profile's).")
    private String singleCompartment;

    @Option(names = "--hardening", paramLabel = "LIB=OPT[+OPT],...",
            description = "What 'hardened' means per library; each library listed is hardened or not, the others "
                    + "never (default: the space's). Use 'none' for no hardening.")
    private String hardening;

    @Option(names = "--flexos", defaultValue = "./flexos", paramLabel = "PATH",
            description = "The flexos launcher used to run each configuration (default: ${DEFAULT-VALUE}).")
    private Path flexos;

    @Option(names = "--client", paramLabel = "PATH",
            description = "The workload's client executable (default: the profile's client on the PATH).")
    private Path client;

    @Option(names = "--warmup", defaultValue = "5", paramLabel = "SECONDS",
            description = "How long to load each image before taking samples (default: ${DEFAULT-VALUE}).")
    private double warmUpSeconds;

    @Option(names = "--run-seconds", defaultValue = "1", paramLabel = "SECONDS",
            description = "How long each measured run lasts, each one sample (default: ${DEFAULT-VALUE}).")
    private double runSeconds;

    @Option(names = "--min-runs", defaultValue = "3", paramLabel = "N",
            description = "The fewest measured runs per configuration (default: ${DEFAULT-VALUE}).")
    private int minRuns;

    @Option(names = "--max-runs", defaultValue = "10", paramLabel = "N",
            description = "The most measured runs per round (default: ${DEFAULT-VALUE}); a configuration whose "
                    + "interval straddles the budget is measured again, once, in a fresh image.")
    private int maxRuns;

    @Option(names = "--precision", defaultValue = "0.02", paramLabel = "FRACTION",
            description = "Stop a round once every metric's interval is within this fraction of its mean "
                    + "(default: ${DEFAULT-VALUE}).")
    private double precision;

    @Option(names = "--pin", paramLabel = "IMAGE_CPUS:CLIENT_CPUS",
            description = "Pin the image and the client to CPUs with taskset, e.g. 1:0 (default: not pinned; see "
                    + "docs/explore.md for what pinning does to the noise).")
    private String pin;

    @Option(names = "--start-timeout", defaultValue = "90", paramLabel = "SECONDS",
            description = "How long an image may take to accept connections (default: ${DEFAULT-VALUE}).")
    private int startTimeout;

    @Option(names = "--work-dir", defaultValue = "build/explore", paramLabel = "DIR",
            description = "Where configuration files and image logs go (default: ${DEFAULT-VALUE}).")
    private Path workDir;

    @Option(names = "--quiet", description = "No progress bar.")
    private boolean quiet;

    @Option(names = "--executor", defaultValue = "local", paramLabel = "local|slurm",
            description = "Where measurements run: on this machine, one at a time (local), or on a Slurm cluster as "
                    + "a job array, one configuration per task, each task on a node of its own (slurm; needs --db, "
                    + "and a file system the nodes share). Default: ${DEFAULT-VALUE}.")
    private String executor;

    @Option(names = "--partition", paramLabel = "NAME", description = "Slurm: the partition (default: the cluster's).")
    private String partition;

    @Option(names = "--time-limit", paramLabel = "TIME",
            description = "Slurm: each task's time limit, as sbatch --time reads it (minutes, or H:MM:SS).")
    private String timeLimit;

    @Option(names = "--exclusive", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Slurm: each task on a node of its own (default: ${DEFAULT-VALUE}); --no-exclusive lets "
                    + "tasks share nodes, which spoils the measurements.")
    private boolean exclusive;

    @Option(names = "--slurm-dir", paramLabel = "DIR",
            description = "Slurm: where task files, results and logs go, shared with the nodes "
                    + "(default: WORK-DIR/slurm).")
    private Path slurmDir;

    @Option(names = "--slurm-timeout", defaultValue = "1440", paramLabel = "MINUTES",
            description = "Slurm: how long to wait for one job array (default: ${DEFAULT-VALUE}); a job still "
                    + "running then is collected by the next run.")
    private long slurmTimeout;

    /** A Slurm task: measure the one configuration its task file names, as the exploration that submitted it. */
    @Option(names = "--run-task", hidden = true, paramLabel = "FILE")
    private Path runTask;

    /** Bad input: the message is printed and the exit status is 2. */
    private static final class BadInput extends Exception {
        BadInput(String message) {
            super(message);
        }
    }

    /** What is explored: the configurations, how to write them, and how to measure them. */
    private record Explored(String name, List<Configuration> configurations, Notation notation,
                            MeasurementOracle oracle, Set<String> metrics) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return runTask != null ? runTask() : explore(out, err);
        } catch (BadInput | IllegalArgumentException | ProfileException e) {
            err.println("flexos explore: error: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        } catch (StoreException | IOException e) {
            err.println("flexos explore: error: " + e.getMessage());
            return ExitCodes.FAILURE;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int explore(PrintWriter out, PrintWriter err) throws BadInput, IOException {
        if (budgetText == null) {
            throw new BadInput("missing --budget, e.g. --budget 'get>=0.5x'");
        }
        if (!executor.equals("local") && !executor.equals("slurm")) {
            throw new BadInput("unknown executor '" + executor + "'; use local or slurm");
        }
        if (executor.equals("slurm") && (db == null || csv != null)) {
            throw new BadInput(csv != null ? "--from-csv measures nothing, so it needs no executor"
                    : "the Slurm executor resumes from the results store: give --db FILE");
        }
        Budget budget = Budget.parse(budgetText);
        Search search = switch (searchName) {
            case "exhaustive" -> new ExhaustiveSearch();
            case "budgeted" -> new BudgetedSearch(margin, true);
            default -> throw new BadInput("unknown search '" + searchName + "'; use exhaustive or budgeted");
        };
        SafetyOrder order = new SafetyOrder(MechanismStrength.parse(strengthText));
        Explored explored = csv != null ? fromCsv() : measured(err);
        for (String metric : budget.metrics()) {
            if (!explored.metrics().contains(metric)) {
                throw new BadInput("the budget constrains '" + metric + "', but " + explored.name()
                        + " reports only " + explored.metrics());
            }
        }
        if (list) {
            explored.configurations().forEach(c -> out.println(explored.notation().format(c)));
            out.printf(Locale.ROOT, "%d configurations, each builds%n", explored.configurations().size());
            return ExitCodes.OK;
        }
        for (Configuration c : explored.configurations()) {
            for (String mechanism : c.mechanisms()) {
                order.strength().requireKnown(mechanism);
            }
        }
        Notation notation = explored.notation();
        List<String> commands = List.of("flexos explore " + String.join(" ", ownArguments()),
                explored.oracle().command());
        Optional<Configuration> baseline = Optional.empty();
        if (baselineText != null) {
            baseline = Optional.of(notation.parse(baselineText));
        }
        Poset space = new Poset(explored.configurations(), order);
        Exploration exploration = new Exploration(space, budget, baseline, search);
        SearchObserver observer = quiet || json && csv != null ? SearchObserver.NONE : ProgressBar.onStderr();
        Exploration.Outcome outcome;
        if (db != null) {
            try (ResultsStore store = ResultsStore.open(db, Machine.current())) {
                StoredOracle stored;
                if (executor.equals("slurm")) {
                    SlurmExecutor cluster = slurm(store, explored);
                    stored = new StoredOracle(store, cluster, notation::format, retryFailed, cluster::machineOf);
                    if (search instanceof ExhaustiveSearch) {
                        measureAsOneArray(store, cluster, stored, explored.configurations());
                    }
                } else {
                    stored = new StoredOracle(store, explored.oracle(), notation::format, retryFailed);
                }
                outcome = exploration.run(stored, observer, verify);
                if (stored.reused() > 0 && !json) {
                    err.println("flexos explore: " + stored.reused() + " measurements reused from " + db);
                }
            }
        } else {
            outcome = exploration.run(explored.oracle(), observer, verify);
        }
        if (report != null) {
            String metric = budget.metrics().getFirst();
            String title = "flexos explore: " + explored.name() + ", " + budget;
            Path parent = report.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(report, new HtmlReport(title, space, outcome, notation::format, metric, commands,
                    paperEdges).render());
        }
        if (json) {
            out.println(new JsonReport(space, outcome, notation::format).render());
        } else {
            new TextReport(space, outcome, notation::format).print(out);
        }
        return ExitCodes.OK;
    }

    /** The measurements exhaustive search needs, those the store lacks, as one job array; then stored. */
    private void measureAsOneArray(ResultsStore store, SlurmExecutor cluster, StoredOracle stored,
                                   List<Configuration> configurations) {
        List<Configuration> missing = configurations.stream().filter(c -> store.find(c, cluster.command())
                .map(m -> !m.ok() && retryFailed).orElse(true)).toList();
        if (!missing.isEmpty()) {
            for (var m : cluster.measureAll(missing, 1)) {
                stored.record(m);
            }
        }
    }

    private SlurmExecutor slurm(ResultsStore store, Explored explored) {
        Path dir = (slurmDir != null ? slurmDir : workDir.resolve("slurm")).toAbsolutePath();
        List<String> task = new ArrayList<>(List.of(explored.name(), "--flexos", flexos.toAbsolutePath().toString(),
                "--warmup", Double.toString(warmUpSeconds), "--run-seconds", Double.toString(runSeconds),
                "--min-runs", Integer.toString(minRuns), "--max-runs", Integer.toString(maxRuns),
                "--precision", Double.toString(precision), "--confidence", Double.toString(confidence),
                "--start-timeout", Integer.toString(startTimeout)));
        if (client != null) {
            task.addAll(List.of("--client", client.toAbsolutePath().toString()));
        }
        if (pin != null) {
            task.addAll(List.of("--pin", pin));
        }
        return new SlurmExecutor(SlurmCluster.onPath(Optional.ofNullable(partition), Optional.ofNullable(timeLimit),
                exclusive), store, explored.oracle().command(), flexos, task, dir, Duration.ofSeconds(2),
                Duration.ofMinutes(slurmTimeout));
    }

    /** A Slurm task: the measuring options come from the task file, the configuration too. */
    private int runTask() throws BadInput, IOException {
        ExploreCommand task = new ExploreCommand();
        new picocli.CommandLine(task).parseArgs(SlurmExecutor.taskArguments(runTask).toArray(String[]::new));
        ImageLoader loader = new ImageLoader();
        String application = task.application(loader);
        SlurmExecutor.runTask(runTask, task.imageRunner(application, profile(loader, application)));
        return ExitCodes.OK;
    }

    /** This command's own arguments: under {@code flexos}, the arguments after the subcommand's name. */
    private List<String> ownArguments() {
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        if (spec.parent() != null) {
            int self = args.indexOf(spec.name());
            if (self >= 0) {
                return args.subList(self + 1, args.size());
            }
        }
        return args;
    }

    private Explored fromCsv() throws BadInput, IOException {
        if (!Files.isReadable(csv)) {
            throw new BadInput("cannot read CSV file " + csv);
        }
        Map<String, CsvLayout.MetricColumn> metrics = new LinkedHashMap<>();
        for (String text : csvMetrics) {
            Map.Entry<String, CsvLayout.MetricColumn> m = CsvLayout.parseMetric(text);
            metrics.put(m.getKey(), m.getValue());
        }
        CsvLayout layout = CsvLayout.byName().withHardenedColumn(csvHardened).withMetrics(metrics)
                .withMechanism(csvMechanism).withIgnored(Set.copyOf(csvIgnored));
        if (csvLibraries != null) {
            layout = layout.withLibraries(csvLibraries);
        }
        if (letters != null) {
            layout = layout.withLetters(parseLetters(letters));
        }
        CsvMeasurements data = CsvMeasurements.read(csv, layout);
        return new Explored(csv.getFileName().toString(), data.configurations(), data.notation(),
                data.oracle(confidence), data.metricNames());
    }

    private static Map<Character, String> parseLetters(String text) throws BadInput {
        Map<Character, String> out = new LinkedHashMap<>();
        for (String entry : text.split("\\s*,\\s*")) {
            int eq = entry.indexOf('=');
            if (eq != 1 || eq == entry.length() - 1) {
                throw new BadInput("cannot read letter '" + entry + "' in --letters; write L=LIBRARY, e.g. "
                        + "N=nginx,L=lwip");
            }
            out.put(entry.charAt(0), entry.substring(eq + 1).trim());
        }
        return out;
    }

    /** The profile's space, checked to build, and the image runner that measures it. */
    private Explored measured(PrintWriter err) throws BadInput, IOException {
        ImageLoader loader = new ImageLoader();
        String application = application(loader);
        ExplorationProfile profile = profile(loader, application);
        HardeningMap hardened = hardeningMap(profile);
        List<String> split = mechanisms != null ? mechanisms : profile.mechanisms();
        String single = singleCompartment != null ? singleCompartment : profile.singleCompartment();
        for (String name : split) {
            // A mechanism this machine lacks (mpk without pku) is refused for what it is, not as unbuildable layouts.
            var here = loader.mechanisms().find(name).map(Mechanism::availability);
            if (here.isPresent() && !here.get().available()) {
                throw new BadInput("--mechanisms: this machine cannot run " + name + ": " + here.get().reason());
            }
        }
        // Split layouts under the first separating mechanism and the one-compartment layout are written without
        // mechanism tokens, as the paper writes its all-MPK configurations.
        Notation notation = new Notation(profile.letters(), hardened, split.getFirst(), single);
        List<Configuration> configurations = space(profile, hardened, split, single).configurations();
        checkEveryConfigurationBuilds(loader, configurations, application, notation, err);
        return new Explored(application, configurations, notation, imageRunner(application, profile),
                Set.copyOf(profile.workload().metrics()));
    }

    /** How this exploration measures one configuration on this machine. */
    private ImageRunner imageRunner(String application, ExplorationProfile profile) {
        Workload workload = Workloads.of(profile.workload(), client);
        MeasurementSettings settings = new MeasurementSettings(Duration.ofMillis((long) (warmUpSeconds * 1000)),
                Duration.ofMillis((long) (runSeconds * 1000)), new SamplingPlan(minRuns, maxRuns, precision,
                        confidence), Optional.ofNullable(pin).map(MeasurementSettings.Pinning::parse));
        Path launcher = executor.equals("slurm") ? flexos.toAbsolutePath() : flexos;
        return new ImageRunner(launcher, workload, "explore-" + application, application, workDir,
                Duration.ofSeconds(startTimeout), Duration.ofSeconds(Math.max(120, (long) (30 * runSeconds))),
                settings);
    }

    private String application(ImageLoader loader) throws BadInput {
        if (target == null) {
            List<String> profiled = loader.catalog().applications().stream()
                    .filter(a -> loader.catalog().find(a)
                            .flatMap(l -> ProfileReader.shippedBy(l.getClass(), a)).isPresent())
                    .toList();
            if (profiled.size() != 1) {
                throw new BadInput("name the application to explore; those with an exploration profile are "
                        + profiled);
            }
            return profiled.getFirst();
        }
        if (loader.catalog().applications().contains(target)) {
            return target;
        }
        Path file = Path.of(target);
        if (!Files.isRegularFile(file)) {
            throw new BadInput("'" + target + "' is neither an application " + loader.catalog().applications()
                    + " nor a configuration file");
        }
        try {
            return loader.plan(file).config().application();
        } catch (ConfigException e) {
            throw new BadInput(e.getMessage());
        } catch (ImageBuildException e) {
            throw new BadInput(target + ": " + e.getMessage());
        }
    }

    private static ExplorationProfile profile(ImageLoader loader, String application) throws BadInput {
        Optional<ExplorationProfile> profile = loader.catalog().find(application)
                .flatMap(l -> ProfileReader.shippedBy(l.getClass(), application));
        if (profile.isEmpty()) {
            throw new BadInput("the application " + application + " ships no exploration profile; add "
                    + application + ".explore.yaml to its folder, shipped as "
                    + ProfileReader.resourceName(application) + " (see docs/explore.md)");
        }
        return profile.get();
    }

    private ConfigurationSpace space(ExplorationProfile profile, HardeningMap hardened, List<String> split,
                                     String single) {
        ConfigurationSpace space = ConfigurationSpace.of(profile.libraries());
        if (!layouts.isEmpty()) {
            layouts.forEach(l -> space.layout(Layout.parse(l)));
        } else {
            space.allPartitions();
            if (!allLayouts && together.isEmpty()) {
                profile.together().forEach(space::together);
            }
        }
        together.forEach(t -> space.together(List.of(t.split("\\s*,\\s*"))));
        if (maxCompartments != null) {
            space.maxCompartments(maxCompartments);
        }
        space.mechanisms(split).singleCompartmentMechanism(single).hardened(hardened);
        return space;
    }

    private HardeningMap hardeningMap(ExplorationProfile profile) {
        if (hardening != null) {
            return HardeningMap.parse(hardening);
        }
        String name = spaceName != null ? spaceName : full ? ExplorationProfile.FULL_SPACE
                : ExplorationProfile.DEFAULT_SPACE;
        return profile.space(name).hardening();
    }

    /**
     * Plans every configuration with this build, as {@code flexos build} would, so that a space naming an option
     * a library cannot take, or a mechanism the build lacks, is refused before an hour of measuring rather than
     * recorded as failed measurements. The configurations are checked in memory; nothing is written.
     */
    private void checkEveryConfigurationBuilds(ImageLoader loader, List<Configuration> configurations,
                                               String application, Notation notation, PrintWriter err)
            throws BadInput {
        ImageBuilder builder = new ImageBuilder(loader.catalog(), loader.mechanisms());
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < configurations.size(); i++) {
            Configuration c = configurations.get(i);
            Path source = workDir.resolve(String.format(Locale.ROOT, "config-%03d.yaml", i + 1));
            try {
                builder.plan(ConfigParser.parse(ConfigurationYaml.write(c, "explore-" + application, application),
                        source, builder.vocabulary()));
            } catch (ConfigException | ImageBuildException e) {
                failures.add(notation.format(c) + ": " + e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new BadInput(failures.size() + " of " + configurations.size() + " configurations do not build; "
                    + "change --hardening or --mechanisms so that every library takes only options it can take. "
                    + "The first:\n  " + String.join("\n  ", failures.subList(0, Math.min(3, failures.size()))));
        }
        if (!quiet && !json && !list) {
            err.println("flexos explore: " + configurations.size() + " configurations, each builds");
        }
    }
}
