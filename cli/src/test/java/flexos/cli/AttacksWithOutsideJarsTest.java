package flexos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flexos attacks --with DIR}: a jar written and compiled here, as a security researcher would write one
 * against the public attack API (docs/attack-api.md), runs under every chosen mechanism like a built-in attack.
 */
class AttacksWithOutsideJarsTest {

    private static final String EXIT = """
            package org.example.outside;

            import flexos.attacks.api.Attack;
            import flexos.attacks.api.Vault;

            /** Ends the JVM: under module the compartment's copy of this class has the call refused. */
            public final class ExitAttack implements Attack {
                @Override
                public long run(Vault vault, long secretAddress) {
                    System.exit(80);
                    return 0;
                }
            }
            """;
    private static final String PROPERTY = """
            package org.example.outside;

            import flexos.attacks.api.Attack;
            import flexos.attacks.api.Vault;

            /** Changes a property every compartment shares. */
            public final class PropertyAttack implements Attack {
                @Override
                public long run(Vault vault, long secretAddress) {
                    System.setProperty("user.language", "xx");
                    return 0;
                }
            }
            """;
    private static final String META = """
            # %s: an attack from outside the project.
            [Memory access] Read(Own, Shared); Write(Own, Shared)
            [Call]
            [API] run(vault, secretAddress)
            """;

    @TempDir
    Path directory;

    @Test
    void anOutsideJarRunsUnderEveryChosenMechanismLikeABuiltInAttack() throws Exception {
        Path attacks = Files.createDirectories(directory.resolve("attacks"));
        writeJar(attacks.resolve("outside-attacks.jar"), Map.of(
                "META-INF/flexos/attacks/outside-exit.attack", """
                        class = org.example.outside.ExitAttack
                        goal = crash
                        threat = exit
                        description = System.exit from a jar outside the project
                        """,
                "META-INF/flexos/outside-exit.meta", META.formatted("outside-exit"),
                "META-INF/flexos/attacks/outside-property.attack", """
                        class = org.example.outside.PropertyAttack
                        goal = harm
                        threat = jvm-global-state
                        description = System.setProperty from a jar outside the project
                        """,
                "META-INF/flexos/outside-property.meta", META.formatted("outside-property")),
                Map.of("ExitAttack", EXIT, "PropertyAttack", PROPERTY));

        CommandLineHarness run = CommandLineHarness.run("attacks", "--json", "--with", attacks.toString(),
                "-a", "outside-exit,outside-property", "-m", "fcall,module");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode rows = new ObjectMapper().readTree(run.out()).get("attacks");
        assertEquals(2, rows.size(), run.out());
        JsonNode exit = rows.get(0);
        assertEquals("outside-exit", exit.get("attack").asText(), run.out());
        assertEquals("exit", exit.get("threat").asText(), run.out());
        assertEquals("succeeded", exit.at("/outcomes/fcall/outcome").asText(), run.out());
        assertTrue(exit.at("/outcomes/fcall/detail").asText().contains("exited with status 80"), run.out());
        // Under module the outside module was defined again for the compartment and its exit refused there.
        assertEquals("contained", exit.at("/outcomes/module/outcome").asText(), run.out());
        assertTrue(exit.at("/outcomes/module/detail").asText().contains("GateFault"), run.out());
        JsonNode property = rows.get(1);
        assertEquals("succeeded", property.at("/outcomes/fcall/outcome").asText(), run.out());
        assertTrue(property.at("/outcomes/fcall/detail").asText().contains("system property user.language changed"),
                run.out());
    }

    @Test
    void aJarWithoutItsMetadataIsRefusedNamingTheJarAndTheFile() throws Exception {
        Path attacks = Files.createDirectories(directory.resolve("no-meta"));
        writeJar(attacks.resolve("broken.jar"), Map.of("META-INF/flexos/attacks/outside-exit.attack", """
                        class = org.example.outside.ExitAttack
                        goal = crash
                        threat = exit
                        description = no metadata
                        """), Map.of("ExitAttack", EXIT));
        CommandLineHarness run = CommandLineHarness.run("attacks", "--with", attacks.toString(), "-m", "fcall");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("broken.jar"), run.err());
        assertTrue(run.err().contains("no library metadata META-INF/flexos/outside-exit.meta"), run.err());
    }

    @Test
    void anUnknownGoalOrThreatIsRefusedWithTheChoices() throws Exception {
        Path attacks = Files.createDirectories(directory.resolve("bad-goal"));
        writeJar(attacks.resolve("bad.jar"), Map.of("META-INF/flexos/attacks/outside-exit.attack", """
                        class = org.example.outside.ExitAttack
                        goal = annoy
                        threat = exit
                        description = a goal the suite cannot judge
                        """, "META-INF/flexos/outside-exit.meta", META.formatted("outside-exit")),
                Map.of("ExitAttack", EXIT));
        CommandLineHarness run = CommandLineHarness.run("attacks", "--with", attacks.toString(), "-m", "fcall");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("goal annoy is not one of read, write, crash, harm"), run.err());
    }

    @Test
    void anOutsideAttackMayNotTakeABuiltInName() throws Exception {
        Path attacks = Files.createDirectories(directory.resolve("taken"));
        writeJar(attacks.resolve("taken.jar"), Map.of("META-INF/flexos/attacks/crash-exit.attack", """
                        class = org.example.outside.ExitAttack
                        goal = crash
                        threat = exit
                        description = a name that is taken
                        """, "META-INF/flexos/crash-exit.meta", META.formatted("crash-exit")),
                Map.of("ExitAttack", EXIT));
        CommandLineHarness run = CommandLineHarness.run("attacks", "--with", attacks.toString(), "-m", "fcall");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("attack crash-exit is already defined"), run.err());
    }

    /** Compiles {@code sources} (class name to source, package org.example.outside) and jars them with {@code files}. */
    private void writeJar(Path jar, Map<String, String> files, Map<String, String> sources) throws IOException {
        Path src = Files.createTempDirectory(directory, "src");
        Path classes = Files.createTempDirectory(directory, "classes");
        List<String> arguments = new ArrayList<>(List.of("-d", classes.toString(),
                "-cp", System.getProperty("java.class.path")));
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = src.resolve("org/example/outside/" + source.getKey() + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            arguments.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, arguments.toArray(String[]::new)), "the attack source compiles");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out)) {
            try (Stream<Path> compiled = Files.walk(classes)) {
                for (Path file : compiled.filter(Files::isRegularFile).toList()) {
                    jarOut.putNextEntry(new ZipEntry(classes.relativize(file).toString().replace('\\', '/')));
                    jarOut.write(Files.readAllBytes(file));
                    jarOut.closeEntry();
                }
            }
            for (Map.Entry<String, String> file : files.entrySet()) {
                jarOut.putNextEntry(new ZipEntry(file.getKey()));
                jarOut.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                jarOut.closeEntry();
            }
        }
    }
}
