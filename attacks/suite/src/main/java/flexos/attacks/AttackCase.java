package flexos.attacks;

import flexos.attacks.hostile.AroundRewriter;
import flexos.attacks.hostile.ExitHangs;
import flexos.attacks.hostile.ForgedVerdict;
import flexos.attacks.hostile.GlobalState;
import flexos.attacks.hostile.HostMemory;
import flexos.attacks.hostile.Hostiles;
import flexos.attacks.hostile.LaterThreads;
import flexos.attacks.hostile.NativeMemory;
import flexos.attacks.hostile.ProcessControl;
import flexos.attacks.hostile.Resources;
import flexos.attacks.hostile.SharedMonitors;
import flexos.attacks.hostile.StackDepth;
import flexos.attacks.hostile.sandbox.DumpNeighbours;
import flexos.attacks.hostile.sandbox.ForgedReplies;
import flexos.attacks.hostile.sandbox.ProcessNeighbours;
import flexos.core.component.Library;
import flexos.core.mechanism.ThreatClass;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One attack of the suite: the hostile library that performs it, what it is after, and the class of threat it
 * belongs to.
 *
 * @param name        the hostile library's name, also the attack's name in the table
 * @param goal        what the attack tries to do, which decides how its run is judged
 * @param threat      the class of attack, which a mechanism's claims are checked against
 * @param description one line for the table's legend
 * @param library     makes the hostile library
 * @param outside     where an attack from outside the project comes from ({@code flexos attacks --with}); empty for
 *                    the built-in ones
 */
