package flexos.cli;

import flexos.attacks.AttackCase;
import flexos.attacks.AttackResult;
import flexos.attacks.AttackSuite;
import flexos.attacks.FaultResult;
import flexos.attacks.HardeningFault;
import flexos.attacks.HardeningFaults;
import java.util.stream.Stream;
import java.io.PrintWriter;
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
            "error and the image kept running).",
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

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> known = AttackSuite.mechanisms();
        List<String> chosenMechanisms = mechanisms.isEmpty() ? known : mechanisms;
        for (String mechanism : chosenMechanisms) {
            if (!known.contains(mechanism)) {
                err.println("flexos attacks: unknown mechanism " + mechanism + "; implemented: " + String.join(", ", known));
                return ExitCodes.BAD_INPUT;
            }
        }
        List<AttackCase> chosenAttacks = new ArrayList<>();
        List<HardeningFault> chosenFaults = new ArrayList<>();
        if (attacks.isEmpty()) {
            chosenAttacks.addAll(AttackCase.all());
            chosenFaults.addAll(HardeningFault.all());
        }
        for (String name : attacks) {
            AttackCase attack = AttackCase.named(name).orElse(null);
            HardeningFault fault = HardeningFault.named(name).orElse(null);
            if (attack != null) {
                chosenAttacks.add(attack);
            } else if (fault != null) {
                chosenFaults.add(fault);
            } else {
                err.println("flexos attacks: unknown attack " + name + "; attacks: " + String.join(", ", Stream.concat(
                        AttackCase.all().stream().map(AttackCase::name),
                        HardeningFault.all().stream().map(HardeningFault::name)).toList()));
                return ExitCodes.BAD_INPUT;
            }
        }
        List<AttackResult> results = AttackSuite.fromThisJvm().run(chosenAttacks, chosenMechanisms, result -> {
            err.println("flexos attacks: " + result.attack() + " under " + result.mechanism() + ": " + result.outcome().word());
            err.flush();
        });
        List<FaultResult> faults = HardeningFaults.run(chosenFaults, result -> {
            err.println("flexos attacks: " + result.fault() + (result.hardened() ? " with " : " without ")
                    + "its option: " + result.outcome().word());
            err.flush();
        });
        if (json) {
            out.print(AttackSuite.json(results, faults));
        } else {
            out.print(results.isEmpty() ? "" : AttackSuite.table(results));
            out.print(results.isEmpty() || faults.isEmpty() ? "" : "\n");
            out.print(faults.isEmpty() ? "" : AttackSuite.faultTable(faults));
        }
        out.flush();
        return ExitCodes.OK;
    }
}
