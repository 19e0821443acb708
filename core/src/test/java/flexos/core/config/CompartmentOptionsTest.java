package flexos.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The compartment keys of the {@code module} mechanism: {@code sharing} and {@code call_timeout}. */
class CompartmentOptionsTest {

    private static CompartmentSpec only(String yaml) throws ConfigException {
        return ConfigParser.parse(yaml, Path.of("options.yaml"), TestVocabulary.FIXTURES).compartments().getFirst();
    }

    @Test
    void withoutTheKeysACompartmentCopiesAndHasNoTimeout() throws ConfigException {
        CompartmentSpec spec = only("compartments: [{name: main, mechanism: fcall}]");
        assertEquals(SharingStrategy.COPY, spec.sharing());
        assertEquals(0, spec.callTimeoutNanos());
    }

    @Test
    void sharingAndTimeoutAreRead() throws ConfigException {
        CompartmentSpec spec = only("compartments: [{name: main, mechanism: fcall, sharing: shared, call_timeout: 250ms}]");
        assertEquals(SharingStrategy.SHARED, spec.sharing());
        assertEquals(250_000_000L, spec.callTimeoutNanos());
        assertEquals(2_000_000_000L, only("compartments: [{name: main, mechanism: fcall, call_timeout: 2s}]")
                .callTimeoutNanos());
        assertEquals(1_500_000L, only("compartments: [{name: main, mechanism: fcall, call_timeout: 1500us}]")
                .callTimeoutNanos());
    }
}
