package flexos.cli;

import flexos.analyze.AnalysisException;
import flexos.analyze.AnalysisReport;
import flexos.analyze.AnalysisRequest;
import flexos.analyze.Analyzer;
import flexos.analyze.CrossLibraryCheck;
import flexos.analyze.ReportJson;
import flexos.analyze.ReportText;
import flexos.analyze.ShippedLibraries;
import flexos.analyze.bytecode.InferredBehaviour;
import flexos.core.image.LibraryCatalog;
import flexos.core.mechanism.Mechanisms;
import flexos.core.metadata.LocatedMetadata;
import flexos.core.metadata.MetadataException;
import flexos.core.metadata.MetadataParser;
import flexos.core.metadata.SourceLocation;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flexos analyze}: compatibility with reasons, the fewest compartments, and with {@code --sfi} the deployments. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {
            "Analyse library metadata (SPEC §6): which libraries may share a compartment and why not, the fewest "
                    + "compartments (an exact minimum graph colouring) with an image configuration using them, and "
                    + "with --sfi every deployment that cfi/asan hardening opens.",
            "With no arguments it analyses the shipped libraries and also checks their declared metadata against "
                    + "their bytecode (calls, native access, Unsafe, API).",
            "Exit status: 0 ok, 1 analysis errors (a --strict mismatch, libraries that must share a compartment "
                    + "but may not), 2 bad input (unreadable file, bad metadata)."})
