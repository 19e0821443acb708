package flexos.core.hardening.faults.undeclared;

import flexos.core.component.Entrypoint;
import flexos.core.component.Library;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import flexos.core.hardening.faults.vault.Vault;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A library with a wrong {@code [Call]} clause: it declares only {@code vault::read} but its code calls wipe. */
public final class UndeclaredCallerLibrary implements Library {

    public String name() { return "undeclared"; }
    public Set<Class<?>> exports() { return Set.of(Entrypoint.class); }
    public Set<Class<?>> imports() { return Set.of(Vault.class); }

    public LibraryInstance instantiate(LibraryContext context) {
        Vault vault = context.gate(Vault.class);
        Entrypoint entry = new Entrypoint() {
            public int run(List<String> args) {
                vault.wipe();
                return (int) vault.read();
            }
            public void requestStop() {
            }
        };
        return LibraryInstance.of(Map.of(Entrypoint.class, entry));
    }
}
