package flexos.core.config;

import flexos.core.mechanism.Mechanisms;
import java.util.Set;

/** The fixed vocabulary the configuration fixtures are written against, with this build's mechanisms. */
final class TestVocabulary {

    static final ConfigVocabulary FIXTURES = new ConfigVocabulary(
            Set.of("alloc", "libc", "sched", "net", "redis"),
            Set.of("redis"),
            Mechanisms.builtIn());

    private TestVocabulary() {
    }
}
