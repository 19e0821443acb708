package flexos.core.config;

import java.util.Set;

/**
 * The names a configuration may use, so that the parser can reject a typo where it stands and list the choices.
 *
 * @param libraries             libraries in the catalog
 * @param applications          the libraries among them that export an entry point
 * @param mechanisms            mechanisms this build implements
 * @param plannedMechanisms     mechanisms FlexOS-J knows but this build does not implement yet
 * @param hardenings            hardening options this build implements
 * @param plannedHardenings     hardening options FlexOS-J knows but this build does not implement yet
 */
public record ConfigVocabulary(
        Set<String> libraries,
        Set<String> applications,
        Set<String> mechanisms,
        Set<String> plannedMechanisms,
        Set<String> hardenings,
        Set<String> plannedHardenings) {

    public ConfigVocabulary {
        libraries = Set.copyOf(libraries);
        applications = Set.copyOf(applications);
        mechanisms = Set.copyOf(mechanisms);
        plannedMechanisms = Set.copyOf(plannedMechanisms);
        hardenings = Set.copyOf(hardenings);
        plannedHardenings = Set.copyOf(plannedHardenings);
    }
}
