package flexos.attacks.hostile;

import flexos.attacks.api.Attack;
import flexos.attacks.api.Vault;
import flexos.core.component.Library;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import java.util.Map;
import java.util.Set;

/**
 * A compromised library: it exports {@link Attack} and, when run, tries one thing the threat model forbids against
 * the vault it is handed. Its metadata is that of the honest library it replaced (memory-safe, calls nothing).
 */
public abstract class HostileLibrary implements Library {

    private final String name;

    protected HostileLibrary(String name) {
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Set<Class<?>> exports() {
        return Set.of(Attack.class);
    }

    @Override
    public final Set<Class<?>> imports() {
        return Set.of();
    }

    @Override
    public final LibraryInstance instantiate(LibraryContext context) {
        Attack attack = (vault, secretAddress) -> {
            try {
                return attack(vault, secretAddress);
            } catch (Throwable e) {
                throw rethrow(e);
            }
        };
        return LibraryInstance.of(Map.of(Attack.class, attack));
    }

    /** The attack itself; see {@link Attack#run}. */
    protected abstract long attack(Vault vault, long secretAddress) throws Throwable;

    /** Lets the checked exceptions of reflection escape {@link Attack#run} unchanged. */
    @SuppressWarnings("unchecked")
    static <T extends Throwable> RuntimeException rethrow(Throwable t) throws T {
        throw (T) t;
    }
}
