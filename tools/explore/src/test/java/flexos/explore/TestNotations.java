package flexos.explore;

import flexos.explore.search.CsvMeasurements;
import flexos.explore.space.HardeningMap;
import flexos.explore.space.Notation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The two notations the tests write configurations in: the paper's data, and the Redis image's. */
public final class TestNotations {

    private TestNotations() {
    }

    /** As the paper's CSV reads: R redis, N newlib, S uksched, L lwip, every compartment MPK. */
    public static Notation paper() {
        Map<Character, String> letters = new LinkedHashMap<>();
        letters.put('R', "redis");
        letters.put('N', "newlib");
        letters.put('S', "uksched");
        letters.put('L', "lwip");
        return new Notation(letters, HardeningMap.uniform(List.copyOf(letters.values()),
                Set.of(CsvMeasurements.HARDENED)), "mpk");
    }

    /** The Redis image's letters, H standing for {@code hardening} on every library, default mechanism fcall. */
    public static Notation redisImage(Set<String> hardening) {
        return redisImage(HardeningMap.uniform(List.of("redis", "libc", "sched", "net"), hardening));
    }

    /** The Redis image's letters, H standing for each library's entry in {@code hardened}. */
    public static Notation redisImage(HardeningMap hardened) {
        Map<Character, String> letters = new LinkedHashMap<>();
        letters.put('R', "redis");
        letters.put('N', "libc");
        letters.put('S', "sched");
        letters.put('L', "net");
        return new Notation(letters, hardened, "fcall");
    }
}
