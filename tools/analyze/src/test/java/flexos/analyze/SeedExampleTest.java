package flexos.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.core.metadata.LocatedMetadata;
import flexos.core.metadata.MetadataParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The example of seed 003 §2: the verified scheduler and a C-like network stack that writes all memory. */
class SeedExampleTest {

    static List<LocatedMetadata> seed() throws Exception {
        List<LocatedMetadata> libraries = new ArrayList<>();
        for (String name : List.of("alloc", "net", "sched")) {
            libraries.add(MetadataParser.parseLocated(
                    Path.of(SeedExampleTest.class.getResource("/seed/" + name + ".meta").toURI())));
        }
        return libraries;
    }

    @Test
    void theStackThatWritesAllMemoryGetsACompartmentOfItsOwn() throws Exception {
        AnalysisReport report = new Analyzer().analyze(AnalysisRequest.of(seed()));

        assertEquals(2, report.plan().compartments().size());
        assertTrue(report.plan().compartmentOf("net") != report.plan().compartmentOf("sched"));
        assertEquals(List.of(new Conflict("sched", "net", "net writes all memory (Write(*)), but sched requires "
                + "others not to write its Own memory (its [Requires] allows only *(Read, Own), *(Write, Shared))")),
                report.plan().conflicts());
        assertTrue(ReportText.render(report).contains("Fewest compartments: 2"), ReportText.render(report));
    }

    @Test
    void withAsanOnTheStackEverythingFitsInOneCompartment() throws Exception {
        AnalysisRequest request = new AnalysisRequest(seed(), Map.of(), Map.of(), List.of(), true, false, "module",
                Optional.empty());
        AnalysisReport report = new Analyzer().analyze(request);
        AnalysisReport.SfiReport sfi = report.sfi().orElseThrow();

        assertEquals(List.of("net"), sfi.candidates().stream().map(DeploymentEnumerator.Candidate::library).toList());
        assertEquals(List.of("asan"), sfi.candidates().get(0).options());
        assertEquals(2, sfi.deployments().size());
        Deployment hardened = sfi.deployments().get(0);
        assertEquals(List.of(Map.of("net", List.of("asan"))), hardened.hardenings());
        assertEquals(List.of(List.of("alloc", "net", "sched")), hardened.plan().compartments());
        Deployment plain = sfi.deployments().get(1);
        assertEquals(List.of(Map.<String, List<String>>of()), plain.hardenings());
        assertEquals(2, plain.plan().compartments().size());
    }

    @Test
    void theGeneratedConfigurationIsValidAndPlacesTheStackApart() throws Exception {
        AnalysisReport report = new Analyzer().analyze(AnalysisRequest.of(seed()));
        var vocabulary = new flexos.core.config.ConfigVocabulary(java.util.Set.of("alloc", "net", "sched"),
                java.util.Set.of("sched"), flexos.core.mechanism.Mechanisms.builtIn());

        var config = flexos.core.config.ConfigParser.parse(report.imageConfig(), Path.of("seed.yaml"), vocabulary);

        assertEquals(2, config.compartments().size());
        assertTrue(config.compartments().stream().allMatch(c -> c.mechanism().name().equals("module")));
        assertTrue(!config.placementOf("net").compartment().equals(config.placementOf("sched").compartment()),
                report.imageConfig());
    }

    @Test
    void keepingTheStackWithTheSchedulerIsRefusedWithTheReason() throws Exception {
        AnalysisRequest request = new AnalysisRequest(seed(), Map.of(), Map.of(),
                List.of(java.util.Set.of("sched", "net")), false, false, "module", Optional.empty());

        AnalysisException e = org.junit.jupiter.api.Assertions.assertThrows(AnalysisException.class,
                () -> new Analyzer().analyze(request));
        assertTrue(e.getMessage().contains("must share a compartment but may not: net writes all memory"),
                e.getMessage());
    }

    @Test
    void jsonCarriesTheSameAnswer() throws Exception {
        String json = ReportJson.render(new Analyzer().analyze(AnalysisRequest.of(seed())));

        assertTrue(json.startsWith("{\"libraries\":[\"alloc\",\"net\",\"sched\"]"), json);
        assertTrue(json.contains("\"compartments\":[["), json);
        assertTrue(json.contains("\"reason\":\"net writes all memory (Write(*))"), json);
    }
}
