package flexos.cli;

import flexos.core.component.Library;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code flexos libraries}: what images can be made of. */
@Command(name = "libraries", mixinStandardHelpOptions = true,
        description = "List the libraries this build ships: the API each exports and the APIs it imports.")
final class LibrariesCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (Library library : new ImageLoader().catalog().libraries()) {
            out.printf("%-8s exports %s%n", library.name(), names(library.exports()));
            out.printf("%-8s imports %s%s%n", "", names(library.imports()),
                    library.perCompartment() ? " (one instance per compartment)" : "");
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static String names(java.util.Set<Class<?>> apis) {
        if (apis.isEmpty()) {
            return "nothing";
        }
        return apis.stream().map(Class::getSimpleName).sorted(Comparator.naturalOrder()).collect(Collectors.joining(", "));
    }
}