public record AttackCase(String name, Goal goal, ThreatClass threat, String description, Supplier<Library> library,
                         Optional<OutsideAttacks.Origin> outside) {

    /** A built-in attack. */
    public AttackCase(String name, Goal goal, ThreatClass threat, String description, Supplier<Library> library) {
        this(name, goal, threat, description, library, Optional.empty());
    }

    /**
     * What an attack is after. Whatever the goal, harm the probe sees (shared state changed, the image unhealthy,
     * the vault broken) makes the attack succeed.
     */
    public enum Goal {
        /** Read the vault's secret: it succeeds when it returns the secret. */
        READ,
        /** Change the vault's memory or state: it succeeds when the vault is no longer intact. */
        WRITE,
        /** Take the image down (crash, exit, hang, exhaust memory): it is contained when the caller gets a gate
         *  error and the vault still works afterwards. */
        CRASH,
        /** Harm the image without taking it down (shared state, hoarded resources, a hung exit): it succeeds when
         *  the probe or the suite sees harm, and is contained when the caller got a gate error and there is none. */
        HARM
    }

    /** Every built-in attack, in table order. */
    public static List<AttackCase> all() {
        return List.of(
                new AttackCase("read-kept-segment", Goal.READ, ThreatClass.MEMORY_READ,
                        "read a lent private block after the call", Hostiles.ReadKeptSegment::new),
                new AttackCase("read-raw-address", Goal.READ, ThreatClass.MEMORY_READ,
                        "read the private heap by raw address (native access)", Hostiles.ReadRawAddress::new),
                new AttackCase("read-unsafe", Goal.READ, ThreatClass.MEMORY_READ,
                        "read the private heap through sun.misc.Unsafe", Hostiles.ReadUnsafe::new),
                new AttackCase("read-reflection", Goal.READ, ThreatClass.MEMORY_READ,
                        "read the private heap via deep reflection on the vault", Hostiles.ReadReflection::new),
                new AttackCase("read-proc-mem", Goal.READ, ThreatClass.MEMORY_READ,
                        "read the secret's address from /proc/self/mem with java.nio", HostMemory.ReadProcMem::new),
                new AttackCase("read-sibling-mem", Goal.READ, ThreatClass.MEMORY_READ,
                        "read the secret through /proc/<pid>/mem and process_vm_readv of each sibling (in-process: its own)",
                        ProcessNeighbours.ReadSiblingMem::new),
                new AttackCase("heap-dump", Goal.READ, ThreatClass.MEMORY_READ,
                        "dump the heap (HotSpotDiagnosticMXBean) and read the vault's static from it",
                        HostMemory.HeapDump::new),
                new AttackCase("dump-neighbours", Goal.READ, ThreatClass.MEMORY_READ,
                        "dump the vault's process's heap by jcmd or the attach API, at each sibling and the image"
                                + " (in-process: its own, by HotSpotDiagnosticMXBean)", DumpNeighbours::new),
                new AttackCase("unsafe-bound-handle", Goal.READ, ThreatClass.MEMORY_READ,
                        "Unsafe.getLong through a private lookup's getter and a bound method handle",
                        AroundRewriter.UnsafeBoundHandle::new),
                new AttackCase("inject-through-region", Goal.WRITE, ThreatClass.MEMORY_WRITE,
                        "overwrite other compartments' RPC regions and private heaps via /proc/<pid>/fd/N of the image and siblings",
                        ProcessNeighbours.InjectThroughRegion::new),
                new AttackCase("write-kept-segment", Goal.WRITE, ThreatClass.MEMORY_WRITE,
                        "keep a lent block and change it after the call", Hostiles.WriteKeptSegment::new),
                new AttackCase("write-raw-address", Goal.WRITE, ThreatClass.MEMORY_WRITE,
                        "write the private heap by raw address (native access)", Hostiles.WriteRawAddress::new),
                new AttackCase("read-native-heap", Goal.READ, ThreatClass.NATIVE_MEMORY,
                        "a C-like library that declares native access reads the private heap by raw address",
                        NativeMemory.ReadNativeHeap::new),
                new AttackCase("write-native-heap", Goal.WRITE, ThreatClass.NATIVE_MEMORY,
                        "a C-like library that declares native access writes the private heap by raw address",
                        NativeMemory.WriteNativeHeap::new),
                new AttackCase("write-unsafe", Goal.WRITE, ThreatClass.MEMORY_WRITE,
                        "write the private heap through sun.misc.Unsafe", Hostiles.WriteUnsafe::new),
                new AttackCase("write-reflection", Goal.WRITE, ThreatClass.MEMORY_WRITE,
                        "write the private heap via deep reflection", Hostiles.WriteReflection::new),
                new AttackCase("write-proc-mem", Goal.WRITE, ThreatClass.MEMORY_WRITE,
                        "overwrite the secret through /proc/self/mem with java.nio", HostMemory.WriteProcMem::new),
                new AttackCase("call-unexported", Goal.WRITE, ThreatClass.GATE_CONFINEMENT,
                        "call VaultService.reset, which no gate exports", Hostiles.CallUnexported::new),
                new AttackCase("read-static", Goal.READ, ThreatClass.MEMORY_READ, "read the vault's static state",
                        Hostiles.ReadStatic::new),
                new AttackCase("write-static", Goal.WRITE, ThreatClass.MEMORY_WRITE, "change the vault's static state",
                        Hostiles.WriteStatic::new),
                new AttackCase("set-out", Goal.HARM, ThreatClass.JVM_GLOBAL_STATE,
                        "System.setOut to a stream that swallows everything", GlobalState.SetOut::new),
                new AttackCase("set-property", Goal.HARM, ThreatClass.JVM_GLOBAL_STATE,
                        "System.setProperty(java.io.tmpdir)", GlobalState.SetProperty::new),
                new AttackCase("set-locale", Goal.HARM, ThreatClass.JVM_GLOBAL_STATE, "Locale.setDefault(tr-TR)",
                        GlobalState.SetLocale::new),
                new AttackCase("set-timezone", Goal.HARM, ThreatClass.JVM_GLOBAL_STATE, "TimeZone.setDefault",
                        GlobalState.SetTimeZone::new),
                new AttackCase("insert-provider", Goal.HARM, ThreatClass.JVM_GLOBAL_STATE,
                        "Security.insertProviderAt(its own provider, 1)", GlobalState.InsertProvider::new),
                new AttackCase("set-proxy-selector", Goal.HARM, ThreatClass.JVM_GLOBAL_STATE,
                        "ProxySelector.setDefault", GlobalState.SetProxySelector::new),
                new AttackCase("set-uncaught-handler", Goal.HARM, ThreatClass.JVM_GLOBAL_STATE,
                        "Thread.setDefaultUncaughtExceptionHandler", GlobalState.SetUncaughtHandler::new),
                new AttackCase("kill-image", Goal.CRASH, ThreatClass.PROCESS_CONTROL,
                        "ProcessBuilder runs kill -9 on its own process", ProcessControl.KillImage::new),
                new AttackCase("signal-neighbours", Goal.CRASH, ThreatClass.PROCESS_CONTROL,
                        "SIGKILL to the image and every sibling by SIGIO, pidfd, tgkill, kill and exec (in-process: its own)",
                        ProcessNeighbours.SignalNeighbours::new),
                new AttackCase("forge-reply-list", Goal.CRASH, ThreatClass.FAULT_CONTAINMENT,
                        "write its own reply into its RPC slot naming a list of 2^31 elements (in-process: the"
                                + " allocation in the caller)", ForgedReplies.HugeList::new),
                new AttackCase("oversized-reply", Goal.CRASH, ThreatClass.FAULT_CONTAINMENT,
                        "write its own reply into its RPC slot announcing 2^40 bytes in chunks (in-process: the"
                                + " allocation in the caller)", ForgedReplies.Oversized::new),
                new AttackCase("forge-call-id", Goal.CRASH, ThreatClass.FAULT_CONTAINMENT,
                        "write a call into its RPC slot to object 21000, never handed over (in-process: the vault's"
                                + " unexported reset, by a cast)", ForgedReplies.UnknownObject::new),
                new AttackCase("crash-exit", Goal.CRASH, ThreatClass.EXIT, "System.exit", Hostiles.CrashExit::new),
                new AttackCase("crash-exit-reflective", Goal.CRASH, ThreatClass.EXIT, "System.exit through Method.invoke",
                        Hostiles.CrashExitReflective::new),
                new AttackCase("crash-halt-handle", Goal.CRASH, ThreatClass.EXIT, "Runtime.halt through a MethodHandle",
                        Hostiles.CrashHaltHandle::new),
                new AttackCase("exit-invoke-invoke", Goal.CRASH, ThreatClass.EXIT,
                        "System.exit through Method.invoke of Method.invoke", AroundRewriter.ExitInvokeInvoke::new),
                new AttackCase("halt-bind", Goal.CRASH, ThreatClass.EXIT, "Runtime.halt through Lookup.bind",
                        AroundRewriter.HaltBind::new),
                new AttackCase("hidden-class", Goal.CRASH, ThreatClass.EXIT,
                        "Runtime.halt from a hidden class built at run time", AroundRewriter.HiddenClass::new),
                new AttackCase("reload-own-jar", Goal.CRASH, ThreatClass.EXIT,
                        "Runtime.halt from its own jar loaded again in a URLClassLoader",
                        AroundRewriter.ReloadOwnJar::new),
                new AttackCase("thread-exit-later", Goal.CRASH, ThreatClass.EXIT,
                        "start a thread, crash; the thread calls System.exit 100 ms later",
                        LaterThreads.ThreadExitLater::new),
                new AttackCase("forge-verdict", Goal.CRASH, ThreatClass.EXIT,
                        "print a fake verdict line saying blocked, then Runtime.halt(0)",
                        ForgedVerdict.ForgeVerdict::new),
                new AttackCase("hook-never-returns", Goal.HARM, ThreatClass.EXIT,
                        "a shutdown hook that never returns", ExitHangs.HookNeverReturns::new),
                new AttackCase("hold-shutdown-lock", Goal.HARM, ThreatClass.EXIT,
                        "a thread holds the monitor of class java.lang.Shutdown", ExitHangs.HoldShutdownLock::new),
                new AttackCase("crash-exception", Goal.CRASH, ThreatClass.FAULT_CONTAINMENT,
                        "throw an exception of its own class", Hostiles.CrashException::new),
                new AttackCase("overflow-in-victim", Goal.WRITE, ThreatClass.FAULT_CONTAINMENT,
                        "call the vault with the stack nearly full: the overflow strikes half way through its update",
                        StackDepth.OverflowInVictim::new),
                new AttackCase("overflow-in-lambda", Goal.WRITE, ThreatClass.FAULT_CONTAINMENT,
                        "call the vault with the stack nearly full: the overflow strikes where its update first links a "
                                + "lambda", StackDepth.OverflowInLambda::new),
                new AttackCase("overflow-in-record", Goal.WRITE, ThreatClass.FAULT_CONTAINMENT,
                        "call the vault with the stack nearly full: the overflow strikes where its update first links a "
                                + "record's toString", StackDepth.OverflowInRecord::new),
                new AttackCase("overflow-in-switch", Goal.WRITE, ThreatClass.FAULT_CONTAINMENT,
                        "call the vault with the stack nearly full: the overflow strikes where its update first links a "
                                + "pattern switch", StackDepth.OverflowInSwitch::new),
                new AttackCase("overflow-in-format", Goal.WRITE, ThreatClass.FAULT_CONTAINMENT,
                        "call the vault with the stack nearly full: the overflow strikes where its update first calls "
                                + "String.format", StackDepth.OverflowInFormat::new),
                new AttackCase("overflow-in-varhandle", Goal.WRITE, ThreatClass.FAULT_CONTAINMENT,
                        "call the vault with the stack nearly full: the overflow strikes where its update first links a "
                                + "VarHandle access", StackDepth.OverflowInVarHandle::new),
                new AttackCase("overflow-in-clinit", Goal.HARM, ThreatClass.FAULT_CONTAINMENT,
                        "overflow the stack inside a JDK class initialiser (" + ImageHealth.SENTINEL_CLASS + ")",
                        StackDepth.OverflowInClassInit::new),
                new AttackCase("exhaust-memory", Goal.CRASH, ThreatClass.AVAILABILITY,
                        "allocate until the JVM heap is exhausted, keep it", Hostiles.ExhaustMemory::new),
                new AttackCase("hoard-heap", Goal.HARM, ThreatClass.AVAILABILITY,
                        "allocate heap until OutOfMemoryError, catch it, keep it all", Resources.HoardHeap::new),
                new AttackCase("hoard-direct", Goal.HARM, ThreatClass.AVAILABILITY,
                        "allocate direct buffers until OutOfMemoryError, keep them", Resources.HoardDirect::new),
                new AttackCase("hoard-fds", Goal.HARM, ThreatClass.AVAILABILITY,
                        "open files until no descriptor is left, keep them", Resources.HoardFds::new),
                new AttackCase("interned-monitor", Goal.HARM, ThreatClass.AVAILABILITY,
                        "hold the monitor of the interned string the vault synchronizes on, in a call that never "
                                + "returns", SharedMonitors.InternedMonitor::new),
                new AttackCase("loop-forever", Goal.CRASH, ThreatClass.AVAILABILITY, "never return from the call",
                        Hostiles.LoopForever::new));
    }

    public static Optional<AttackCase> named(String name) {
        return all().stream().filter(a -> a.name().equals(name)).findFirst();
    }
}
