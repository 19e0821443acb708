package flexos.cli;

import flexos.attacks.AttackCase;
import flexos.attacks.AttackResult;
import flexos.attacks.AttackSuite;
import flexos.attacks.FaultResult;
import flexos.attacks.HardeningFault;
import flexos.attacks.HardeningFaults;
import flexos.attacks.Evidence;
import flexos.attacks.OutsideAttacks;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flexos attacks}: the isolation attack suite, every attack under every implemented mechanism, and the
 * hardening faults, each with and without the option that must catch it.
 */
@Command(name = "attacks", mixinStandardHelpOptions = true,
        description = {
            "Run the isolation attack suite: hostile libraries, each in a compartment of its own, try one thing the",
            "threat model forbids against a victim library (read or write its private heap by a kept segment, a raw",
            "address, Unsafe or reflection; call an unexported function; touch its static state; exhaust memory;",
            "loop forever; crash or exit). Every attack runs in a JVM of its own under every implemented mechanism.",
            "Outcomes: blocked (the attack failed, the victim is intact), succeeded, contained (the caller got a gate",
            "error and the image kept running). Harm counts whatever the goal: shared JVM state changed (streams,",
            "properties, defaults, providers, handlers, shutdown hooks), the image unable to allocate heap, a direct",
            "buffer, a descriptor or a thread, the image not exiting within a bound when asked. The verdict is signed",
            "with a key only the probe holds: a forged or missing one counts as succeeded.",
            "Then the hardening faults (asan: heap overflow, use-after-free, double free; cfi: an undeclared call;",
            "contracts: a precondition violation), each run with its option and without: caught or missed."})
final class AttacksCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "Print the table as JSON.")
    private boolean json;

    @Option(names = {"-m", "--mechanism"}, paramLabel = "NAME", split = ",",
            description = "Only these mechanisms (default: every implemented one).")
    private List<String> mechanisms = new ArrayList<>();

    @Option(names = {"-a", "--attack"}, paramLabel = "NAME", split = ",",
            description = "Only these attacks or hardening faults (default: all).")
    private List<String> attacks = new ArrayList<>();

    @Option(names = "--with", paramLabel = "DIR",
            description = {"Also run the attacks of the jars in DIR: classes implementing flexos.attacks.api.Attack,",
                "each with META-INF/flexos/attacks/NAME.attack and META-INF/flexos/NAME.meta (docs/attack-api.md)."})
    private Path with;

    @Option(names = {"-j", "--parallel"}, paramLabel = "N", defaultValue = "2",
            description = "Attack JVMs run at once (default: ${DEFAULT-VALUE}).")
    private int parallel;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> runnable = AttackSuite.mechanisms();
        List<String> chosenMechanisms = mechanisms.isEmpty() ? runnable : mechanisms;
        for (String mechanism : chosenMechanisms) {
            if (!runnable.contains(mechanism)) {
                err.println("flexos attacks: unknown mechanism " + mechanism + "; implemented: "
                        + String.join(", ", runnable));
                return ExitCodes.BAD_INPUT;
            }
        }
        List<AttackCase> known = new ArrayList<>(AttackCase.all());
        Path copies = null;
        if (with != null) {
            try {
                copies = Files.createTempDirectory("flexos-outside-attacks-");
                known.addAll(OutsideAttacks.load(with, copies,
                        known.stream().map(AttackCase::name).collect(Collectors.toSet())));
            } catch (OutsideAttacks.BadAttackJar | IOException e) {
                err.println("flexos attacks: " + (e instanceof IOException ? "cannot read the attacks in " + with
                        + ": " : "") + e.getMessage());
                OutsideAttacks.clean(copies);
                return ExitCodes.BAD_INPUT;
            }
        }
        try {
            return run(known, chosenMechanisms, out, err);
        } finally {
            OutsideAttacks.clean(copies);
        }
    }

    private int run(List<AttackCase> known, List<String> chosenMechanisms, PrintWriter out, PrintWriter err) {
        List<AttackCase> chosenAttacks = new ArrayList<>();
        List<HardeningFault> chosenFaults = new ArrayList<>();
        if (attacks.isEmpty()) {
            chosenAttacks.addAll(known);
            chosenFaults.addAll(HardeningFault.all());
        }
        for (String name : attacks) {
            AttackCase attack = known.stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
            HardeningFault fault = HardeningFault.named(name).orElse(null);
            if (attack != null) {
                chosenAttacks.add(attack);
            } else if (fault != null) {
                chosenFaults.add(fault);
            } else {
                err.println("flexos attacks: unknown attack " + name + "; attacks: " + String.join(", ", Stream.concat(
                        known.stream().map(AttackCase::name),
                        HardeningFault.all().stream().map(HardeningFault::name)).toList()));
                return ExitCodes.BAD_INPUT;
            }
        }
        List<AttackResult> results = AttackSuite.fromThisJvm().withParallelism(parallel).run(chosenAttacks, chosenMechanisms, result -> {
            err.println("flexos attacks: " + result.attack() + " under " + result.mechanism() + ": " + result.outcome().word());
            err.flush();
        });
        List<FaultResult> faults = HardeningFaults.run(chosenFaults, result -> {
            err.println("flexos attacks: " + result.fault() + (result.hardened() ? " with " : " without ")
                    + "its option: " + result.outcome().word());
            err.flush();
        });
        if (json) {
            out.print(AttackSuite.json(results, faults, known));
        } else {
            out.print(results.isEmpty() ? "" : AttackSuite.table(results, known));
            out.print(results.isEmpty() ? "" : "\n" + Evidence.summary(results, known));
            out.print(results.isEmpty() || faults.isEmpty() ? "" : "\n");
            out.print(faults.isEmpty() ? "" : AttackSuite.faultTable(faults));
        }
        out.flush();
        return ExitCodes.OK;
    }
}
