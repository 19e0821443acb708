package flexos.core.config;

import java.util.Set;

/** The fixed vocabulary the configuration fixtures are written against. */
final class TestVocabulary {

    static final ConfigVocabulary FIXTURES = new ConfigVocabulary(
            Set.of("alloc", "libc", "sched", "net", "redis"),
            Set.of("redis"),
            Set.of("fcall"),
            Set.of("module", "process", "mpk"),
            Set.of(),
            Set.of("asan", "cfi", "contracts"));

    /** Like {@link #FIXTURES}, but with {@code cfi} implemented, to test hardening lists that are accepted. */
    static final ConfigVocabulary WITH_CFI = new ConfigVocabulary(
            FIXTURES.libraries(), FIXTURES.applications(), FIXTURES.mechanisms(), FIXTURES.plannedMechanisms(),
            Set.of("cfi"), Set.of("asan", "contracts"));

    private TestVocabulary() {
    }
}
