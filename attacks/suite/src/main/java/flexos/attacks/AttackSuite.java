package flexos.attacks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import flexos.core.mechanism.Mechanisms;
import flexos.core.mechanism.mpk.PkeyFaultReport;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs every attack under every implemented mechanism, each in a JVM of its own ({@link AttackProbe}), and reports
 * the table of outcomes. Nothing in the table is looked up: each cell is what its run showed.
 *
 * <p>The JVMs run as {@code ./flexos} runs images: every library a module on the module path, with
 * {@code --illegal-native-access=deny} and native access enabled for {@code flexos.core} and for the attackers'
 * module in the boot layer, so that under {@code fcall} the attacker has what the threat model grants a library
 * ("with native access it may use raw addresses") and an isolating mechanism has to take it away.
 *
 * <p>The suite believes only what the attacker cannot forge: a verdict signed with a key only the probe was given
 * ({@link Verdict}), the probe JVM's exit status, whether it exits within {@link #EXIT_BOUND_SECONDS} once it has
 * given its verdict, and whether it left a crash report. Anything else (no signed verdict, a status other than 0,
 * an exit that hangs, a crash) makes the attack succeed.
 */
public final class AttackSuite {

    /** How long one attack JVM may take by default before the image counts as hung. */
    private static final long PROBE_TIMEOUT_SECONDS = 30;
    /** How long a probe may take to exit once it has given its verdict: longer means its exit was hung. */
    static final long EXIT_BOUND_SECONDS = 10;
    /** How many attack JVMs run at once by default: the machines have few cores, and a JVM's start is CPU-bound. */
    private static final int DEFAULT_PARALLELISM = 2;
    /** At most this much of one line of a probe's output is kept (the attacker may write without end). */
    private static final int MAX_LINE = 16 * 1024;

    private final List<String> modulePath;
    private final Path java;
    private final long probeTimeoutSeconds;
    private final int parallelism;
    /** The uid and gid the attack JVMs run as, or -1 for this JVM's. */
    private final int user;

    private AttackSuite(List<String> modulePath, Path java, long probeTimeoutSeconds, int parallelism, int user) {
        this.modulePath = modulePath;
        this.java = java;
        this.probeTimeoutSeconds = probeTimeoutSeconds;
        this.parallelism = parallelism;
        this.user = user;
    }

    /** The same suite, counting an attack JVM as hung after {@code seconds} (at least 10: JVMs start slowly). */
    public AttackSuite withProbeTimeout(long seconds) {
        return new AttackSuite(modulePath, java, Math.max(10, seconds), parallelism, user);
    }

    /** The same suite, running {@code jvms} attack JVMs at once (at least 1). */
    public AttackSuite withParallelism(int jvms) {
        return new AttackSuite(modulePath, java, probeTimeoutSeconds, Math.max(1, jvms), user);
    }

    /**
     * The same suite, its attack JVMs (the images) running as user and group {@code uid} with no supplementary
     * groups, started through {@code setpriv}; each gets a copy of the module path's jars that this uid can read.
     * For showing that a mechanism stops the attacks when the image is not root. Needs root.
     */
    public AttackSuite asUser(int uid) {
        if (uid < 0) {
            throw new IllegalArgumentException("a uid is not negative: " + uid);
        }
        return new AttackSuite(modulePath, java, probeTimeoutSeconds, parallelism, uid);
    }

