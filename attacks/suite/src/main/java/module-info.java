/**
 * The attack suite of {@code flexos attacks}: a victim library, hostile libraries that each try one thing the threat
 * model forbids (SPEC §3), and the runner that tries every attack under every implemented mechanism; and the
 * hardening faults (SPEC §4), buggy or hostile libraries each run with and without the option that must catch it.
 * The libraries are not services: the suite builds its own catalog per attack, so they never enter an ordinary image.
 */
module flexos.attacks {
    requires flexos.attacks.api;
    requires flexos.alloc.api;
    requires flexos.libc.api;
    requires flexos.sched.api;
    // The Unsafe attacks need sun.misc.Unsafe, as a compromised library would.
    requires jdk.unsupported;
    // The host-memory attacks dump the heap through HotSpotDiagnosticMXBean.
    requires jdk.management;
    // The sandbox attacks attach to other JVMs (the attach API) and reach their management agent over JMX.
    requires jdk.attach;
    requires java.management.rmi;
    // The --json output.
    requires com.fasterxml.jackson.databind;
    exports flexos.attacks;
    // Under the process mechanism a compartment's process instantiates its libraries itself, by class name: the
    // victim and the attackers, which are not services, must be constructible by flexos.core there.
    exports flexos.attacks.victim to flexos.core;
    exports flexos.attacks.hostile to flexos.core;
    exports flexos.attacks.hostile.sandbox to flexos.core;
}
