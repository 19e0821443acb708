package flexos.attacks.faults.sneaky;

import flexos.attacks.api.Vault;
import flexos.core.component.Entrypoint;
import flexos.core.component.Library;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code cfi} fault made at run time: a hostile application whose metadata says it only reads the vault's state
 * ({@code [Call] vault::staticState}), and which reseals the vault through reflection, where no bytecode analysis
 * sees the call. {@code run} returns 1 if the vault's state changed.
 */
public final class SneakyCallerLibrary implements Library {

    public String name() { return "sneaky"; }
    public Set<Class<?>> exports() { return Set.of(Entrypoint.class); }
    public Set<Class<?>> imports() { return Set.of(Vault.class); }

    public LibraryInstance instantiate(LibraryContext context) {
        Vault vault = context.gate(Vault.class);
        Entrypoint entry = new Entrypoint() {
            public int run(List<String> args) throws Exception {
                long before = vault.staticState();
                try {
                    // The name is assembled so that not even the constant pool names the call.
                    Vault.class.getMethod(String.join("", "se", "al"), long.class).invoke(vault, before + 1);
                } catch (InvocationTargetException e) {
                    throw (Exception) e.getCause();
                }
                return vault.staticState() != before ? 1 : 0;
            }
            public void requestStop() {
            }
        };
        return LibraryInstance.of(Map.of(Entrypoint.class, entry));
    }
}
