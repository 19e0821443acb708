package flexos.core.hardening;

import flexos.core.component.Library;
import flexos.core.metadata.FunctionRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeElement;
import java.lang.classfile.MethodModel;
import java.lang.classfile.constantpool.MethodHandleEntry;
import java.lang.classfile.instruction.ConstantInstruction;
import java.lang.classfile.instruction.InvokeDynamicInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.constant.ConstantDesc;
import java.lang.constant.DirectMethodHandleDesc;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The other libraries' API functions a library's bytecode calls, read with the JDK's ClassFile API: call
 * instructions, and method handles in constants and {@code invokedynamic} arguments (method references). A
 * library's code is the classes in its {@link Library} class's package and below, in the jar or directory it was
 * loaded from. Calls made by reflection are not seen: {@code cfi} refuses those at the gate instead.
 */
final class LibraryCallScanner {

    /** Exported API interfaces by internal name: the exporting library and the API class. */
    private final Map<String, Map.Entry<String, Class<?>>> apis = new TreeMap<>();

    LibraryCallScanner(Collection<Library> libraries) {
        for (Library library : libraries) {
            for (Class<?> api : library.exports()) {
                apis.put(api.getName().replace('.', '/'), Map.entry(library.name(), api));
            }
        }
    }

    /**
     * Each function of another library that {@code library}'s code calls, with the first method that calls it.
     *
     * @throws IOException if the library's classes cannot be read
     */
    Map<FunctionRef, String> calls(Library library) throws IOException {
        Map<FunctionRef, String> calls = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        String prefix = library.getClass().getPackageName().replace('.', '/') + "/";
        for (byte[] bytes : classes(location(library), prefix)) {
            ClassModel model = ClassFile.of().parse(bytes);
            String className = model.thisClass().asInternalName().replace('/', '.');
            for (MethodModel method : model.methods()) {
                String where = className + "." + method.methodName().stringValue();
                method.code().ifPresent(code -> {
                    for (CodeElement element : code) {
                        switch (element) {
                            case InvokeInstruction invoke -> record(library, invoke.owner().asInternalName(),
                                    invoke.name().stringValue(), where, calls);
                            case InvokeDynamicInstruction indy -> {
                                for (ConstantDesc arg : indy.bootstrapArgs()) {
                                    if (arg instanceof DirectMethodHandleDesc mh) {
                                        String owner = mh.owner().descriptorString();
                                        record(library, owner.substring(1, owner.length() - 1), mh.methodName(),
                                                where, calls);
                                    }
                                }
                            }
                            case ConstantInstruction.LoadConstantInstruction ldc
                                    when ldc.constantEntry() instanceof MethodHandleEntry mh ->
                                    record(library, mh.reference().owner().asInternalName(),
                                            mh.reference().name().stringValue(), where, calls);
                            default -> {
                            }
                        }
                    }
                });
            }
        }
        return calls;
    }

    private void record(Library library, String owner, String name, String where, Map<FunctionRef, String> calls) {
        Map.Entry<String, Class<?>> api = apis.get(owner);
        if (api != null && !api.getKey().equals(library.name())
                && GateClassGenerator.methods(api.getValue()).stream().anyMatch(m -> m.getName().equals(name))) {
            calls.putIfAbsent(new FunctionRef(api.getKey(), name), where);
        }
    }

    private static Path location(Library library) throws IOException {
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

    private static List<byte[]> classes(Path location, String prefix) throws IOException {
        List<byte[]> classes = new ArrayList<>();
        if (Files.isDirectory(location)) {
            Path root = location.resolve(prefix);
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
                    && e.getName().endsWith(".class")).toList()) {
                try (InputStream in = jar.getInputStream(entry)) {
                    classes.add(in.readAllBytes());
                }
            }
        }
        return classes;
    }
}
