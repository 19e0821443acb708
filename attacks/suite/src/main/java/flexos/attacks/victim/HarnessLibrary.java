package flexos.attacks.victim;

import flexos.attacks.api.Attack;
import flexos.attacks.api.Vault;
import flexos.core.component.Entrypoint;
import flexos.core.component.Library;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code harness} application of an attack image: it imports the vault and the attack, so the image makes the
 * gates the suite then drives ({@code Image.gateSeenBy("harness", ...)}); its entry point does nothing.
 */
public final class HarnessLibrary implements Library {

    @Override
    public String name() {
        return "harness";
    }

    @Override
    public Set<Class<?>> exports() {
        return Set.of(Entrypoint.class);
    }

    @Override
    public Set<Class<?>> imports() {
        return Set.of(Vault.class, Attack.class);
    }

    @Override
    public LibraryInstance instantiate(LibraryContext context) {
        Entrypoint idle = new Entrypoint() {
            @Override
            public int run(List<String> args) {
                return 0;
            }

            @Override
            public void requestStop() {
            }
        };
        return LibraryInstance.of(Map.of(Entrypoint.class, idle));
    }
}
