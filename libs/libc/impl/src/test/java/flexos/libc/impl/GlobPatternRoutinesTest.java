package flexos.libc.impl;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class GlobPatternRoutinesTest {

    private final GlobPatternRoutines glob = new GlobPatternRoutines();

    private boolean matches(String pattern, String s) {
        MemorySegment p = MemorySegment.ofArray(("<" + pattern).getBytes(StandardCharsets.ISO_8859_1));
        MemorySegment t = MemorySegment.ofArray(("<<" + s + ">").getBytes(StandardCharsets.ISO_8859_1));
        return glob.fnmatch(p, 1, pattern.length(), t, 2, s.length());
    }

    @Test
    void redisGlobCases() {
        Object[][] cases = {
                {"h?llo", "hello", true}, {"h?llo", "hllo", false}, {"h*llo", "hllo", true}, {"h*llo", "heeeello", true},
                {"h[ae]llo", "hello", true}, {"h[ae]llo", "hillo", false}, {"h[^e]llo", "hallo", true},
                {"h[^e]llo", "hello", false}, {"h[a-b]llo", "hbllo", true}, {"h[a-b]llo", "hcllo", false},
                {"h[b-a]llo", "hallo", true}, {"h\\*llo", "h*llo", true}, {"h\\*llo", "hello", false},
                {"*", "anything", true}, {"*", "", false}, {"", "", true}, {"", "a", false}, {"a*", "a", true},
                {"user:*:name", "user:1000:name", true}, {"user:*:name", "user:1000:mail", false},
                {"[\\]]", "]", true}, {"[a-]", "]", true}, {"[a-]", "_", true}, {"[abc", "c", true}, {"[abc", "d", false},
                {"[^", "x", true}, {"[", "x", false}, {"\\", "\\", true}, {"a\\", "a\\", true}, {"*a", "ba", true},
                {"***b", "aab", true}, {"a*b*c", "axxbyyc", true}, {"a*b*c", "axxbyy", false}, {"?", "", false},
                {"[a-c][0-9]*", "b7xyz", true}, {"k?y*", "key", true},
        };
        for (Object[] c : cases) {
            assertEquals(c[2], matches((String) c[0], (String) c[1]), () -> "\"" + c[0] + "\" ~ \"" + c[1] + "\"");
        }
    }

    @Test
    void bytesAboveAsciiCompareUnsigned() {
        assertEquals(true, matches("[\u00e0-\u00ff]", "\u00e9"));
        assertEquals(false, matches("[a-z]", "\u00e9"));
    }

    @Test
    void starHeavyPatternsStayFast() {
        String s = "a".repeat(20_000);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertFalse(matches("a*a*a*a*a*a*a*a*a*a*b", s)));
        assertFalse(matches("*a".repeat(1100) + "b", "a".repeat(1200)), "nesting beyond 1000 gives up");
    }

    @Provide
    Arbitrary<String> simplePatterns() {
        return Arbitraries.strings().withChars("ab*?").ofMaxLength(8);
    }

    @Provide
    Arbitrary<String> subjects() {
        return Arbitraries.strings().withChars("ab").ofMinLength(1).ofMaxLength(10);
    }

    /** On non-empty strings, patterns of literals, {@code *} and {@code ?} mean what the equivalent regex means. */
    @Property(tries = 3000)
    void agreesWithRegexOnSimplePatterns(@ForAll("simplePatterns") String pattern, @ForAll("subjects") String s) {
        String regex = pattern.replace("?", ".").replace("*", ".*");
        assertEquals(Pattern.matches(regex, s), matches(pattern, s), () -> "\"" + pattern + "\" ~ \"" + s + "\"");
    }

    @Property(tries = 1000)
    void classesMatchOneByteOfTheSet(@ForAll("subjects") String s) {
        String first = s.substring(0, 1);
        assertEquals(s.length() == 1, matches("[ab]", s));
        assertEquals(s.length() == 1 && first.equals("b"), matches("[^a]", s));
        assertEquals(first.equals("a"), matches("[a]*", s));
    }
}
