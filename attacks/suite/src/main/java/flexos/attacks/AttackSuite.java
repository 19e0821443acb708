package flexos.attacks;

import flexos.core.mechanism.Mechanisms;
import flexos.core.text.JsonText;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Runs every attack under every implemented mechanism, each in a JVM of its own ({@link AttackProbe}), and reports
 * the table of outcomes. Nothing in the table is looked up: each cell is what its run showed.
 *
 * <p>The JVMs run as {@code ./flexos} runs images: every library a module on the module path, with
 * {@code --illegal-native-access=deny} and native access enabled for {@code flexos.core} and for the attackers'
 * module in the boot layer, so that under {@code fcall} the attacker has what the threat model grants a library
 * ("with native access it may use raw addresses") and an isolating mechanism has to take it away.
 */
public final class AttackSuite {

    /** How long one attack JVM may take by default before the image counts as hung. */
    private static final long PROBE_TIMEOUT_SECONDS = 30;

    private final List<String> modulePath;
    private final Path java;
    private final long probeTimeoutSeconds;

    private AttackSuite(List<String> modulePath, Path java, long probeTimeoutSeconds) {
        this.modulePath = modulePath;
        this.java = java;
        this.probeTimeoutSeconds = probeTimeoutSeconds;
    }

    /** The same suite, counting an attack JVM as hung after {@code seconds} (at least 10: JVMs start slowly). */
    public AttackSuite withProbeTimeout(long seconds) {
        return new AttackSuite(modulePath, java, Math.max(10, seconds));
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
            return new AttackSuite(List.of(path.split(File.pathSeparator)), java, PROBE_TIMEOUT_SECONDS);
        }
        path = System.getProperty("java.class.path", "");
        List<String> modules = new ArrayList<>();
        for (String entry : path.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (entry.endsWith(".jar") || Files.isRegularFile(p.resolve("module-info.class"))) {
                modules.add(entry);
            }
        }
        return new AttackSuite(modules, java, PROBE_TIMEOUT_SECONDS);
    }

    /**
     * The mechanisms the suite runs: every one this build implements that this machine can run (mpk needs a CPU with
     * pku: elsewhere its images are refused, which would read as blocked).
     */
    public static List<String> mechanisms() {
        return Mechanisms.builtIn().all().stream().filter(m -> m.availability().available())
                .map(flexos.core.mechanism.Mechanism::name).toList();
    }

    /** Runs {@code attacks} under {@code mechanisms}; {@code progress} hears about each result as it comes. */
    public List<AttackResult> run(List<AttackCase> attacks, List<String> mechanisms, Consumer<AttackResult> progress) {
        List<AttackResult> results = new ArrayList<>();
        for (AttackCase attack : attacks) {
            for (String mechanism : mechanisms) {
                AttackResult result = probe(attack, mechanism);
                progress.accept(result);
                results.add(result);
            }
        }
        return results;
    }

    private AttackResult probe(AttackCase attack, String mechanism) {
        List<String> command = List.of(java.toString(), "-XX:+UseSerialGC", "-Xmx160m", "-XX:TieredStopAtLevel=1",
                "--illegal-native-access=deny", "--enable-native-access=flexos.core,flexos.attacks",
                "-p", String.join(File.pathSeparator, modulePath),
                "-m", "flexos.attacks/" + AttackProbe.class.getName(), attack.name(), mechanism);
        Process process;
        Path errors;
        try {
            errors = Files.createTempFile("flexos-attack-", ".err");
            process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start an attack JVM: " + e.getMessage(), e);
        }
        try (InputStream out = process.getInputStream()) {
            if (!process.waitFor(probeTimeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                return new AttackResult(attack.name(), mechanism, Outcome.SUCCEEDED,
                        "the image hung: no answer within " + probeTimeoutSeconds + " s");
            }
            String output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            for (String line : output.lines().toList()) {
                if (line.startsWith(AttackProbe.RESULT)) {
                    String[] fields = line.substring(AttackProbe.RESULT.length()).split("\t", 2);
                    return new AttackResult(attack.name(), mechanism, Outcome.valueOf(fields[0].toUpperCase(Locale.ROOT)),
                            fields.length > 1 ? fields[1] : "");
                }
            }
            List<String> said = Files.readAllLines(errors).stream()
                    .filter(l -> !l.startsWith("WARNING")).limit(3).toList();
            return new AttackResult(attack.name(), mechanism, Outcome.SUCCEEDED,
                    "the image exited with status " + process.exitValue() + " before the attack returned"
                            + (said.isEmpty() ? "" : " (" + String.join(" ", said) + ")"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read an attack JVM's answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while attacking", e);
        } finally {
            try {
                Files.deleteIfExists(errors);
            } catch (IOException e) {
                // A temporary file left behind is harmless.
            }
        }
    }

    /** The results as a table, attacks down and mechanisms across, with a legend of the attacks. */
    public static String table(List<AttackResult> results) {
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
            String description = AttackCase.named(attack).map(AttackCase::description).orElse("");
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

    /** The results as JSON: {@code {"mechanisms": [...], "attacks": [{"attack", "goal", "description", "outcomes": {...}}]}}. */
    public static String json(List<AttackResult> results) {
        return json(results, List.of());
    }

    /**
     * The attacks and the hardening faults as JSON: {@link #json(List)}'s object with, when there are fault results,
     * {@code "hardening": [{"fault", "option", "library", "description", "with": {"outcome", "detail"},
     * "without": {...}}]}.
     */
    public static String json(List<AttackResult> results, List<FaultResult> faults) {
        String attacks = attacksJson(results);
        if (faults.isEmpty()) {
            return attacks;
        }
        List<String> rows = new ArrayList<>();
        byFault(faults).forEach((name, runs) -> {
            StringBuilder row = new StringBuilder("\n  {\"fault\": ").append(quote(name));
            HardeningFault.named(name).ifPresent(f -> row.append(", \"option\": ").append(quote(f.option()))
                    .append(", \"library\": ").append(quote(f.hardened()))
                    .append(", \"description\": ").append(quote(f.description())));
            runs.values().forEach(r -> row.append(", ").append(quote(r.hardened() ? "with" : "without"))
                    .append(": {\"outcome\": ").append(quote(r.outcome().word())).append(", \"detail\": ")
                    .append(quote(r.detail())).append('}'));
            rows.add(row.append('}').toString());
        });
        String head = attacks.substring(0, attacks.lastIndexOf('}'));
        return head + ", \"hardening\": [" + String.join(",", rows) + "\n]}\n";
    }

    private static Map<String, Map<Boolean, FaultResult>> byFault(List<FaultResult> results) {
        Map<String, Map<Boolean, FaultResult>> byFault = new LinkedHashMap<>();
        for (FaultResult r : results) {
            byFault.computeIfAbsent(r.fault(), f -> new LinkedHashMap<>()).put(r.hardened(), r);
        }
        return byFault;
    }

    private static String attacksJson(List<AttackResult> results) {
        Map<String, Map<String, AttackResult>> byAttack = byAttack(results);
        List<String> mechanisms = results.stream().map(AttackResult::mechanism).distinct().toList();
        StringBuilder out = new StringBuilder("{\"mechanisms\": [");
        out.append(mechanisms.stream().map(AttackSuite::quote).collect(Collectors.joining(", "))).append("], \"attacks\": [");
        List<String> rows = new ArrayList<>();
        byAttack.forEach((attack, cells) -> {
            AttackCase known = AttackCase.named(attack).orElse(null);
            StringBuilder row = new StringBuilder("\n  {\"attack\": ").append(quote(attack));
            if (known != null) {
                row.append(", \"goal\": ").append(quote(known.goal().name().toLowerCase(Locale.ROOT)))
                        .append(", \"description\": ").append(quote(known.description()));
            }
            row.append(", \"outcomes\": {");
            row.append(cells.values().stream().map(c -> quote(c.mechanism()) + ": {\"outcome\": " + quote(c.outcome().word())
                    + ", \"detail\": " + quote(c.detail()) + "}").collect(Collectors.joining(", ")));
            rows.add(row.append("}}").toString());
        });
        return out.append(String.join(",", rows)).append("\n]}\n").toString();
    }

    private static Map<String, Map<String, AttackResult>> byAttack(List<AttackResult> results) {
        Map<String, Map<String, AttackResult>> byAttack = new LinkedHashMap<>();
        for (AttackResult r : results) {
            byAttack.computeIfAbsent(r.attack(), a -> new LinkedHashMap<>()).put(r.mechanism(), r);
        }
        return byAttack;
    }

    private static String quote(String text) {
        return JsonText.quote(text);
    }
}
