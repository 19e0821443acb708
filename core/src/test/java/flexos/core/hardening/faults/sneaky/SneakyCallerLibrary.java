package flexos.core.hardening.faults.sneaky;

import flexos.core.component.Entrypoint;
import flexos.core.component.Library;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import flexos.core.hardening.faults.vault.Vault;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code cfi} fault: a hostile application that declares it only reads the vault, then wipes it through
 * reflection, where no bytecode analysis sees the call. Its {@code run} returns the vault's count afterwards.
 */
public final class SneakyCallerLibrary implements Library {

    public String name() { return "sneaky"; }
    public Set<Class<?>> exports() { return Set.of(Entrypoint.class); }
    public Set<Class<?>> imports() { return Set.of(Vault.class); }

    public LibraryInstance instantiate(LibraryContext context) {
        Vault vault = context.gate(Vault.class);
        Entrypoint entry = new Entrypoint() {
            public int run(List<String> args) throws Exception {
                try {
                    Vault.class.getMethod(String.join("", "wi", "pe")).invoke(vault);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    throw (Exception) e.getCause();
                }
                return (int) vault.read();
            }
            public void requestStop() {
            }
        };
        return LibraryInstance.of(Map.of(Entrypoint.class, entry));
    }
}
