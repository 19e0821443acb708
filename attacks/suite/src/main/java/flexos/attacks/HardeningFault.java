package flexos.attacks;

import flexos.attacks.faults.buggy.ContractBreakerLibrary;
import flexos.attacks.faults.heapbug.HeapBugLibrary;
import flexos.attacks.faults.sneaky.SneakyCallerLibrary;
import flexos.attacks.faults.undeclared.UndeclaredCallerLibrary;
import flexos.attacks.victim.VaultLibrary;
import flexos.core.component.Library;
import flexos.core.hardening.CallPolicyViolation;
import flexos.core.hardening.ContractViolation;
import flexos.core.hardening.MemoryFault;
import flexos.core.image.ImageBuildException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One fault of the hardening rows (SPEC §4): a buggy or hostile application, the option that must catch it, and
 * the library that option is set on. The application's {@code run(args)} commits the fault and returns 1 when the
 * fault did its damage unreported.
 *
 * @param name        the fault's name in the table
 * @param option      the hardening option that must catch it
 * @param hardened    the library the option is set on (the faulty one, or for {@code contracts} the callee)
 * @param application the faulty application library
 * @param args        its arguments
 * @param description one line for the table's legend
 * @param damage      what a returned 1 means, in a few words
 * @param report      the exception by which the option reports the fault; its message names the application
 * @param libraries   makes the image's libraries: the application and what it calls
 */
public record HardeningFault(String name, String option, String hardened, String application, List<String> args,
        String description, String damage, Class<? extends Exception> report, Supplier<List<Library>> libraries) {

    public HardeningFault {
        args = List.copyOf(args);
    }

    /** Every fault, in table order. */
    public static List<HardeningFault> all() {
        Supplier<List<Library>> heap = () -> List.of(new HeapBugLibrary(), ShippedLibrary.named("alloc"),
                ShippedLibrary.named("libc"));
        return List.of(
                new HardeningFault("asan-heap-overflow", "asan", "heapbug", "heapbug", List.of("overflow"),
                        "memset 48 bytes from a 16-byte block, computed as heap base + offset",
                        "the neighbour block was overwritten", MemoryFault.class, heap),
                new HardeningFault("asan-use-after-free", "asan", "heapbug", "heapbug", List.of("use-after-free"),
                        "memset through a kept slice of a freed block", "the next allocation was overwritten",
                        MemoryFault.class, heap),
                new HardeningFault("asan-double-free", "asan", "heapbug", "heapbug", List.of("double-free"),
                        "free a block again after its memory went to another allocation",
                        "one block was handed out twice", MemoryFault.class, heap),
                new HardeningFault("cfi-undeclared-call", "cfi", "sneaky", "sneaky", List.of(),
                        "call vault::seal by reflection, declaring only vault::staticState",
                        "the vault was resealed", CallPolicyViolation.class,
                        () -> List.of(new SneakyCallerLibrary(), new VaultLibrary())),
                new HardeningFault("cfi-wrong-call-clause", "cfi", "undeclared", "undeclared", List.of(),
                        "call vault::seal in bytecode, declaring only vault::staticState",
                        "the vault was resealed", ImageBuildException.class,
                        () -> List.of(new UndeclaredCallerLibrary(), new VaultLibrary())),
                new HardeningFault("contracts-precondition", "contracts", "sched", "buggy", List.of(),
                        "sched::spawn a task with a blank name (precondition: a non-blank name)",
                        "the scheduler accepted the task", ContractViolation.class,
                        () -> List.of(new ContractBreakerLibrary(), ShippedLibrary.named("sched"))));
    }

    public static Optional<HardeningFault> named(String name) {
        return all().stream().filter(f -> f.name().equals(name)).findFirst();
    }
}
