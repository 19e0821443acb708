package flexos.core.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MetadataParserTest {

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(MetadataParserTest.class.getResource("/metadata/" + name).toURI());
    }

    @Test
    void parsesTheVerifiedSchedulerOfTheSeed() throws Exception {
        LibraryMetadata sched = MetadataParser.parse(resource("sched.meta"));

        assertEquals("sched", sched.library());
        assertEquals(Set.of(MemoryScope.OWN, MemoryScope.SHARED), sched.memoryAccess().reads());
        assertEquals(Set.of(MemoryScope.OWN, MemoryScope.SHARED), sched.memoryAccess().writes());
        assertEquals(new CallPolicy.Only(List.of(new FunctionRef("alloc", "malloc"), new FunctionRef("alloc", "free"))),
                sched.calls());
        assertEquals(List.of(new ApiFunction("spawn", "name, task"), new ApiFunction("after", "delayNanos, action"),
                new ApiFunction("yield", "...")), sched.api());
        assertEquals(Optional.of(List.of(
                new Permission("*", Permission.Action.READ, "Own"),
                new Permission("*", Permission.Action.WRITE, "Shared"),
                new Permission("*", Permission.Action.CALL, "spawn"))), sched.requires());
        assertEquals(resource("sched.meta"), sched.source().file());
    }

    @Test
    void parsesTheMemoryUnsafeStack() throws Exception {
        LibraryMetadata net = MetadataParser.parse(resource("net.meta"));

        assertTrue(net.memoryAccess().writesAll());
        assertTrue(net.memoryAccess().readsAll());
        assertInstanceOf(CallPolicy.Anything.class, net.calls());
        assertEquals(Optional.empty(), net.requires());
        assertEquals(List.of("socket", "recv", "send"), net.api().stream().map(ApiFunction::name).toList());
    }

    @Test
    void clausesSpanLinesAndEndInADot() throws Exception {
        LocatedMetadata located = MetadataParser.parseLocated(resource("multiline.meta"));
        LibraryMetadata meta = located.metadata();

        assertEquals("multiline", meta.library());
        assertEquals(Set.of(MemoryScope.OWN), meta.memoryAccess().writes());
        assertEquals(List.of(new ApiFunction("get", "key, (nested) parens"), new ApiFunction("put", "key, value")),
                meta.api());
        assertEquals(new Permission("sched", Permission.Action.CALL, "*"), meta.requires().orElseThrow().get(0));
        assertEquals(new SourceLocation(resource("multiline.meta"), 7, 5),
                located.where(new FunctionRef("alloc", "malloc")));
        assertEquals(5, located.whereClause(MetadataParser.CALL).line());
    }

    @Test
    void anEmptyCallClauseCallsNothing() throws Exception {
        LibraryMetadata meta = MetadataParser.parse("leaf", "[Memory access] Read(Own)\n[Call]\n[API] f(x)", null);

        assertEquals(new CallPolicy.Only(List.of()), meta.calls());
        assertEquals(Set.of(), meta.memoryAccess().writes());
        assertEquals(Path.of("leaf.meta"), meta.source().file());
    }

    @Test
    void theHostClauseDeclaresCapabilities() throws Exception {
        LocatedMetadata located = MetadataParser.parseLocated("store", """
                [Memory access] Read(Own); Write(Own)
                [Call]
                [API] get(key)
                [Host] Sockets(connect, listen); Files(read: /etc/store/, write: ./data//x/);
                       Threads; Clock
                """, null);
        HostCapabilities host = located.metadata().host();

        assertEquals(List.of(new HostCapability.Sockets(Set.of(HostCapability.Sockets.Use.LISTEN,
                        HostCapability.Sockets.Use.CONNECT)),
                new HostCapability.Files(List.of(
                        new HostCapability.FileGrant(HostCapability.FileGrant.Access.READ, "/etc/store"),
                        new HostCapability.FileGrant(HostCapability.FileGrant.Access.WRITE, "./data/x"))),
                new HostCapability.Threads(), new HostCapability.Clock()), host.declared());
        assertTrue(host.allows(HostCapability.Sockets.Use.LISTEN));
        assertEquals("Sockets(listen, connect); Files(read: /etc/store, write: ./data/x); Threads; Clock",
                host.syntax());
        assertEquals(List.of(), host.memoryReach(), "none of these reaches the process's memory");
        assertEquals(located.metadata().memoryAccess(), located.metadata().effectiveMemoryAccess());
        assertEquals(new SourceLocation(Path.of("store.meta"), 5, 8), located.whereHost("Threads"));
        assertEquals(Path.of("/srv/data/x"), host.fileGrants().get(1).resolve(Path.of("/srv")));
    }

    @Test
    void withoutAHostClauseALibraryDeclaresNothing() throws Exception {
        LibraryMetadata meta = MetadataParser.parse("leaf", "[Memory access] Read(Own)\n[Call]\n[API] f(x)", null);
        LibraryMetadata empty = MetadataParser.parse("leaf", "[Memory access] Read(Own)\n[Call]\n[API] f(x)\n[Host]",
                null);

        assertEquals(HostCapabilities.NONE, meta.host());
        assertEquals(HostCapabilities.NONE, empty.host());
    }

    static Stream<Arguments> capabilitiesThatReachMemory() {
        return Stream.of(
                Arguments.of("Files(read: *)", true, false),
                Arguments.of("Files(read: /)", true, false),
                Arguments.of("Files(write: /proc/self)", true, true),
                Arguments.of("Files(read: /tmp, write: /dev/shm)", true, true),
                Arguments.of("Processes", true, true),
                Arguments.of("Management", true, true),
                Arguments.of("Native", true, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("capabilitiesThatReachMemory")
    void aCapabilityThatReachesTheProcessMemoryCountsAsAllMemory(String capability, boolean reads, boolean writes)
            throws Exception {
        LibraryMetadata meta = MetadataParser.parse("x", "[Memory access] Read(Own); Write(Own)\n[Call]\n[API] f()\n"
                + "[Host] " + capability, null);

        assertEquals(1, meta.host().memoryReach().size());
        assertEquals(reads, meta.effectiveMemoryAccess().readsAll());
        assertEquals(writes, meta.effectiveMemoryAccess().writesAll());
        assertTrue(meta.effectiveMemoryAccess().writes().contains(MemoryScope.OWN));
    }

    @Test
    void aGrantBesideTheMemoryFilesDoesNotReachThem() throws Exception {
        LibraryMetadata meta = MetadataParser.parse("x", "[Memory access]\n[Call]\n[API] f()\n"
                + "[Host] Files(read: /procfs, write: /var/lib/x, write: ./proc)", null);

        assertEquals(List.of(), meta.host().memoryReach());
    }

    @Test
    void errorsFromAFileNameTheFile() throws Exception {
        MetadataException e = assertThrows(MetadataException.class,
                () -> MetadataParser.parse(resource("bad-scope.meta")));

        assertEquals(new SourceLocation(resource("bad-scope.meta"), 1, 27), e.where());
        assertEquals(resource("bad-scope.meta") + ":1:27: error: unknown scope 'Mine'; expected Own, Shared or *",
                e.getMessage());
        assertEquals("Own, Shared or *", e.expected());
    }

    @Test
    void anUnreadableFileIsAnError() {
        Path missing = Path.of("does/not/exist.meta");
        MetadataException e = assertThrows(MetadataException.class, () -> MetadataParser.parse(missing));

        assertEquals(new SourceLocation(missing, 1, 1), e.where());
        assertTrue(e.getMessage().contains("cannot read"), e.getMessage());
    }

    static Stream<Arguments> badMetadata() {
        String ok = "[Memory access] Read(Own)\n[Call]\n[API] f(...)\n";
        return Stream.of(
                Arguments.of("unknown clause", ok + "[Calls] a::b", 4, 1, "unknown clause [Calls]"),
                Arguments.of("case of a clause", "[memory access] Read(Own)\n[Call]\n[API] f(...)", 1, 1,
                        "case-sensitive: [Memory access]"),
                Arguments.of("duplicate clause", ok + "[Call] a::b", 4, 1, "duplicate clause [Call], first written at 2:1"),
                Arguments.of("missing memory access", "[Call]\n[API] f(...)", 2, 13, "missing clause [Memory access]"),
                Arguments.of("missing call", "[Memory access]\n[API] f(...)", 2, 13, "missing clause [Call]"),
                Arguments.of("missing api", "[Memory access]\n[Call]\n", 3, 1, "missing clause [API]"),
                Arguments.of("text before clauses", "hello\n" + ok, 1, 1, "text before the first clause"),
                Arguments.of("unterminated header", "[Memory access\n[Call]\n[API] f()", 1, 15, "unterminated clause header"),
                Arguments.of("unknown access", "[Memory access] Exec(Own)\n[Call]\n[API] f()", 1, 17, "unknown access 'Exec'"),
                Arguments.of("unknown scope", "[Memory access] Write(Others)\n[Call]\n[API] f()", 1, 23, "unknown scope 'Others'"),
                Arguments.of("empty scope list", "[Memory access] Write()\n[Call]\n[API] f()", 1, 23, "unexpected ')'"),
                Arguments.of("unclosed access", "[Memory access] Write(Own\n[Call]\n[API] f()", 2, 1, "unexpected end of clause"),
                Arguments.of("scope twice", "[Memory access] Write(Own, Own)\n[Call]\n[API] f()", 1, 28, "scope Own written twice"),
                Arguments.of("access twice", "[Memory access] Write(Own); Write(Shared)\n[Call]\n[API] f()", 1, 29,
                        "duplicate Write(...)"),
                Arguments.of("missing separator", "[Memory access] Read(Own) Write(Own)\n[Call]\n[API] f()", 1, 27,
                        "unexpected 'Write(Own)' in [Memory access]"),
                Arguments.of("call without ::", "[Memory access]\n[Call] alloc.malloc\n[API] f()", 2, 13, "'alloc' is not a call"),
                Arguments.of("call without function", "[Memory access]\n[Call] alloc::\n[API] f()", 3, 1, "unexpected end of clause"),
                Arguments.of("star mixed with calls", "[Memory access]\n[Call] *, a::b\n[API] f()", 2, 9, "unexpected ','"),
                Arguments.of("call listed twice", "[Memory access]\n[Call] a::b, a::b\n[API] f()", 2, 14, "call a::b listed twice"),
                Arguments.of("call to itself", "[Memory access]\n[Call] x::f\n[API] f()", 2, 8, "own function x::f"),
                Arguments.of("api without parentheses", "[Memory access]\n[Call]\n[API] f; g()", 3, 8, "unexpected ';'"),
                Arguments.of("api unclosed", "[Memory access]\n[Call]\n[API] f(a, b", 3, 8, "unclosed parameter list of f"),
                Arguments.of("api twice", "[Memory access]\n[Call]\n[API] f(); f(a)", 3, 12, "API function 'f' listed twice"),
                Arguments.of("unknown action", ok + "[Requires] *(Jump, Own)", 4, 14, "unknown action 'Jump'"),
                Arguments.of("permission without comma", ok + "[Requires] *(Read Own)", 4, 19, "unexpected 'Own)'"),
                Arguments.of("permission bad scope", ok + "[Requires] *(Write, Mine)", 4, 21, "unknown scope 'Mine'"),
                Arguments.of("permission for a function not in the API", ok + "[Requires] *(Call, g)", 4, 20,
                        "allows calling 'g', which is not in [API]"),
                Arguments.of("permission to itself", ok + "[Requires] x(Read, Own)", 4, 12, "cannot grant permissions to itself"),
                Arguments.of("permission listed twice", ok + "[Requires] *(Read, Own), *(Read, Own)", 4, 26,
                        "permission *(Read, Own) listed twice"),
                Arguments.of("seed's ellipsis", ok + "[Requires] *(Read, Own), ...", 4, 26, "unexpected '...'"),
                Arguments.of("garbage after star", "[Memory access]\n[Call] * please\n[API] f()", 2, 10, "unexpected 'please'"),
                Arguments.of("unknown capability", ok + "[Host] Sockets(listen); Disk", 4, 25,
                        "unknown host capability 'Disk'"),
                Arguments.of("case of a capability", ok + "[Host] clock", 4, 8, "case-sensitive: Clock"),
                Arguments.of("capability twice", ok + "[Host] Clock; Threads; Clock", 4, 24,
                        "host capability Clock declared twice, first at 4:8"),
                Arguments.of("capability without its arguments", ok + "[Host] Sockets", 4, 15, "unexpected end of clause"),
                Arguments.of("arguments to a plain capability", ok + "[Host] Threads(4)", 4, 15, "Threads takes no arguments"),
                Arguments.of("empty socket uses", ok + "[Host] Sockets()", 4, 16, "unexpected ')'"),
                Arguments.of("unknown socket use", ok + "[Host] Sockets(listen, bind)", 4, 24, "unknown socket use 'bind'"),
                Arguments.of("socket use twice", ok + "[Host] Sockets(listen, listen)", 4, 24,
                        "socket use listen written twice"),
                Arguments.of("unknown file access", ok + "[Host] Files(exec: /bin)", 4, 14, "unknown file access 'exec'"),
                Arguments.of("file grant without colon", ok + "[Host] Files(read /tmp)", 4, 19, "unexpected '/tmp)'"),
                Arguments.of("file grant without path", ok + "[Host] Files(read: )", 4, 20, "missing path"),
                Arguments.of("relative path", ok + "[Host] Files(read: data)", 4, 20, "neither absolute nor relative"),
                Arguments.of("climbing path", ok + "[Host] Files(write: ./../etc)", 4, 21, "climbs with '..'"),
                Arguments.of("file grant twice", ok + "[Host] Files(read: /a, read: /a/)", 4, 24,
                        "file grant read: /a written twice"),
                Arguments.of("missing separator between capabilities", ok + "[Host] Clock Threads", 4, 14,
                        "unexpected 'Threads' in [Host]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badMetadata")
    void badMetadataIsRejectedWithItsPlaceAndWhatWasExpected(String name, String text, int line, int column,
            String problem) {
        MetadataException e = assertThrows(MetadataException.class, () -> MetadataParser.parse("x", text, null));

        assertEquals(new SourceLocation(Path.of("x.meta"), line, column), e.where(), e.getMessage());
        assertTrue(e.getMessage().startsWith("x.meta:" + line + ":" + column + ": error: "), e.getMessage());
        assertTrue(e.problem().contains(problem), e.getMessage());
        assertTrue(!e.expected().isEmpty(), "says what was expected: " + e.getMessage());
    }
}
