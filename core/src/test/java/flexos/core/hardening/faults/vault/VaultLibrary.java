package flexos.core.hardening.faults.vault;

import flexos.core.component.Library;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import flexos.core.hardening.ContractViolation;
import flexos.core.hardening.ContractedLibrary;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code vault} library: a {@link Vault} starting at 100, with one contract (deposit: pre: bytes non-empty). */
public final class VaultLibrary implements Library, ContractedLibrary {

    public String name() { return "vault"; }
    public Set<Class<?>> exports() { return Set.of(Vault.class); }
    public Set<Class<?>> imports() { return Set.of(); }

    public LibraryInstance instantiate(LibraryContext context) {
        long[] count = {100};
        Vault vault = new Vault() {
            public long read() { return count[0]; }
            public void wipe() { count[0] = 0; }
            public long deposit(MemorySegment bytes) {
                for (long i = 0; i < bytes.byteSize(); i++) {
                    count[0] += bytes.get(ValueLayout.JAVA_BYTE, i);
                }
                return count[0];
            }
        };
        return LibraryInstance.of(Map.of(Vault.class, vault));
    }

    @Override
    public <T> T contractChecked(Class<T> api, T export, String caller) {
        Vault inner = (Vault) export;
        return api.cast(new Vault() {
            public long read() { return inner.read(); }
            public void wipe() { inner.wipe(); }
            public long deposit(MemorySegment bytes) {
                if (bytes.byteSize() == 0) {
                    throw new ContractViolation("vault::deposit", ContractViolation.Side.PRECONDITION,
                            "bytes is non-empty", caller, "an empty segment");
                }
                return inner.deposit(bytes);
            }
        });
    }

    @Override
    public List<String> contracts() {
        return List.of("deposit: pre: bytes is non-empty");
    }
}
