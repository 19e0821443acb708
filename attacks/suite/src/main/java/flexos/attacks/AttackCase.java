package flexos.attacks;

import flexos.attacks.hostile.Hostiles;
import flexos.core.component.Library;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One attack of the suite: the hostile library that performs it and what it is after.
 *
 * @param name        the hostile library's name, also the attack's name in the table
 * @param goal        what the attack tries to do, which decides how its run is judged
 * @param description one line for the table's legend
 * @param library     makes the hostile library
 */
public record AttackCase(String name, Goal goal, String description, Supplier<Library> library) {

    /** What an attack is after. */
    public enum Goal {
        /** Read the vault's secret: it succeeds when it returns the secret. */
        READ,
        /** Change the vault's memory or state: it succeeds when the vault is no longer intact. */
        WRITE,
        /** Take the image down (crash, exit, hang, exhaust memory): it is contained when the caller gets a gate
         *  error and the vault still works afterwards. */
        CRASH
    }

    /** Every attack, in table order. */
    public static List<AttackCase> all() {
        return List.of(
                new AttackCase("read-kept-segment", Goal.READ, "read a lent private block after the call",
                        Hostiles.ReadKeptSegment::new),
                new AttackCase("read-raw-address", Goal.READ, "read the private heap by raw address (native access)",
                        Hostiles.ReadRawAddress::new),
                new AttackCase("read-unsafe", Goal.READ, "read the private heap through sun.misc.Unsafe",
                        Hostiles.ReadUnsafe::new),
                new AttackCase("read-reflection", Goal.READ, "read the private heap via deep reflection on the vault",
                        Hostiles.ReadReflection::new),
                new AttackCase("write-kept-segment", Goal.WRITE, "keep a lent block and change it after the call",
                        Hostiles.WriteKeptSegment::new),
                new AttackCase("write-raw-address", Goal.WRITE, "write the private heap by raw address (native access)",
                        Hostiles.WriteRawAddress::new),
                new AttackCase("write-unsafe", Goal.WRITE, "write the private heap through sun.misc.Unsafe",
                        Hostiles.WriteUnsafe::new),
                new AttackCase("write-reflection", Goal.WRITE, "write the private heap via deep reflection",
                        Hostiles.WriteReflection::new),
                new AttackCase("call-unexported", Goal.WRITE, "call VaultService.reset, which no gate exports",
                        Hostiles.CallUnexported::new),
                new AttackCase("read-static", Goal.READ, "read the vault's static state", Hostiles.ReadStatic::new),
                new AttackCase("write-static", Goal.WRITE, "change the vault's static state", Hostiles.WriteStatic::new),
                new AttackCase("exhaust-memory", Goal.CRASH, "allocate until the JVM heap is exhausted, keep it",
                        Hostiles.ExhaustMemory::new),
                new AttackCase("loop-forever", Goal.CRASH, "never return from the call", Hostiles.LoopForever::new),
                new AttackCase("crash-exception", Goal.CRASH, "throw an exception of its own class",
                        Hostiles.CrashException::new),
                new AttackCase("crash-exit", Goal.CRASH, "System.exit", Hostiles.CrashExit::new),
                new AttackCase("crash-exit-reflective", Goal.CRASH, "System.exit through Method.invoke",
                        Hostiles.CrashExitReflective::new),
                new AttackCase("crash-halt-handle", Goal.CRASH, "Runtime.halt through a MethodHandle",
                        Hostiles.CrashHaltHandle::new));
    }

    public static Optional<AttackCase> named(String name) {
        return all().stream().filter(a -> a.name().equals(name)).findFirst();
    }
}
