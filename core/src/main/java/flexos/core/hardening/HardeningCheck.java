package flexos.core.hardening;

import flexos.core.component.Library;
import flexos.core.metadata.CallPolicy;
import flexos.core.metadata.FunctionRef;
import flexos.core.metadata.LibraryMetadata;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The image-build-time side of hardening: whether each option can harden the library it is set on, and, for
 * {@code cfi}, whether the library's {@code [Call]} clause matches the calls its bytecode really makes.
 *
 * <ul>
 *   <li>{@code asan} needs memory to check: the library must call or export an API that passes
 *       {@link MemorySegment}s, or be an allocator that can sanitize ({@link SanitizingAllocatorLibrary}).</li>
 *   <li>{@code cfi} needs a call policy: an exact {@code [Call]} clause (not {@code *}) that lists every function
 *       the bytecode calls. A listed function the bytecode never calls is a warning, since the policy then allows
 *       more than the library needs.</li>
 *   <li>{@code contracts} needs declared contracts: the library must be a {@link ContractedLibrary}.</li>
 * </ul>
 */
public final class HardeningCheck {

    /**
     * The outcome for one image.
     *
     * @param errors   what makes the image unbuildable, one sentence each
     * @param warnings what the user should know
     */
    public record Result(List<String> errors, List<String> warnings) {
        public Result {
            errors = List.copyOf(errors);
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * One library of the image, with the options set on it.
     *
     * @param where where the configuration places the library ({@code file:line:col}), or {@code null}
     */
    public record Subject(Library library, LibraryMetadata metadata, List<HardeningOption> harden, Object where) {
        public Subject {
            harden = List.copyOf(harden);
        }

        String prefix() {
            return where == null ? "" : where + ": ";
        }
    }

    private HardeningCheck() {
    }

    /** Checks every option of every library of an image made of {@code subjects}. */
    public static Result check(Collection<Subject> subjects) {
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        LibraryCallScanner scanner = new LibraryCallScanner(subjects.stream().map(Subject::library).toList());
        for (Subject subject : subjects) {
            List<String> own = new ArrayList<>();
            for (HardeningOption option : subject.harden()) {
                switch (option) {
                    case ASAN -> checkAsan(subject, subjects, own);
                    case CFI -> checkCfi(subject, scanner, own, warnings);
                    case CONTRACTS -> checkContracts(subject, subjects, own);
                }
            }
            own.forEach(e -> errors.add(subject.prefix() + e));
        }
        return new Result(errors, warnings);
    }

    private static void checkAsan(Subject subject, Collection<Subject> subjects, List<String> errors) {
        Library library = subject.library();
        Set<Class<?>> apis = new HashSet<>(library.imports());
        apis.addAll(library.exports());
        if (library instanceof SanitizingAllocatorLibrary || apis.stream().anyMatch(HardeningCheck::passesMemory)) {
            return;
        }
        errors.add("library " + library.name() + " cannot take asan: no API it calls or exports passes memory "
                + "(MemorySegment), and it is not an allocator, so there is no allocation or access to check; "
                + "remove 'asan' from its 'harden' list (asan can harden: " + names(subjects.stream()
                .map(Subject::library).filter(l -> l instanceof SanitizingAllocatorLibrary
                        || concat(l).stream().anyMatch(HardeningCheck::passesMemory)).toList()) + ")");
    }

    private static void checkCfi(Subject subject, LibraryCallScanner scanner, List<String> errors,
            List<String> warnings) {
        String name = subject.library().name();
        if (!(subject.metadata().calls() instanceof CallPolicy.Only only)) {
            errors.add("library " + name + " cannot take cfi: its metadata declares [Call] * (anything), so there is "
                    + "no call policy to enforce; list the functions it calls in " + name + ".meta");
            return;
        }
        Map<FunctionRef, String> called;
        try {
            called = scanner.calls(subject.library());
        } catch (IOException e) {
            errors.add("library " + name + " cannot take cfi: its bytecode cannot be read to check its [Call] clause ("
                    + e.getMessage() + ")");
            return;
        }
        Set<String> declared = only.functions().stream().map(FunctionRef::toString).collect(Collectors.toSet());
        for (Map.Entry<FunctionRef, String> call : called.entrySet()) {
            if (!declared.contains(call.getKey().toString())) {
                errors.add("library " + name + " has a wrong [Call] clause for cfi: its bytecode calls "
                        + call.getKey() + " (in " + call.getValue() + ") but " + name
                        + ".meta does not list it, so cfi would refuse that call; add it to the [Call] clause");
            }
        }
        Set<String> calledNames = called.keySet().stream().map(FunctionRef::toString).collect(Collectors.toSet());
        List<String> unused = declared.stream().filter(f -> !calledNames.contains(f)).sorted().toList();
        if (!unused.isEmpty()) {
            warnings.add("library " + name + " lists " + unused + " in its [Call] clause but its bytecode never calls "
                    + (unused.size() == 1 ? "it" : "them") + "; cfi allows more than the library needs");
        }
    }

    private static void checkContracts(Subject subject, Collection<Subject> subjects, List<String> errors) {
        if (!(subject.library() instanceof ContractedLibrary)) {
            errors.add("library " + subject.library().name() + " cannot take contracts: it declares no contracts for "
                    + "its API; remove 'contracts' from its 'harden' list (contracts can harden: "
                    + names(subjects.stream().map(Subject::library).filter(l -> l instanceof ContractedLibrary)
                    .toList()) + ")");
        }
    }

    /** Whether any method of {@code api} takes or returns a {@link MemorySegment}. */
    static boolean passesMemory(Class<?> api) {
        return GateClassGenerator.methods(api).stream().anyMatch(m -> m.getReturnType() == MemorySegment.class
                || List.of(m.getParameterTypes()).contains(MemorySegment.class));
    }

    private static Set<Class<?>> concat(Library library) {
        Set<Class<?>> apis = new HashSet<>(library.imports());
        apis.addAll(library.exports());
        return apis;
    }

    private static String names(List<Library> libraries) {
        return libraries.isEmpty() ? "none in this image"
                : libraries.stream().map(Library::name).sorted().collect(Collectors.joining(", "));
    }
}
