package flexos.libc.impl;

import flexos.core.component.InstanceContext;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import flexos.libc.api.HashRoutines;
import flexos.libc.api.MemoryRoutines;
import flexos.libc.api.NumberRoutines;
import flexos.libc.api.PatternRoutines;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class LibcLibraryTest {

    private static final LibraryContext CONTEXT =
            new InstanceContext("default", Map.of(), MemorySegment.NULL, MemorySegment.NULL);

    @Test
    void exportsItsFourApisAndImportsNothing() {
        LibcLibrary libc = new LibcLibrary();
        assertEquals("libc", libc.name());
        assertEquals(Set.of(MemoryRoutines.class, NumberRoutines.class, HashRoutines.class, PatternRoutines.class),
                libc.exports());
        assertEquals(Set.of(), libc.imports());
        assertFalse(libc.perCompartment());
        LibraryInstance instance = libc.instantiate(CONTEXT);
        MemorySegment digits = MemorySegment.ofArray("12345".getBytes());
        assertEquals(12345, instance.export(NumberRoutines.class).strtoll(digits, 0, 5));
    }

    @Test
    void everyInstanceHashesWithItsOwnSeed() {
        MemorySegment key = MemorySegment.ofArray("session:abc".getBytes());
        HashRoutines first = new LibcLibrary().instantiate(CONTEXT).export(HashRoutines.class);
        HashRoutines second = new LibcLibrary().instantiate(CONTEXT).export(HashRoutines.class);
        assertEquals(first.hash(key, 0, 11), first.hash(key, 0, 11));
        assertNotEquals(first.hash(key, 0, 11), second.hash(key, 0, 11));
    }
}
