package flexos.core.mechanism.mpk;

import flexos.core.component.Library;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import flexos.core.mechanism.Domain;
import flexos.core.mechanism.GateSite;
import flexos.core.metadata.LibraryMetadata;

/**
 * One {@code mpk} compartment: a {@code module} domain (its class loading, confinement, gates and fault
 * containment) whose gates cross the compartment's {@linkplain CompartmentRights protection-key rights}, plus the
 * places where the image runs the compartment's code without a gate: a library's constructor and its
 * {@code close}, and the {@linkplain #entrance entrance} of a thread from outside. See {@link MpkMechanism}.
 */
final class MpkDomain implements Domain {

    private final String image;
    private final String compartment;
    private final CompartmentRights rights;
    private final Domain confined;

    MpkDomain(String image, String compartment, CompartmentRights rights, Domain confined) {
        this.image = image;
        this.compartment = compartment;
        this.rights = rights;
        this.confined = confined;
    }

    @Override
    public String compartment() {
        return compartment;
    }

    /** The rights a thread has in this compartment. */
    CompartmentRights rights() {
        return rights;
    }

    /** Instantiates in the compartment's rights: a constructor sets up state in the compartment's heap. */
    @Override
    public LibraryInstance instantiate(Library library, LibraryMetadata metadata, LibraryContext context) {
        LibraryInstance instance;
        int entered = rights.enter();
        try {
            instance = confined.instantiate(library, metadata, context);
        } finally {
            rights.leave(entered);
        }
        Module module = library.getClass().getModule();
        CompartmentMap.placed(new CompartmentMap.Placed(image, compartment, library.name(),
                library.getClass().getName(), module.isNamed() ? module.getName() : ""));
        return new EnteredInstance(instance, rights);
    }

    @Override
    public <T> T gate(Class<T> api, T target, GateSite site) {
        return confined.gate(api, target, site);
    }

    @Override
    public <T> T entrance(Class<T> api, T object) {
        return CompartmentEntrance.of(api, object, rights);
    }

    @Override
    public void close() {
        try {
            confined.close();
        } finally {
            CompartmentMap.closed(image, compartment);
        }
    }

    /**
     * An instance whose exports the image wires as they are (a local call is a plain call; a gate crosses into the
     * rights itself), and whose {@code close} runs in the compartment's rights.
     */
    private record EnteredInstance(LibraryInstance instance, CompartmentRights rights) implements LibraryInstance {
        @Override
        public <T> T export(Class<T> api) {
            return instance.export(api);
        }

        @Override
        public void close() {
            int entered = rights.enter();
            try {
                instance.close();
            } finally {
                rights.leave(entered);
            }
        }
    }
}
