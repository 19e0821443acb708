package flexos.cli;

import flexos.attacks.AttackCase;
import flexos.attacks.AttackResult;
import flexos.attacks.AttackSuite;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flexos attacks}: the isolation attack suite, every attack under every implemented mechanism. */
@Command(name = "attacks", mixinStandardHelpOptions = true,
        description = {
            "Run the isolation attack suite: hostile libraries, each in a compartment of its own, try one thing the",
            "threat model forbids against a victim library (read or write its private heap by a kept segment, a raw",
            "address, Unsafe or reflection; call an unexported function; touch its static state; exhaust memory;",
            "loop forever; crash or exit). Every attack runs in a JVM of its own under every implemented mechanism.",
            "Outcomes: blocked (the attack failed, the victim is intact), succeeded, contained (the caller got a gate",
            "error and the image kept running)."})
final class AttacksCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "Print the table as JSON.")
    private boolean json;

    @Option(names = {"-m", "--mechanism"}, paramLabel = "NAME", split = ",",
            description = "Only these mechanisms (default: every implemented one).")
    private List<String> mechanisms = new ArrayList<>();

    @Option(names = {"-a", "--attack"}, paramLabel = "NAME", split = ",", description = "Only these attacks (default: all).")
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
        if (attacks.isEmpty()) {
            chosenAttacks.addAll(AttackCase.all());
        }
        for (String name : attacks) {
            AttackCase attack = AttackCase.named(name).orElse(null);
            if (attack == null) {
                err.println("flexos attacks: unknown attack " + name + "; attacks: "
                        + String.join(", ", AttackCase.all().stream().map(AttackCase::name).toList()));
                return ExitCodes.BAD_INPUT;
            }
            chosenAttacks.add(attack);
        }
        List<AttackResult> results = AttackSuite.fromThisJvm().run(chosenAttacks, chosenMechanisms, result -> {
            err.println("flexos attacks: " + result.attack() + " under " + result.mechanism() + ": " + result.outcome().word());
            err.flush();
        });
        out.print(json ? AttackSuite.json(results) : AttackSuite.table(results));
        out.flush();
        return ExitCodes.OK;
    }
}
