package flexos.attacks;

import flexos.attacks.api.AttackLibrary;
import flexos.core.component.Library;
import flexos.core.mechanism.ThreatClass;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Attacks from outside the project: the jars of a directory, each holding classes that implement
 * {@link flexos.attacks.api.Attack} and, per attack, a descriptor {@code META-INF/flexos/attacks/NAME.attack} and the
 * library metadata {@code META-INF/flexos/NAME.meta} (docs/attack-api.md). The suite reads the jars as data, never
 * loading a class of theirs: for each attack it writes a copy of the jar with one more class, generated here, in
 * the attack's package: the attack's {@link Library} ({@link AttackLibrary} with the attack's name and class). That
 * class, not the attack, is what the probe instantiates, and the mechanisms reload its module as they reload a
 * built-in library's.
 */
public final class OutsideAttacks {

    /** Where the descriptors are in a jar. */
    static final String DESCRIPTORS = "META-INF/flexos/attacks/";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    private static final Pattern BINARY_NAME = Pattern.compile("([A-Za-z_$][A-Za-z0-9_$]*\\.)+[A-Za-z_$][A-Za-z0-9_$]*");

    /**
     * Where an outside attack comes from, as the probe needs it.
     *
     * @param jar          the copy of the attack's jar that holds its generated library class
     * @param module       the jar's module name
     * @param libraryClass the generated library class
     */
    public record Origin(Path jar, String module, String libraryClass) {
    }

    /** An outside attack's jar or descriptor is not usable; the message names the jar and what is wrong. */
    public static final class BadAttackJar extends Exception {
        public BadAttackJar(String message) {
            super(message);
        }
    }

    private OutsideAttacks() {
    }

    /**
     * The attacks of every {@code *.jar} in {@code directory}, with their generated copies written to
     * {@code workDirectory}, in the order of the jars' names and then of the descriptors' names.
     *
     * @param taken names already in use (the built-in attacks'): an outside attack may not take one
     * @throws BadAttackJar if a jar declares no attack, a descriptor is malformed or names a missing class, a
     *                      {@code .meta} is missing, or two attacks share a name
     */
    public static List<AttackCase> load(Path directory, Path workDirectory, Set<String> taken)
            throws BadAttackJar, IOException {
        if (!Files.isDirectory(directory)) {
            throw new BadAttackJar(directory + " is not a directory");
        }
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*.jar")) {
            entries.forEach(jars::add);
        }
        jars.sort(null);
        if (jars.isEmpty()) {
            throw new BadAttackJar(directory + " holds no .jar");
        }
        List<AttackCase> attacks = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>(taken);
        for (Path jar : jars) {
            for (AttackCase attack : loadJar(jar, workDirectory)) {
                if (!names.add(attack.name())) {
                    throw new BadAttackJar(jar + ": attack " + attack.name() + " is already defined");
                }
                attacks.add(attack);
            }
        }
        return attacks;
    }

    private static List<AttackCase> loadJar(Path jar, Path workDirectory) throws BadAttackJar, IOException {
        List<Descriptor> descriptors = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                String path = entry.getName();
                if (path.startsWith(DESCRIPTORS) && path.endsWith(".attack") && !entry.isDirectory()) {
                    descriptors.add(descriptor(jar, zip, entry));
                }
            }
        }
        if (descriptors.isEmpty()) {
            throw new BadAttackJar(jar + ": no attack descriptor (" + DESCRIPTORS + "NAME.attack)");
        }
        descriptors.sort(java.util.Comparator.comparing(Descriptor::name));
        List<AttackCase> attacks = new ArrayList<>();
        for (Descriptor d : descriptors) {
            Path copy = workDirectory.resolve(d.name() + ".jar");
            String libraryClass = d.attackClass().substring(0, d.attackClass().lastIndexOf('.') + 1)
                    + "FlexosAttackLibrary_" + d.name().replace('-', '_');
            writeCopy(jar, copy, libraryClass, d);
            String module = moduleOf(copy, jar);
            Origin origin = new Origin(copy, module, libraryClass);
            attacks.add(new AttackCase(d.name(), d.goal(), d.threat(), d.description(),
                    () -> libraryIn(origin), Optional.of(origin)));
        }
        return attacks;
    }

    /** One descriptor: {@code class}, {@code goal}, {@code threat}, {@code description}, as properties. */
    private record Descriptor(String name, String attackClass, AttackCase.Goal goal, ThreatClass threat,
                              String description) {
    }

    private static Descriptor descriptor(Path jar, ZipFile zip, ZipEntry entry) throws BadAttackJar, IOException {
        String file = entry.getName().substring(DESCRIPTORS.length());
        String name = file.substring(0, file.length() - ".attack".length());
        String where = jar + "!/" + entry.getName();
        if (!NAME.matcher(name).matches()) {
            throw new BadAttackJar(where + ": an attack's name is lower case letters, digits and dashes, "
                    + "starting with a letter");
        }
        Properties properties = new Properties();
        try (InputStream in = zip.getInputStream(entry)) {
            properties.load(in);
        } catch (IllegalArgumentException e) {
            throw new BadAttackJar(where + ": " + e.getMessage());
        }
        Set<String> allowed = Set.of("class", "goal", "threat", "description");
        for (String key : properties.stringPropertyNames()) {
            if (!allowed.contains(key)) {
                throw new BadAttackJar(where + ": unknown key " + key + " (keys: class, goal, threat, description)");
            }
        }
        String attackClass = required(properties, "class", where);
        if (!BINARY_NAME.matcher(attackClass).matches()) {
            throw new BadAttackJar(where + ": class " + attackClass + " is not the name of a class in a package");
        }
        if (zip.getEntry(attackClass.replace('.', '/') + ".class") == null) {
            throw new BadAttackJar(where + ": the jar has no class " + attackClass);
        }
        if (zip.getEntry("META-INF/flexos/" + name + ".meta") == null) {
            throw new BadAttackJar(where + ": the jar has no library metadata META-INF/flexos/" + name + ".meta");
        }
        AttackCase.Goal goal = choice(AttackCase.Goal.class, required(properties, "goal", where), "goal", where);
        ThreatClass threat = choice(ThreatClass.class, required(properties, "threat", where).replace('-', '_'),
                "threat", where);
        return new Descriptor(name, attackClass, goal, threat, required(properties, "description", where));
    }

    private static String required(Properties properties, String key, String where) throws BadAttackJar {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new BadAttackJar(where + ": " + key + " is missing");
        }
        return value.strip();
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String value, String key, String where)
            throws BadAttackJar {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> words = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                words.add(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            }
            throw new BadAttackJar(where + ": " + key + " " + value.toLowerCase(Locale.ROOT) + " is not one of "
                    + String.join(", ", words));
        }
    }

    /** Copies {@code jar} to {@code copy} with the generated library class added. */
    private static void writeCopy(Path jar, Path copy, String libraryClass, Descriptor d) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile());
             OutputStream file = Files.newOutputStream(copy);
             ZipOutputStream out = new ZipOutputStream(file)) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                if (entry.getName().startsWith("META-INF/") && (entry.getName().endsWith(".SF")
                        || entry.getName().endsWith(".RSA") || entry.getName().endsWith(".EC"))) {
                    // A signature would no longer match the copy.
                    continue;
                }
                out.putNextEntry(new ZipEntry(entry.getName()));
                try (InputStream in = zip.getInputStream(entry)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry(libraryClass.replace('.', '/') + ".class"));
            out.write(libraryClassBytes(libraryClass, d.name(), d.attackClass()));
            out.closeEntry();
        }
    }

    /**
     * {@code public final class LIBRARY extends AttackLibrary { public LIBRARY() { super(NAME, ATTACK); } }}: the
     * only code of the copy the suite wrote, and the only code the probe runs outside the attack's compartment.
     */
    static byte[] libraryClassBytes(String libraryClass, String name, String attackClass) {
        ClassDesc self = ClassDesc.of(libraryClass);
        ClassDesc base = ClassDesc.of(AttackLibrary.class.getName());
        MethodTypeDesc baseConstructor = MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_String,
                ConstantDescs.CD_String);
        return ClassFile.of().build(self, c -> c
                .withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL | ClassFile.ACC_SUPER)
                .withSuperclass(base)
                .withMethodBody(ConstantDescs.INIT_NAME, ConstantDescs.MTD_void, ClassFile.ACC_PUBLIC, code -> code
                        .aload(0).ldc(name).ldc(attackClass)
                        .invokespecial(base, ConstantDescs.INIT_NAME, baseConstructor)
                        .return_()));
    }

    private static String moduleOf(Path copy, Path jar) throws BadAttackJar {
        try {
            Set<ModuleReference> found = ModuleFinder.of(copy).findAll();
            ModuleDescriptor descriptor = found.iterator().next().descriptor();
            if (!descriptor.isAutomatic() && descriptor.requires().stream()
                    .noneMatch(r -> r.name().equals("flexos.attacks.api"))) {
                throw new BadAttackJar(jar + ": module " + descriptor.name() + " must require flexos.attacks.api");
            }
            return descriptor.name();
        } catch (java.lang.module.FindException e) {
            throw new BadAttackJar(jar + ": not usable as a module: " + e.getMessage());
        }
    }

    /** The probe's side: the generated library of {@code origin}, from the boot layer it was added to. */
    static Library libraryIn(Origin origin) {
        Module module = ModuleLayer.boot().findModule(origin.module()).orElseThrow(() -> new IllegalStateException(
                "module " + origin.module() + " of an outside attack is not in this JVM (--add-modules)"));
        Class<?> type = Class.forName(module, origin.libraryClass());
        if (type == null || !Library.class.isAssignableFrom(type)) {
            throw new IllegalStateException("module " + origin.module() + " has no library " + origin.libraryClass());
        }
        try {
            return (Library) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make the library " + origin.libraryClass() + ": " + e, e);
        }
    }

    /** Deletes the copies in {@code workDirectory} (nothing for null). */
    public static void clean(Path workDirectory) {
        if (workDirectory == null) {
            return;
        }
        try (var files = Files.walk(workDirectory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // Temporary copies left behind are harmless.
        }
    }
}
