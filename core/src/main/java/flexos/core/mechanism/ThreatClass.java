package flexos.core.mechanism;

import java.util.Locale;

/**
 * A class of attack a compromised library may make on the rest of the image (SPEC §3). Every row of
 * {@code flexos attacks} belongs to one class, and a mechanism claims the classes it stops
 * ({@link Mechanism#claims()}); the attack suite's test fails a claim that a row of its class disproves.
 */
public enum ThreatClass {
    /** Reading another compartment's memory: its private heap, its objects, its static state. */
    MEMORY_READ,
    /** Changing another compartment's memory or state. */
    MEMORY_WRITE,
    /**
     * Reading or writing another compartment's memory by raw address from a library that holds native access, as a
     * C library does (metadata {@code [Host] Native}, analysed as {@code Read(*)}/{@code Write(*)}). The JVM does not
     * bound raw addresses, so only the CPU (protection keys) or another address space can stop it.
     */
    NATIVE_MEMORY,
    /** Reaching past the gates: functions that no gate exports, objects that were not handed over. */
    GATE_CONFINEMENT,
    /** Changing what every compartment shares in the JVM: streams, properties, defaults, providers, handlers. */
    JVM_GLOBAL_STATE,
    /** Controlling processes: killing or signalling the image, running programs. */
    PROCESS_CONTROL,
    /** Ending the image or keeping it from ending: exit, halt, a hung exit. */
    EXIT,
    /** A fault in the callee (an exception, a stack overflow) that reaches the caller unwrapped or breaks the
     *  callee's state instead of ending as a gate fault. */
    FAULT_CONTAINMENT,
    /** Exhausting what the image needs to go on: heap, direct memory, descriptors, threads, CPU. */
    AVAILABILITY;

    /** The name the attack table and the JSON use: lower case with dashes, {@code memory-read}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