final class AnalyzeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "LIBRARY-DIR|FILE.meta", arity = "0..*",
            description = "Metadata files, or directories searched for *.meta files (skipping target/ and hidden "
                    + "directories). Default: the shipped libraries.")
    private List<Path> inputs = new ArrayList<>();

    @Option(names = "--sfi", description = "Enumerate the deployments that SFI hardening (cfi, asan) opens.")
    private boolean sfi;

    @Option(names = "--json", description = "Print the report as JSON.")
    private boolean json;

    @Option(names = "--strict", description = "Treat declared-against-inferred mismatches as errors (exit status 1).")
    private boolean strict;

    @Option(names = "--together", paramLabel = "LIB,LIB[,...]",
            description = "Libraries that must share a compartment, comma-separated; repeatable.")
    private List<String> together = new ArrayList<>();

    @Option(names = "--mechanism", paramLabel = "NAME",
            description = "Mechanism of the generated configuration's compartments when there are several. "
                    + "Default: the strongest mechanism this build implements.")
    private String mechanism;

    @Spec
    private CommandSpec spec;

    /** The libraries analysed when no file is given: the shipped ones, unless a test hands others. */
    private final Supplier<LibraryCatalog> shippedLibraries;

    AnalyzeCommand() {
        this(AnalyzeCommand::discoverShipped);
    }

    AnalyzeCommand(Supplier<LibraryCatalog> shippedLibraries) {
        this.shippedLibraries = shippedLibraries;
    }

    private static LibraryCatalog discoverShipped() {
        ModuleLayer layer = AnalyzeCommand.class.getModule().getLayer();
        return layer != null ? LibraryCatalog.discover(layer)
                : LibraryCatalog.discover(AnalyzeCommand.class.getClassLoader());
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            AnalysisRequest request = inputs.isEmpty() ? shipped() : fromFiles();
            AnalysisReport report = new Analyzer().analyze(request);
            out.print(json ? ReportJson.render(report) + "\n" : ReportText.render(report));
            out.flush();
            if (report.hasErrors()) {
                report.findings().stream().filter(f -> f.severity() == flexos.analyze.Finding.Severity.ERROR)
                        .forEach(err::println);
                err.flush();
                return ExitCodes.FAILURE;
            }
            return ExitCodes.OK;
        } catch (BadInput bad) {
            bad.errors.forEach(e -> err.println(e.getMessage()));
            err.flush();
            return ExitCodes.BAD_INPUT;
        } catch (MetadataException e) {
            err.println(e.getMessage());
            err.flush();
            return ExitCodes.BAD_INPUT;
        } catch (AnalysisException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return ExitCodes.FAILURE;
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return ExitCodes.BAD_INPUT;
        }
    }

    /** All the metadata errors of the input at once, so that one run shows every mistake. */
    private static final class BadInput extends Exception {
        private final List<MetadataException> errors;

        BadInput(List<MetadataException> errors) {
            super(errors.get(0).getMessage());
            this.errors = errors;
        }
    }

    private AnalysisRequest fromFiles() throws BadInput, IOException {
        List<LocatedMetadata> libraries = new ArrayList<>();
        List<MetadataException> errors = new ArrayList<>();
        for (Path file : metadataFiles()) {
            try {
                libraries.add(MetadataParser.parseLocated(file));
            } catch (MetadataException e) {
                errors.add(e);
            }
        }
        if (errors.isEmpty()) {
            errors.addAll(CrossLibraryCheck.errors(libraries));
        }
        if (!errors.isEmpty()) {
            throw new BadInput(errors);
        }
        return new AnalysisRequest(libraries, Map.of(), Map.of(), groups(), sfi, strict, mechanismName(),
                Optional.empty());
    }

    private List<Path> metadataFiles() throws BadInput, IOException {
        Set<Path> files = new LinkedHashSet<>();
        List<MetadataException> errors = new ArrayList<>();
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                try (Stream<Path> walk = Files.walk(input)) {
                    List<Path> found = walk.filter(p -> p.toString().endsWith(".meta") && Files.isRegularFile(p))
                            .filter(p -> !skipped(input, p)).sorted().toList();
                    if (found.isEmpty()) {
                        errors.add(new MetadataException(new SourceLocation(input, 1, 1),
                                "no metadata file in directory " + input, "a library folder holding <name>.meta"));
                    }
                    files.addAll(found);
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
            } else if (!Files.isRegularFile(input)) {
                errors.add(new MetadataException(new SourceLocation(input, 1, 1), "no such file or directory",
                        "a .meta file or a library directory"));
            } else {
                files.add(input);
            }
        }
        if (!errors.isEmpty()) {
            throw new BadInput(errors);
        }
        return new ArrayList<>(files);
    }

    // Build output holds copies of the metadata (target/classes/META-INF/flexos/*.meta) that would count twice.
    private static boolean skipped(Path root, Path file) {
        for (Path part : root.relativize(file).getParent() == null ? List.<Path>of() : root.relativize(file).getParent()) {
            String name = part.toString();
            if (name.equals("target") || name.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private AnalysisRequest shipped() throws MetadataException, IOException {
        LibraryCatalog catalog = shippedLibraries.get();
        List<LocatedMetadata> libraries = new ArrayList<>();
        Map<String, InferredBehaviour> inferred = new HashMap<>();
        Map<String, Set<String>> apiMethods = new HashMap<>();
        for (ShippedLibraries.Shipped shipped : ShippedLibraries.load(catalog)) {
            libraries.add(shipped.metadata());
            inferred.put(shipped.library().name(), shipped.inferred());
            apiMethods.put(shipped.library().name(), shipped.apiMethods());
        }
        List<String> applications = catalog.applications();
        return new AnalysisRequest(libraries, inferred, apiMethods, groups(), sfi, strict, mechanismName(),
                applications.size() == 1 ? Optional.of(applications.get(0)) : Optional.empty());
    }

    private List<Set<String>> groups() {
        List<Set<String>> groups = new ArrayList<>();
        for (String group : together) {
            groups.add(new LinkedHashSet<>(Arrays.stream(group.split(",")).map(String::strip)
                    .filter(s -> !s.isEmpty()).toList()));
        }
        return groups;
    }

    private String mechanismName() {
        if (mechanism != null) {
            return mechanism;
        }
        Set<String> implemented = Mechanisms.builtIn().names();
        for (String strongestFirst : List.of("process", "mpk", "module")) {
            if (implemented.contains(strongestFirst)) {
                return strongestFirst;
            }
        }
        return "fcall";
    }
}
