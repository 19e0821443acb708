package flexos.core.hardening;

import flexos.core.component.Library;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeElement;
import java.lang.classfile.MethodModel;
import java.lang.classfile.constantpool.MemberRefEntry;
import java.lang.classfile.constantpool.MethodHandleEntry;
import java.lang.classfile.instruction.ConstantInstruction;
import java.lang.classfile.instruction.FieldInstruction;
import java.lang.classfile.instruction.InvokeDynamicInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.constant.ConstantDesc;
import java.lang.constant.DirectMethodHandleDesc;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * A library's code, read with the JDK's ClassFile API ({@code java.lang.classfile}), and the members that code
 * refers to. A library's code is the classes in its {@link Library} class's package and below, in the jar or
 * directory it was loaded from: several libraries may share a jar (the attack suite's do), never a package.
 *
 * <p>Shared by {@code cfi}'s build-time check of a {@code [Call]} clause and by {@code flexos analyze}'s
 * declared-against-inferred metadata, so that both see the same calls.
 */
public final class LibraryBytecode {

    /**
     * One reference from the library's code to a member of a class: a call instruction, a field access, or a
     * method handle (an {@code ldc} constant or an {@code invokedynamic} bootstrap argument: a method reference).
     *
     * @param owner the internal name of the class or interface named as the member's owner ({@code java/lang/System})
     * @param name  the member's name
     * @param where the referring method, as {@code pkg.Class.method}
     */
    public record MemberReference(String owner, String name, String where) {
    }

    private final List<ClassModel> classes;

    private LibraryBytecode(List<ClassModel> classes) {
        this.classes = List.copyOf(classes);
    }

    /**
     * The code of {@code library}.
     *
     * @throws IOException if the library's classes have no readable location or cannot be read
     */
    public static LibraryBytecode of(Library library) throws IOException {
        return read(location(library), library.getClass().getPackageName().replace('.', '/') + "/");
    }

    /**
     * The classes at {@code location}, a jar or a directory of classes, whose internal names start with
     * {@code packagePrefix} ({@code flexos/sched/impl/}; empty for every class), {@code module-info} excluded.
     *
     * @throws IOException if the location cannot be read
     */
    public static LibraryBytecode read(Path location, String packagePrefix) throws IOException {
        List<ClassModel> classes = new ArrayList<>();
        for (byte[] bytes : classFiles(location, packagePrefix)) {
            ClassModel model = ClassFile.of().parse(bytes);
            if (!model.thisClass().asInternalName().equals("module-info")) {
                classes.add(model);
            }
        }
        return new LibraryBytecode(classes);
    }

    /**
     * The jar or classes directory {@code library}'s classes were loaded from.
     *
     * @throws IOException if it has none, or it is not a file or directory
     */
    public static Path location(Library library) throws IOException {
        CodeSource source = library.getClass().getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IOException("the classes of library " + library.name() + " have no readable location");
        }
        try {
            return Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IOException("the classes of library " + library.name() + " are at " + source.getLocation()
                    + ", which is not a file or directory", e);
        }
    }

    /** The library's classes, sorted by file name. */
    public List<ClassModel> classes() {
        return classes;
    }

    /** Hands {@code action} every member reference in the code of every method, in class and method order. */
    public void forEachReference(Consumer<MemberReference> action) {
        for (ClassModel model : classes) {
            String className = model.thisClass().asInternalName().replace('/', '.');
            for (MethodModel method : model.methods()) {
                String where = className + "." + method.methodName().stringValue();
                method.code().ifPresent(code -> {
                    for (CodeElement element : code) {
                        switch (element) {
                            case InvokeInstruction invoke -> member(invoke.method(), where, action);
                            case FieldInstruction field -> member(field.field(), where, action);
                            case InvokeDynamicInstruction indy -> {
                                for (ConstantDesc arg : indy.bootstrapArgs()) {
                                    if (arg instanceof DirectMethodHandleDesc mh) {
                                        String owner = mh.owner().descriptorString();
                                        action.accept(new MemberReference(owner.substring(1, owner.length() - 1),
                                                mh.methodName(), where));
                                    }
                                }
                            }
                            case ConstantInstruction.LoadConstantInstruction ldc
                                    when ldc.constantEntry() instanceof MethodHandleEntry mh ->
                                    member(mh.reference(), where, action);
                            default -> {
                            }
                        }
                    }
                });
            }
        }
    }

    private static void member(MemberRefEntry ref, String where, Consumer<MemberReference> action) {
        action.accept(new MemberReference(ref.owner().asInternalName(), ref.name().stringValue(), where));
    }

    private static List<byte[]> classFiles(Path location, String prefix) throws IOException {
        List<byte[]> classes = new ArrayList<>();
        if (Files.isDirectory(location)) {
            Path root = prefix.isEmpty() ? location : location.resolve(prefix);
            if (!Files.isDirectory(root)) {
                return classes;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                    classes.add(Files.readAllBytes(file));
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            return classes;
        }
        try (JarFile jar = new JarFile(location.toFile())) {
            for (var entry : jar.stream().filter(e -> e.getName().startsWith(prefix)
                    && e.getName().endsWith(".class")).sorted((a, b) -> a.getName().compareTo(b.getName())).toList()) {
                try (InputStream in = jar.getInputStream(entry)) {
                    classes.add(in.readAllBytes());
                }
            }
        }
        return classes;
    }
}
