package flexos.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizeTest {

    @Test
    void unitsArePowersOf1024() {
        assertEquals(100, ByteSize.parse("100"));
        assertEquals(100, ByteSize.parse("100B"));
        assertEquals(64L << 10, ByteSize.parse("64KiB"));
        assertEquals(256L << 20, ByteSize.parse("256MiB"));
        assertEquals(2L << 30, ByteSize.parse("2GiB"));
        assertEquals(16L << 20, ByteSize.parse(" 16 MiB "));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "MiB", "lots", "1.5GiB", "-1", "+4KiB", "16 M iB", "1e6", "0x100", "16mib", "4TiB", "12XB"})
    void garbageIsRejected(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByteSize.parse(text));
        assertTrue(e.getMessage().contains("KiB"), "the advice names the units: " + e.getMessage());
    }

    @Test
    void decimalLookingUnitsAreRejectedWithTheBinaryUnitToWrite() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("16MB")).getMessage()
                .startsWith("write 16MiB;"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("4k")).getMessage()
                .startsWith("write 4KiB;"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("1gb")).getMessage()
                .startsWith("write 1GiB;"));
    }

    @Test
    void sizesBeyondALongAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("8589934592GiB"));
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("99999999999999999999"));
        assertEquals(Long.MAX_VALUE, ByteSize.parse(Long.toString(Long.MAX_VALUE)));
    }

    @Test
    void formatUsesTheLargestExactUnit() {
        assertEquals("64KiB", ByteSize.format(65536));
        assertEquals("1025KiB", ByteSize.format(1025L << 10));
        assertEquals("3GiB", ByteSize.format(3L << 30));
        assertEquals("1000B", ByteSize.format(1000));
        assertEquals("0B", ByteSize.format(0));
    }

    @Property(tries = 200)
    void formatThenParseIsTheIdentity(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long bytes) {
        assertEquals(bytes, ByteSize.parse(ByteSize.format(bytes)));
    }

    @Property(tries = 200)
    void aNumberWithAUnitIsThatMultiple(@ForAll @LongRange(min = 0, max = 1L << 32) long n) {
        assertEquals(n << 10, ByteSize.parse(n + "KiB"));
        assertEquals(n << 20, ByteSize.parse(n + "MiB"));
        assertEquals(n << 30, ByteSize.parse(n + "GiB"));
    }
}