    /**
     * A suite whose attack JVMs use the modules this JVM was started with: its module path, or, when run from the
     * class path (unit tests), the class path entries that are modules.
     */
    public static AttackSuite fromThisJvm() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String path = System.getProperty("jdk.module.path");
        if (path != null && !path.isBlank()) {
            // Already a module path: its directories may be directories of modules, as ./flexos uses.
            return new AttackSuite(List.of(path.split(File.pathSeparator)), java, PROBE_TIMEOUT_SECONDS,
                    DEFAULT_PARALLELISM, -1);
        }
        path = System.getProperty("java.class.path", "");
        List<String> modules = new ArrayList<>();
        for (String entry : path.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (entry.endsWith(".jar") || Files.isRegularFile(p.resolve("module-info.class"))) {
                modules.add(entry);
            }
        }
        return new AttackSuite(modules, java, PROBE_TIMEOUT_SECONDS, DEFAULT_PARALLELISM, -1);
    }

    /**
     * The mechanisms the suite runs: every one this build implements that this machine can run (mpk needs a CPU with
     * pku: elsewhere its images are refused, which would read as blocked).
     */
    public static List<String> mechanisms() {
        return Mechanisms.builtIn().all().stream().filter(m -> m.availability().available())
                .map(flexos.core.mechanism.Mechanism::name).toList();
    }

    /**
     * Runs {@code attacks} under {@code mechanisms}, {@link #withParallelism} JVMs at a time; {@code progress} hears
     * about each result as it comes (from the thread that finished it, one at a time). The results are in order:
     * attacks, then mechanisms.
     */
    public List<AttackResult> run(List<AttackCase> attacks, List<String> mechanisms, Consumer<AttackResult> progress) {
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, runnable -> {
            Thread thread = new Thread(runnable, "flexos-attack-runner");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<AttackResult>> pending = new ArrayList<>();
            for (AttackCase attack : attacks) {
                for (String mechanism : mechanisms) {
                    pending.add(pool.submit(() -> {
                        AttackResult result = probe(attack, mechanism);
                        synchronized (progress) {
                            progress.accept(result);
                        }
                        return result;
                    }));
                }
            }
            List<AttackResult> results = new ArrayList<>();
            for (Future<AttackResult> future : pending) {
                try {
                    results.add(future.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("an attack run failed: " + e.getCause().getMessage(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while attacking", e);
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private List<String> command(AttackCase attack, String mechanism, Path crashReports) throws IOException {
        List<String> path = user < 0 ? new ArrayList<>(modulePath) : readableModulePath(crashReports);
        String nativeAccess = "flexos.core,flexos.attacks";
        List<String> outside = List.of();
        if (attack.outside().isPresent()) {
            OutsideAttacks.Origin origin = attack.outside().get();
            path.add(origin.jar().toString());
            // The attacker gets what a built-in one gets under fcall: native access.
            nativeAccess += "," + origin.module();
            outside = List.of("--outside", attack.goal().name(), attack.threat().name(), origin.module(),
                    origin.libraryClass());
        }
        List<String> command = new ArrayList<>();
        if (user >= 0) {
            command.addAll(List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--clear-groups", "--"));
        }
        command.addAll(List.of(java.toString(), "-XX:+UseSerialGC", "-Xmx160m",
                "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
                // As ./flexos runs an image: gates are @ReservedStackAccess, which the JVM honours outside the
                // JDK only with these, so a caller cannot make a stack overflow strike inside the callee.
                "-XX:-RestrictReservedStack", "-XX:StackReservedPages=10",
                // As ./flexos runs an image: no attach (jcmd, agents) into it from other processes.
                "-XX:+DisableAttachMechanism",
                "--illegal-native-access=deny", "--enable-native-access=" + nativeAccess,
                "-XX:ErrorFile=" + crashReports.resolve("hs_err_pid%p.log")));
        // The probe (trusted code in flexos.attacks) reads the JVM's shared defaults from their fields.
        for (String pkg : List.of("java.lang", "java.util", "java.net", "javax.net.ssl")) {
            command.addAll(List.of("--add-opens", "java.base/" + pkg + "=flexos.attacks"));
        }
        command.addAll(List.of("-p", String.join(File.pathSeparator, path)));
        attack.outside().ifPresent(origin -> command.addAll(List.of("--add-modules", origin.module())));
        command.addAll(List.of("-m", "flexos.attacks/" + AttackProbe.class.getName(), attack.name(), mechanism));
        command.addAll(outside);
        return command;
    }

    /**
     * The module path as {@link #user} can read it: its jars copied into {@code directory} (a build's jars may sit
     * in a home directory only root can enter), its directories as they are. {@code directory} becomes the user's,
     * so the probe can write its crash report there.
     */
    private List<String> readableModulePath(Path directory) throws IOException {
        Files.setAttribute(directory, "unix:uid", user);
        Files.setAttribute(directory, "unix:gid", user);
        Path jars = Files.createDirectory(directory.resolve("modules"));
        List<String> path = new ArrayList<>();
        for (String entry : modulePath) {
            Path source = Path.of(entry);
            if (Files.isDirectory(source)) {
                try (var inside = Files.list(source)) {
                    boolean modules = inside.anyMatch(p -> p.toString().endsWith(".jar"));
                    if (!modules) {
                        // A module in exploded form (target/classes): readable where the checkout is.
                        path.add(entry);
                        continue;
                    }
                }
                Path copies = Files.createDirectory(jars.resolve("dir" + path.size()));
                try (var inside = Files.list(source)) {
                    for (Path jar : inside.filter(p -> p.toString().endsWith(".jar")).toList()) {
                        Files.copy(jar, copies.resolve(jar.getFileName()));
                    }
                }
                path.add(copies.toString());
            } else {
                Path copy = jars.resolve(path.size() + "-" + source.getFileName());
                Files.copy(source, copy);
                path.add(copy.toString());
            }
        }
        return path;
    }

    private AttackResult probe(AttackCase attack, String mechanism) {
        Verdict verdict = Verdict.fresh(attack.name(), mechanism);
        Path errors;
        Path crashReports;
        Process process;
        try {
            crashReports = Files.createTempDirectory("flexos-attack-");
            if (user >= 0) {
                // Traversable by the probe's user, as the copies of the module path inside must be.
                Files.setPosixFilePermissions(crashReports, PosixFilePermissions
                        .fromString("rwxr-xr-x"));
            }
            errors = crashReports.resolve("stderr");
            process = new ProcessBuilder(command(attack, mechanism, crashReports))
                    .redirectError(errors.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start an attack JVM: " + e.getMessage(), e);
        }
        try {
            return watch(attack, mechanism, verdict, process, errors, crashReports);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while attacking", e);
        } finally {
            process.destroyForcibly();
            deleteTree(crashReports);
        }
    }

    /** What one probe JVM's run showed: its verdict, if signed, and what it did after. */
    private AttackResult watch(AttackCase attack, String mechanism, Verdict verdict, Process process, Path errors,
                               Path crashReports) throws InterruptedException {
        try (OutputStream in = process.getOutputStream()) {
            in.write(verdict.keyLine().getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // The probe died before it read its key: it gives no verdict, which is judged below.
        }
        OutputReader reader = new OutputReader(process.getInputStream(), verdict);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(probeTimeoutSeconds);
        AttackResult signed = reader.awaitVerdict(deadline);
        if (signed == null) {
            if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                process.destroyForcibly().waitFor();
                return new AttackResult(attack.name(), mechanism, Outcome.SUCCEEDED,
                        "the image hung: no answer within " + probeTimeoutSeconds + " s" + reader.forgeries());
            }
            reader.join(1_000);
            signed = reader.verdict();
        }
        if (signed == null) {
            Optional<AttackResult> cpu = stoppedByTheCpu(attack, mechanism, pkeyFault(process, crashReports));
            if (cpu.isPresent()) {
                return cpu.get();
            }
            return new AttackResult(attack.name(), mechanism, Outcome.SUCCEEDED,
                    "the image exited with status " + process.exitValue() + " before the attack returned"
                            + crash(process, crashReports) + said(errors) + reader.forgeries());
        }
        long asked = System.nanoTime();
        if (!process.waitFor(EXIT_BOUND_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            return new AttackResult(attack.name(), mechanism, Outcome.SUCCEEDED, "the image did not exit within "
                    + EXIT_BOUND_SECONDS + " s when asked (its exit hung); its verdict was: "
                    + signed.outcome().word() + " - " + signed.detail());
        }
        long exitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked);
        String crash = crash(process, crashReports);
        if (process.exitValue() != 0 || !crash.isEmpty()) {
            return new AttackResult(attack.name(), mechanism, Outcome.SUCCEEDED, "the image exited with status "
                    + process.exitValue() + " after its verdict" + crash + "; its verdict was: "
                    + signed.outcome().word() + " - " + signed.detail());
        }
        return new AttackResult(attack.name(), mechanism, signed.outcome(), signed.detail() + reader.forgeries()
                + (exitMillis > 2_000 ? "; exit took " + exitMillis + " ms" : ""));
    }

    /**
     * The protection-key fault that stopped the probe JVM, read from its crash report (and the compartment map it
     * left, which is removed); empty if it wrote no report or the report records another crash.
     */
    private static Optional<PkeyFaultReport> pkeyFault(Process process, Path crashReports) {
        Path report = crashReports.resolve("hs_err_pid" + process.pid() + ".log");
        Optional<PkeyFaultReport> fault = Files.exists(report) ? PkeyFaultReport.read(report) : Optional.empty();
        fault.ifPresent(PkeyFaultReport::discardMap);
        return fault;
    }

    /**
     * How a probe JVM that a protection-key fault stopped is judged: for an attack on memory (read or write), the
     * CPU refused the access to the vault's heap, so the memory was protected: blocked, although the image stopped
     * (availability is not contained, which is why no availability row counts a fault as stopped). For any other
     * goal the image's end is what the attacker wanted: succeeded. A fault on memory other than the vault's mpk heap
     * proves nothing about the vault: empty, and the dead JVM is judged as any other.
     */
    static Optional<AttackResult> stoppedByTheCpu(AttackCase attack, String mechanism, Optional<PkeyFaultReport> fault) {
        if (fault.isEmpty()) {
            return Optional.empty();
        }
        PkeyFaultReport f = fault.get();
        String what = "a protection-key fault stopped the image: " + f.explain();
        boolean onTheVault = f.heapCompartment().equals(Optional.of(AttackProbe.VICTIM_COMPARTMENT));
        boolean memoryAttack = attack.goal() == AttackCase.Goal.READ || attack.goal() == AttackCase.Goal.WRITE;
        if (memoryAttack && onTheVault) {
            return Optional.of(new AttackResult(attack.name(), mechanism, Outcome.BLOCKED, "the CPU refused the "
                    + (f.write() ? "write" : "read") + " (" + what + "); memory protected, availability not"));
        }
        if (!memoryAttack) {
            return Optional.of(new AttackResult(attack.name(), mechanism, Outcome.SUCCEEDED, what));
        }
        return Optional.empty();
    }

    /** A crash report the probe JVM wrote, as a phrase; empty if none. */
    private static String crash(Process process, Path crashReports) {
        Path report = crashReports.resolve("hs_err_pid" + process.pid() + ".log");
        return Files.exists(report) ? " (the JVM crashed: it wrote " + report.getFileName() + ")" : "";
    }

    /** The first lines the probe wrote to standard error, other than the JVM's warnings. */
    private static String said(Path errors) {
        try {
            List<String> said = Files.readAllLines(errors).stream()
                    .filter(l -> !l.startsWith("WARNING")).limit(3).toList();
            return said.isEmpty() ? "" : " (" + String.join(" ", said) + ")";
        } catch (IOException | java.io.UncheckedIOException e) {
            return "";
        }
    }

    private static void deleteTree(Path directory) {
        try (var files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // A temporary file left behind is harmless.
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            // The same.
        }
    }

    /**
     * Reads a probe's standard output as it comes, keeping the first verdict whose MAC is valid and counting the
     * lines that look like a verdict but are not (forgeries); it keeps reading to the end so that the probe never
     * blocks on a full pipe.
     */
    private static final class OutputReader extends Thread {
        private final InputStream out;
        private final Verdict verdict;
        private AttackResult signed;
        private int forged;
        private boolean ended;

        OutputReader(InputStream out, Verdict verdict) {
            super("flexos-attack-output");
            setDaemon(true);
            this.out = out;
            this.verdict = verdict;
        }

        @Override
        public void run() {
            try (InputStream bytes = out) {
                for (String line = boundedLine(bytes); line != null; line = boundedLine(bytes)) {
                    if (line.startsWith(Verdict.PREFIX) || line.startsWith("flexos-attack-result")) {
                        Optional<AttackResult> valid = verdict.verify(line);
                        synchronized (this) {
                            if (valid.isPresent() && signed == null) {
                                signed = valid.get();
                                notifyAll();
                            } else if (valid.isEmpty()) {
                                forged++;
                            }
                        }
                    }
                }
            } catch (IOException e) {
                // The probe is gone; what it said is what there is.
            } finally {
                synchronized (this) {
                    ended = true;
                    notifyAll();
                }
            }
        }

        /** The next line, cut at {@link #MAX_LINE} bytes (a verdict is far shorter); null at the end. */
        private static String boundedLine(InputStream in) throws IOException {
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            int b = in.read();
            if (b < 0) {
                return null;
            }
            while (b >= 0 && b != '\n') {
                if (line.size() < MAX_LINE) {
                    line.write(b);
                }
                b = in.read();
            }
            return line.toString(StandardCharsets.UTF_8);
        }

        /** The signed verdict once it arrives, or null when the output ends or {@code deadline} passes first. */
        synchronized AttackResult awaitVerdict(long deadline) throws InterruptedException {
            while (signed == null && !ended) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return signed;
        }

        synchronized AttackResult verdict() {
            return signed;
        }

        /** The forged verdict lines seen, as a phrase to add to a detail; empty if none. */
        synchronized String forgeries() {
            return forged == 0 ? "" : "; ignored " + forged + " forged verdict line" + (forged == 1 ? "" : "s");
        }
    }

    /** The results of built-in attacks as a table; see {@link #table(List, List)}. */
    public static String table(List<AttackResult> results) {
        return table(results, AttackCase.all());
    }

    /**
     * The results as a table, attacks down and mechanisms across, with a legend of the attacks ({@code attacks}
     * describes them).
     */
    public static String table(List<AttackResult> results, List<AttackCase> attacks) {
        Map<String, Map<String, AttackResult>> byAttack = byAttack(results);
        List<String> mechanisms = results.stream().map(AttackResult::mechanism).distinct().toList();
        int width = Math.max(6, byAttack.keySet().stream().mapToInt(String::length).max().orElse(6));
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-" + width + "s", "attack"));
        mechanisms.forEach(m -> out.append("  ").append(String.format("%-9s", m)));
        out.append('\n');
        byAttack.forEach((attack, cells) -> {
            out.append(String.format("%-" + width + "s", attack));
            for (String m : mechanisms) {
                AttackResult cell = cells.get(m);
                out.append("  ").append(String.format("%-9s", cell == null ? "-" : cell.outcome().word()));
            }
            out.append('\n');
        });
        out.append('\n');
        byAttack.forEach((attack, cells) -> {
            String description = attacks.stream().filter(a -> a.name().equals(attack)).findFirst()
                    .map(a -> a.description() + " [" + a.threat().word() + "]").orElse("");
            out.append(attack).append(": ").append(description).append('\n');
            for (String m : mechanisms) {
                AttackResult cell = cells.get(m);
                if (cell != null) {
                    out.append("    ").append(m).append(": ").append(cell.outcome().word()).append(" - ")
                            .append(cell.detail()).append('\n');
                }
            }
        });
        return out.toString();
    }

    /**
     * The hardening faults as a table: each fault, the option and library it is set on, and its outcome with the
     * option and without; then each run's report or damage.
     */
    public static String faultTable(List<FaultResult> results) {
        Map<String, Map<Boolean, FaultResult>> byFault = byFault(results);
        int width = Math.max(14, byFault.keySet().stream().mapToInt(String::length).max().orElse(14));
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-" + width + "s  %-22s  %-11s  %s%n", "hardening fault", "option on library",
                "with option", "without"));
        byFault.forEach((name, runs) -> {
            String on = HardeningFault.named(name).map(f -> f.option() + " on " + f.hardened()).orElse("");
            out.append(String.format("%-" + width + "s  %-22s  %-11s  %s%n", name, on, word(runs.get(true)),
                    word(runs.get(false))));
        });
        out.append('\n');
        byFault.forEach((name, runs) -> {
            out.append(name).append(": ").append(HardeningFault.named(name).map(HardeningFault::description)
                    .orElse("")).append('\n');
            runs.values().forEach(r -> out.append("    ").append(r.hardened() ? "with" : "without").append(": ")
                    .append(r.outcome().word()).append(" - ").append(r.detail()).append('\n'));
        });
        return out.toString();
    }

    private static String word(FaultResult result) {
        return result == null ? "-" : result.outcome().word();
    }

    /**
     * The results as JSON: {@code {"mechanisms": [...], "attacks": [{"attack", "goal", "threat", "description",
     * "outcomes": {"<mechanism>": {"outcome", "detail"}}}]}}.
     */
    public static String json(List<AttackResult> results) {
        return json(results, List.of(), AttackCase.all());
    }

    /**
     * The attacks ({@code known} describes them) and the hardening faults as JSON: {@link #json(List)}'s object with,
     * when there are fault results,
     * {@code "hardening": [{"fault", "option", "library", "description", "with": {"outcome", "detail"},
     * "without": {...}}]}.
     */
    public static String json(List<AttackResult> results, List<FaultResult> faults, List<AttackCase> known) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode mechanisms = root.putArray("mechanisms");
        results.stream().map(AttackResult::mechanism).distinct().forEach(mechanisms::add);
        ArrayNode attacks = root.putArray("attacks");
        byAttack(results).forEach((attack, cells) -> {
            ObjectNode row = attacks.addObject().put("attack", attack);
            known.stream().filter(a -> a.name().equals(attack)).findFirst().ifPresent(attackCase -> row
                    .put("goal", attackCase.goal().name().toLowerCase(Locale.ROOT))
                    .put("threat", attackCase.threat().word())
                    .put("description", attackCase.description()));
            ObjectNode outcomes = row.putObject("outcomes");
            cells.values().forEach(c -> outcomes.putObject(c.mechanism()).put("outcome", c.outcome().word())
                    .put("detail", c.detail()));
        });
        ObjectNode evidence = root.putObject("evidence");
        results.stream().map(AttackResult::mechanism).distinct().forEach(m -> {
            ObjectNode of = evidence.putObject(m);
            ArrayNode claims = of.putArray("claims");
            Mechanisms.builtIn().named(m).claims().stream().sorted().forEach(c -> claims.add(c.word()));
            ArrayNode shown = of.putArray("shownToStop");
            Evidence.shownToStop(m, results, known).stream().sorted().forEach(c -> shown.add(c.word()));
        });
        if (!faults.isEmpty()) {
            ArrayNode hardening = root.putArray("hardening");
            byFault(faults).forEach((name, runs) -> {
                ObjectNode row = hardening.addObject().put("fault", name);
                HardeningFault.named(name).ifPresent(f -> row.put("option", f.option()).put("library", f.hardened())
                        .put("description", f.description()));
                runs.values().forEach(r -> row.putObject(r.hardened() ? "with" : "without")
                        .put("outcome", r.outcome().word()).put("detail", r.detail()));
            });
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the attack results as JSON", e);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, Map<Boolean, FaultResult>> byFault(List<FaultResult> results) {
        Map<String, Map<Boolean, FaultResult>> byFault = new LinkedHashMap<>();
        for (FaultResult r : results) {
            byFault.computeIfAbsent(r.fault(), f -> new LinkedHashMap<>()).put(r.hardened(), r);
        }
        return byFault;
    }

    private static Map<String, Map<String, AttackResult>> byAttack(List<AttackResult> results) {
        Map<String, Map<String, AttackResult>> byAttack = new LinkedHashMap<>();
        for (AttackResult r : results) {
            byAttack.computeIfAbsent(r.attack(), a -> new LinkedHashMap<>()).put(r.mechanism(), r);
        }
        return byAttack;
    }
}
