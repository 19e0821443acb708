package flexos.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class ClosestNameTest {

    private static final List<String> TOP_KEYS =
            List.of("image", "application", "shared_heap", "compartments", "libraries");
    private static final List<String> LIBRARIES = List.of("alloc", "libc", "sched", "net", "redis");

    @Test
    void typosAreMatched() {
        assertEquals(Optional.of("compartments"), ClosestName.among("compartmens", TOP_KEYS));
        assertEquals(Optional.of("compartments"), ClosestName.among("Compartments", TOP_KEYS));
        assertEquals(Optional.of("shared_heap"), ClosestName.among("shared-heap", TOP_KEYS));
        assertEquals(Optional.of("libraries"), ClosestName.among("librarys", TOP_KEYS));
        assertEquals(Optional.of("mpk"), ClosestName.among("mkp", List.of("fcall", "module", "process", "mpk")));
        assertEquals(Optional.of("net"), ClosestName.among("nett", LIBRARIES));
    }

    @Test
    void fullNamesFindTheirShortForm() {
        assertEquals(Optional.of("sched"), ClosestName.among("scheduler", LIBRARIES));
        assertEquals(Optional.of("alloc"), ClosestName.among("allocator", LIBRARIES));
        assertEquals(Optional.of("net"), ClosestName.among("network", LIBRARIES));
    }

    @Test
    void nothingFarIsSuggested() {
        assertEquals(Optional.empty(), ClosestName.among("sandbox", List.of("fcall")));
        assertEquals(Optional.empty(), ClosestName.among("x", LIBRARIES));
        assertEquals(Optional.empty(), ClosestName.among("anything", List.of()));
    }

    @Test
    void tiesGoToTheAlphabeticallyFirst() {
        assertEquals(Optional.of("bat"), ClosestName.among("cat", List.of("rat", "bat")));
    }

    @Test
    void anAdjacentSwapCostsOneEdit() {
        assertEquals(1, ClosestName.distance("cfi", "cif"));
        assertEquals(1, ClosestName.distance("module", "mdoule"));
        assertEquals(3, ClosestName.distance("kitten", "sitting"));
    }

    @Property(tries = 200)
    void distanceIsSymmetricAndZeroOnlyForEqualNames(@ForAll @AlphaChars @StringLength(max = 8) String a,
                                                      @ForAll @AlphaChars @StringLength(max = 8) String b) {
        assertEquals(ClosestName.distance(a, b), ClosestName.distance(b, a));
        assertEquals(a.equals(b), ClosestName.distance(a, b) == 0);
        assertEquals(true, ClosestName.distance(a, b) <= Math.max(a.length(), b.length()));
    }

    @Property(tries = 200)
    void aKnownNameIsItsOwnClosest(@ForAll @AlphaChars @StringLength(min = 1, max = 10) String name) {
        assertEquals(Optional.of(name), ClosestName.among(name, List.of(name, name + "xyz", "q" + name)));
    }
}
