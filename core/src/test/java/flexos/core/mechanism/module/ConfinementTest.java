package flexos.core.mechanism.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.core.metadata.HostCapabilities;
import flexos.core.metadata.HostCapability;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.instruction.InvokeDynamicInstruction;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The allowlist and the confinement it gives a compartment's classes: fixture classes ({@code fixture.Confined})
 * are defined through {@link ConfiningRewriter}, as a compartment's class loader defines them, and every refused
 * route must throw {@link RefusedOperationException} without having acted.
 */
class ConfinementTest {

    private static final String FIXTURE = "flexos/core/mechanism/module/fixture/";

    private static Confinement confinement(HostCapabilities host) {
        return new Confinement("fixture", Allowlist.shipped(), host, ConfinementTest::ownClass,
                name -> {
                    try {
                        return Class.forName(name.replace('/', '.'), false, ConfinementTest.class.getClassLoader())
                                .getModule().getName();
                    } catch (ClassNotFoundException e) {
                        return null;
                    }
                });
    }

    private static ClassModel ownClass(String internalName) {
        if (!internalName.startsWith(FIXTURE)) {
            return null;
        }
        try (InputStream in = ConfinementTest.class.getClassLoader().getResourceAsStream(internalName + ".class")) {
            return in == null ? null : ClassFile.of().parse(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Defines the fixture package's classes confined, everything else from the test's loader. */
    private static final class ConfinedLoader extends ClassLoader {
        private final ConfiningRewriter rewriter;

        ConfinedLoader(Confinement confinement) {
            super("confined-test", ConfinementTest.class.getClassLoader());
            rewriter = new ConfiningRewriter(confinement,
                    desc -> getParent().getResourceAsStream(desc.descriptorString()
                            .substring(1, desc.descriptorString().length() - 1) + ".class"), ConfinementTest::ownClass);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                if (!name.replace('.', '/').startsWith(FIXTURE)) {
                    return super.loadClass(name, resolve);
                }
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    boolean companion = CallSiteCompanion.isCompanion(name);
                    String file = companion ? CallSiteCompanion.hostOf(name) : name;
                    try (InputStream in = getParent().getResourceAsStream(file.replace('.', '/') + ".class")) {
                        byte[] read = in.readAllBytes();
                        byte[] confined = companion ? rewriter.companion(read) : rewriter.confine(read);
                        loaded = defineClass(name, confined, 0, confined.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                return loaded;
            }
        }
    }

    private static Object call(HostCapabilities host, String method) throws Throwable {
        Class<?> confined = Class.forName("flexos.core.mechanism.module.fixture.Confined", true,
                new ConfinedLoader(confinement(host)));
        Method m = confined.getMethod(method);
        try {
            return m.invoke(null);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static RefusedOperationException refused(String method) {
        return assertThrows(RefusedOperationException.class, () -> call(HostCapabilities.NONE, method), method);
    }

    @Test
    void theShippedListParses() {
        assertTrue(Allowlist.shipped().owners().contains("java/lang/String"));
        assertTrue(Allowlist.shipped().find("java/lang/System", "exit").isEmpty());
    }

    @Test
    void aMalformedEntryNamesItsLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Allowlist.parse("java/lang/String.*\njava/lang/Math.abs Sockets(everything)\n"));
        assertTrue(e.getMessage().contains("allowlist.txt:2:"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Allowlist.parse("java/lang/String.*\njava/lang/String.*\n"));
    }

    @Test
    void honestCodeRunsUnchanged() throws Throwable {
        assertEquals("sum=14 Pair[name=p, size=4]", call(HostCapabilities.NONE, "honest"));
    }

    @Test
    void stringConcatenationIsCompiledToBuilderCallsWithTheSameResult() throws Throwable {
        String expected = flexos.core.mechanism.module.fixture.Confined.concatenations();
        assertEquals(expected, call(HostCapabilities.NONE, "concatenations"));
        byte[] original;
        try (InputStream in = ConfinementTest.class.getClassLoader().getResourceAsStream(FIXTURE + "Confined.class")) {
            original = in.readAllBytes();
        }
        ClassModel model = ClassFile.of().parse(new ConfiningRewriter(confinement(HostCapabilities.NONE),
                desc -> null, ConfinementTest::ownClass).confine(original));
        List<String> concatSites = model.methods().stream()
                .flatMap(m -> m.code().stream())
                .flatMap(code -> code.elementStream())
                .filter(e -> e instanceof InvokeDynamicInstruction indy
                        && indy.bootstrapMethod().owner().descriptorString().contains("StringConcatFactory"))
                .map(Object::toString)
                .toList();
        assertEquals(List.of(), concatSites, "a concatenation call site was left to its bootstrap");
    }

    @Test
    void bootstrappedCallSitesMoveToACompanionAndGiveTheSameResults() throws Throwable {
        String expected = flexos.core.mechanism.module.fixture.Confined.bootstrapped();
        assertEquals("6 8 8 90 Square[side=3] true true 9 1 high 0/41", expected);
        assertEquals(expected, call(HostCapabilities.NONE, "bootstrapped"));
        for (String host : List.of("Confined", "Confined$Counter$Reader", "Confined$Square")) {
            byte[] original;
            try (InputStream in = ConfinementTest.class.getClassLoader().getResourceAsStream(FIXTURE + host
                    + ".class")) {
                original = in.readAllBytes();
            }
            ClassModel model = ClassFile.of().parse(new ConfiningRewriter(confinement(HostCapabilities.NONE),
                    desc -> null, ConfinementTest::ownClass).confine(original));
            List<String> leftToFirstUse = model.methods().stream()
                    .flatMap(m -> m.code().stream())
                    .flatMap(code -> code.elementStream())
                    .filter(e -> e instanceof InvokeDynamicInstruction indy
                            && !indy.bootstrapMethod().owner().descriptorString().contains("ConfinedCalls")
                            || e instanceof java.lang.classfile.instruction.InvokeInstruction invoke
                            && invoke.owner().asInternalName().equals("java/lang/invoke/VarHandle")
                            && !invoke.name().stringValue().equals("varType"))
                    .map(Object::toString)
                    .toList();
            assertEquals(List.of(), leftToFirstUse, host + ": a call site was left to its bootstrap");
        }
    }

    @Test
    void aRefusedMethodReferenceMovedToTheCompanionIsStillRefused() {
        RefusedOperationException e = refused("exitByMethodReference");
        assertTrue(e.getMessage().contains("java.lang.System.exit"), e.getMessage());
    }

    @Test
    void exitIsRefusedDirectlyByMethodReferenceByReflectionAndByLookup() {
        assertTrue(refused("exit").getMessage().contains("java.lang.System.exit is not on the module allowlist"));
        assertTrue(refused("exitByMethodReference").getMessage().contains("System.exit"));
        assertTrue(refused("reflectiveExit").getMessage().contains("java.lang.Class.getMethod"));
        assertTrue(refused("lookup").getMessage().contains("java.lang.invoke.MethodHandles.lookup"));
    }

    @Test
    void jvmGlobalStateAndProcessesAreRefused() {
        refused("setProperty");
        assertEquals(null, System.getProperty("flexos.poisoned"));
        Locale before = Locale.getDefault();
        refused("setDefaultLocale");
        assertEquals(before, Locale.getDefault());
        RefusedOperationException process = refused("startProcess");
        assertTrue(process.getMessage().contains("java.lang.ProcessBuilder.<init> needs [Host] Processes"),
                process.getMessage());
    }

    @Test
    void aClassThatExtendsAClassLoaderIsNotDefined() {
        Throwable thrown = assertThrows(Throwable.class, () -> call(HostCapabilities.NONE, "defineOwnLoader"));
        Throwable root = thrown;
        while (!(root instanceof RefusedClassError) && root.getCause() != null) {
            root = root.getCause();
        }
        assertInstanceOf(RefusedClassError.class, root, thrown.toString());
        assertTrue(root.getMessage().contains("java.lang.ClassLoader is not a class the module allowlist lets"),
                root.getMessage());
    }

    @Test
    void consoleAndClockFollowTheHostClause() throws Throwable {
        assertTrue(refused("print").getMessage().contains("java.lang.System.out needs [Host] Console"));
        // Inherited members are judged by the supertype that governs them: Throwable.printStackTrace needs Console.
        assertTrue(refused("printStackTrace").getMessage().contains("printStackTrace needs [Host] Console"));
        assertTrue(refused("clock").getMessage().contains("needs [Host] Clock"));
        HostCapabilities clock = new HostCapabilities(List.of(new HostCapability.Clock()));
        assertInstanceOf(Long.class, call(clock, "clock"));
    }

    @Test
    void decisionsNameTheCapabilityThatWouldAllowAMember() {
        Confinement none = confinement(HostCapabilities.NONE);
        Confinement.Decision.Refused sockets = assertInstanceOf(Confinement.Decision.Refused.class,
                none.decide("java/nio/channels/ServerSocketChannel", "open"));
        assertEquals("Sockets(listen)", sockets.capability());
        Confinement listening = confinement(new HostCapabilities(List.of(
                new HostCapability.Sockets(Set.of(HostCapability.Sockets.Use.LISTEN)))));
        assertEquals(Confinement.DIRECT, listening.decide("java/nio/channels/ServerSocketChannel", "open"));
        assertInstanceOf(Confinement.Decision.Refused.class, listening.decide("java/nio/channels/SocketChannel", "open"));
        Confinement files = confinement(new HostCapabilities(List.of(new HostCapability.Files(
                List.of(new HostCapability.FileGrant(HostCapability.FileGrant.Access.READ, "/tmp"))))));
        assertEquals(new Confinement.Decision.Allowed(Allowlist.Route.FILES),
                files.decide("java/nio/file/Files", "readAllBytes"));
        Confinement.Decision.Refused unlisted = assertInstanceOf(Confinement.Decision.Refused.class,
                files.decide("java/lang/invoke/MethodHandles$Lookup", "defineHiddenClass"));
        assertEquals(null, unlisted.capability());
        assertInstanceOf(Confinement.Decision.Refused.class, none.decide("java/lang/String", "intern"));
        assertInstanceOf(Confinement.Decision.Refused.class, none.decide("java/util/ArrayList", "parallelStream"));
    }
}
