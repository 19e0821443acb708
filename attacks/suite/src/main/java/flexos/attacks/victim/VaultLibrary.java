package flexos.attacks.victim;

import flexos.attacks.api.Vault;
import flexos.core.component.Library;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import java.util.Map;
import java.util.Set;

/** The {@code vault} library: the victim of every attack, in the trusted compartment. */
public final class VaultLibrary implements Library {

    @Override
    public String name() {
        return "vault";
    }

    @Override
    public Set<Class<?>> exports() {
        return Set.of(Vault.class);
    }

    @Override
    public Set<Class<?>> imports() {
        return Set.of();
    }

    @Override
    public LibraryInstance instantiate(LibraryContext context) {
        return LibraryInstance.of(Map.of(Vault.class, new VaultService(context.privateHeap())));
    }
}
