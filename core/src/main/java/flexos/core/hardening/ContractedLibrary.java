package flexos.core.hardening;

import java.util.List;

/**
 * A library that declares pre- and postconditions for its API, so that it can take the {@code contracts}
 * hardening. The image asks it for a contract-checked face of each export and hands that to every caller; the
 * library's own implementation does not change.
 */
public interface ContractedLibrary {

    /**
     * {@code export}, wrapped so that every call through it checks the contracts of {@code api}, throwing
     * {@link ContractViolation} naming {@code caller}; {@code export} itself if {@code api} has no contract.
     */
    <T> T contractChecked(Class<T> api, T export, String caller);

    /** The declared conditions, one line each ({@code fn: pre|post: condition}), for documentation and errors. */
    List<String> contracts();
}
