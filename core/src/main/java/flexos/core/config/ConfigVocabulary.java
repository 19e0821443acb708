package flexos.core.config;

import flexos.core.mechanism.Mechanisms;
import java.util.Set;

/**
 * The names a configuration may use, so that the parser can resolve each name once, reject a typo where it stands
 * and list the choices. Hardening options are {@link flexos.core.hardening.HardeningOption}'s.
 *
 * @param libraries    libraries in the catalog
 * @param applications the libraries among them that export an entry point
 * @param mechanisms   the mechanisms of this build
 */
public record ConfigVocabulary(Set<String> libraries, Set<String> applications, Mechanisms mechanisms) {

    public ConfigVocabulary {
        libraries = Set.copyOf(libraries);
        applications = Set.copyOf(applications);
        if (mechanisms == null) {
            throw new IllegalArgumentException("a vocabulary needs its mechanisms");
        }
    }
}
