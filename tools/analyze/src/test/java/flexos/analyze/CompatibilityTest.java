package flexos.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.core.metadata.LibraryMetadata;
import flexos.core.metadata.MetadataParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompatibilityTest {

    private final Compatibility compatibility = new RequiresCompatibility();

    private static LibraryMetadata meta(String name, String text) throws Exception {
        return MetadataParser.parse(name, text, null);
    }

    private static final String SAFE = "[Memory access] Read(Own, Shared); Write(Own, Shared)\n[Call]\n[API] f()\n";

    @Test
    void librariesWithoutRequirementsAlwaysShare() throws Exception {
        LibraryMetadata wild = meta("wild", "[Memory access] Read(*); Write(*)\n[Call] *\n[API] g()");
        assertEquals(List.of(), compatibility.conflicts(meta("a", SAFE), wild));
    }

    @Test
    void writingSharedMemoryNeedsPermission() throws Exception {
        LibraryMetadata strict = meta("strict", SAFE + "[Requires] *(Read, Own)");
        List<Conflict> conflicts = compatibility.conflicts(strict, meta("other", SAFE));

        assertEquals(2, conflicts.size(), conflicts.toString());
        assertTrue(conflicts.get(0).reason().startsWith("other reads shared memory (Read(Shared)), but strict "
                + "requires others not to read its Shared memory"), conflicts.toString());
        assertTrue(conflicts.get(1).reason().startsWith("other writes shared memory (Write(Shared))"));
    }

    @Test
    void aHostCapabilityThatReachesTheProcessMemoryIsAllMemory() throws Exception {
        LibraryMetadata sched = meta("sched", SAFE + "[Requires] *(Write, Shared)");
        LibraryMetadata dumper = meta("dumper", SAFE + "[Host] Files(read: /proc/self)");
        LibraryMetadata honest = meta("honest", SAFE + "[Host] Files(write: /var/lib/honest); Sockets(listen)");

        List<Conflict> conflicts = compatibility.conflicts(sched, dumper);
        assertEquals(List.of(), compatibility.conflicts(sched, honest));
        assertEquals(1, conflicts.size(), conflicts.toString());
        assertTrue(conflicts.get(0).reason().startsWith("dumper reads all memory (Read(*) through its [Host] clause: "
                + "Files(read: /proc/self) reaches /proc or /dev"), conflicts.toString());

        List<Conflict> debugger = compatibility.conflicts(sched, meta("gdb", SAFE + "[Host] Processes"));
        assertEquals(2, debugger.size(), debugger.toString());
        assertTrue(debugger.get(1).reason().contains("writes all memory (Write(*) through its [Host] clause: "
                + "Processes can start a debugger"), debugger.toString());
    }

    @Test
    void aWritePermissionAllowsReadingToo() throws Exception {
        LibraryMetadata guarded = meta("g", SAFE + "[Requires] *(Write, *)");
        LibraryMetadata reader = meta("r", "[Memory access] Read(*)\n[Call]\n[API] h()");
        assertEquals(List.of(), compatibility.conflicts(guarded, reader));
    }

    @Test
    void callsOutsideTheAllowedFunctionsConflict() throws Exception {
        LibraryMetadata sched = meta("sched", "[Memory access] Read(Own)\n[Call]\n[API] spawn(); yield()\n"
                + "[Requires] *(Call, spawn), *(Write, Shared)");
        LibraryMetadata app = meta("app", "[Memory access] Read(Own)\n[Call] sched::spawn, sched::yield\n[API] main()");
        LibraryMetadata any = meta("any", "[Memory access] Read(Own)\n[Call] *\n[API] main()");

        assertEquals(List.of(new Conflict("sched", "app", "app calls sched::yield, but sched allows others to call "
                + "only spawn")), compatibility.conflicts(sched, app));
        assertEquals(List.of(new Conflict("sched", "any", "any may call anything ([Call] *), but sched allows others "
                + "to call only spawn")), compatibility.conflicts(any, sched));
    }

    @Test
    void aPermissionForANamedLibraryAppliesToItOnly() throws Exception {
        LibraryMetadata guarded = meta("g", "[Memory access] Read(Own)\n[Call]\n[API] f()\n[Requires] net(Write, *)");
        LibraryMetadata net = meta("net", "[Memory access] Write(*)\n[Call]\n[API] n()");
        LibraryMetadata other = meta("other", "[Memory access] Write(*)\n[Call]\n[API] n()");

        assertEquals(List.of(), compatibility.conflicts(guarded, net));
        assertEquals(2, compatibility.conflicts(guarded, other).size());
    }
}
