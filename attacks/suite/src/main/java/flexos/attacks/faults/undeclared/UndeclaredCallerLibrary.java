package flexos.attacks.faults.undeclared;

import flexos.attacks.api.Vault;
import flexos.core.component.Entrypoint;
import flexos.core.component.Library;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code cfi} fault found at build time: a library whose {@code [Call]} clause lists only
 * {@code vault::staticState}, while its code also calls {@code vault::seal}. {@code run} returns 1 if the vault's
 * state changed.
 */
public final class UndeclaredCallerLibrary implements Library {

    public String name() { return "undeclared"; }
    public Set<Class<?>> exports() { return Set.of(Entrypoint.class); }
    public Set<Class<?>> imports() { return Set.of(Vault.class); }

    public LibraryInstance instantiate(LibraryContext context) {
        Vault vault = context.gate(Vault.class);
        Entrypoint entry = new Entrypoint() {
            public int run(List<String> args) {
                long before = vault.staticState();
                vault.seal(before + 1);
                return vault.staticState() != before ? 1 : 0;
            }
            public void requestStop() {
            }
        };
        return LibraryInstance.of(Map.of(Entrypoint.class, entry));
    }
}
