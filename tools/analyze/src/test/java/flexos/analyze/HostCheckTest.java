package flexos.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.analyze.bytecode.InferredBehaviour;
import flexos.core.metadata.LocatedMetadata;
import flexos.core.metadata.MetadataException;
import flexos.core.metadata.MetadataParser;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code [Host]} clause checked against the capabilities a library's bytecode needs, as {@code [Call]} is. */
class HostCheckTest {

    private static LocatedMetadata meta(String host) throws MetadataException {
        return MetadataParser.parseLocated("net", """
                [Memory access] Read(Own, Shared); Write(Own, Shared)
                [Call]
                [API] listen(address, port, backlog)
                %s
                """.formatted(host), Path.of("net.meta"));
    }

    private static InferredBehaviour listening(List<String> unconfined) {
        return new InferredBehaviour("net", Map.of(), List.of(), List.of(),
                Map.of("Sockets(listen)", "java.nio.channels.ServerSocketChannel.open in flexos.net.impl.NioSockets"),
                unconfined);
    }

    @Test
    void anUndeclaredCapabilityIsReportedNamingTheClassTheMemberAndTheCapability() throws MetadataException {
        List<Finding> findings = DeclaredInferredComparison.compareHost(meta("[Host]"), listening(List.of()));
        assertEquals(1, findings.size(), findings.toString());
        Finding finding = findings.getFirst();
        assertEquals(Finding.Severity.WARNING, finding.severity());
        assertTrue(finding.message().contains("java.nio.channels.ServerSocketChannel.open in flexos.net.impl.NioSockets"
                + ", which needs [Host] Sockets(listen), but its [Host] clause does not declare it"), finding.message());
        assertEquals(4, finding.where().line());
    }

    @Test
    void connectDoesNotCoverListen() throws MetadataException {
        assertEquals(1, DeclaredInferredComparison.compareHost(meta("[Host] Sockets(connect)"), listening(List.of()))
                .size());
        assertTrue(DeclaredInferredComparison.compareHost(meta("[Host] Sockets(listen)"), listening(List.of())).isEmpty());
    }

    @Test
    void aDeclaredCapabilityNothingNeedsAndAnUnconfinableReferenceAreReported() throws MetadataException {
        List<Finding> findings = DeclaredInferredComparison.compareHost(meta("[Host] Sockets(listen); Clock"),
                listening(List.of("java.lang.System.exit in flexos.net.impl.NioSockets: not on the module allowlist")));
        assertEquals(2, findings.size(), findings.toString());
        assertTrue(findings.stream().anyMatch(f ->
                f.message().contains("declares [Host] Clock but its bytecode uses nothing that needs it")));
        assertTrue(findings.stream().anyMatch(f -> f.message().contains("System.exit in flexos.net.impl.NioSockets")
                && f.message().contains("no [Host] capability allows it")));
    }
}
