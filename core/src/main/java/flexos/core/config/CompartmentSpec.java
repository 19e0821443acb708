package flexos.core.config;

import flexos.core.metadata.SourceLocation;

/**
 * One entry of the configuration's {@code compartments} list.
 *
 * @param name             the compartment's name, unique in the image
 * @param mechanism        the isolation mechanism's name ({@code fcall}, {@code module}, ...)
 * @param isDefault        whether libraries the configuration does not place go here
 * @param heapBytes        the size of the compartment's private heap
 * @param where            where the entry starts in the configuration file
 * @param sharing          how arguments cross gates into this compartment (SPEC §5); default {@link SharingStrategy#COPY}
 * @param callTimeoutNanos the longest a call into this compartment may run before its caller gets an error instead;
 *                         0 means no limit (the default: a timed gate hands every call to another thread)
 * @param restart          what the {@code process} mechanism does when the compartment's process fails; default
 *                         {@link RestartPolicy#NEVER}
 * @param gateWait         how {@code process} gates wait for the other side; default {@link GateWait#SPIN}
 */
public record CompartmentSpec(String name, String mechanism, boolean isDefault, long heapBytes, SourceLocation where,
                              SharingStrategy sharing, long callTimeoutNanos, RestartPolicy restart,
                              GateWait gateWait) {

    public CompartmentSpec {
        if (sharing == null) {
            throw new IllegalArgumentException("sharing strategy of compartment " + name + " is null");
        }
        if (callTimeoutNanos < 0) {
            throw new IllegalArgumentException("call timeout of compartment " + name + " is negative");
        }
        if (restart == null || gateWait == null) {
            throw new IllegalArgumentException("restart policy or gate wait of compartment " + name + " is null");
        }
    }

    /** A compartment with the given sharing and timeout, never restarted, whose process gates spin first. */
    public CompartmentSpec(String name, String mechanism, boolean isDefault, long heapBytes, SourceLocation where,
                           SharingStrategy sharing, long callTimeoutNanos) {
        this(name, mechanism, isDefault, heapBytes, where, sharing, callTimeoutNanos, RestartPolicy.NEVER, GateWait.SPIN);
    }

    /** A compartment that copies arguments and puts no limit on calls: the defaults. */
    public CompartmentSpec(String name, String mechanism, boolean isDefault, long heapBytes, SourceLocation where) {
        this(name, mechanism, isDefault, heapBytes, where, SharingStrategy.COPY, 0);
    }
}
