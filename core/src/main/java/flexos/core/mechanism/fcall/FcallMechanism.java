package flexos.core.mechanism.fcall;

import flexos.core.component.Library;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import flexos.core.config.CompartmentSpec;
import flexos.core.mechanism.Domain;
import flexos.core.mechanism.GateSite;
import flexos.core.mechanism.Mechanism;
import flexos.core.mechanism.MechanismOptions;
import flexos.core.memory.ImageMemory;
import flexos.core.metadata.LibraryMetadata;

/**
 * No isolation: a gate is the callee's own object, so a cross-library call is an interface call the JIT inlines
 * like any other (FlexOS's {@code fcalls}). This is how principle P4 holds: an image configured without
 * isolation runs the same machine code as a program written without FlexOS.
 *
 * <p>It takes no compartment keys: with no gate, there is nothing to copy ({@code sharing}) and no call to stop
 * waiting for ({@code call_timeout}). Its domains never fail: a crash in a library is the caller's crash.
 */
public final class FcallMechanism implements Mechanism {

    public static final String NAME = "fcall";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public MechanismOptions defaultOptions() {
        return MechanismOptions.NONE;
    }

    @Override
    public Domain open(CompartmentSpec compartment, ImageMemory memory) {
        String name = compartment.name();
        return new Domain() {
            @Override
            public String compartment() {
                return name;
            }

            @Override
            public LibraryInstance instantiate(Library library, LibraryMetadata metadata, LibraryContext context) {
                return library.instantiate(context);
            }

            @Override
            public <T> T gate(Class<T> api, T target, GateSite site) {
                return target;
            }
        };
    }
}
