package flexos.analyze;

import flexos.core.metadata.ApiFunction;
import flexos.core.metadata.CallPolicy;
import flexos.core.metadata.FunctionRef;
import flexos.core.metadata.LocatedMetadata;
import flexos.core.metadata.MetadataException;
import flexos.core.metadata.Permission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one metadata file cannot check alone: that every {@code [Call] lib::fn} names a library of the analysed set
 * and a function of that library's {@code [API]}, and that every {@code [Requires]} subject names one of them.
 */
public final class CrossLibraryCheck {

    private CrossLibraryCheck() {
    }

    /** Every {@code [Call]} naming a library or function that does not exist, in file order. */
    public static List<MetadataException> errors(List<LocatedMetadata> libraries) {
        Map<String, LocatedMetadata> byName = byName(libraries);
        List<MetadataException> errors = new ArrayList<>();
        for (LocatedMetadata caller : libraries) {
            if (!(caller.metadata().calls() instanceof CallPolicy.Only only)) {
                continue;
            }
            for (FunctionRef ref : only.functions()) {
                LocatedMetadata callee = byName.get(ref.library());
                if (callee == null) {
                    errors.add(new MetadataException(caller.where(ref), "[Call] names library '" + ref.library()
                            + "', which is not among the analysed libraries", "one of " + byName.keySet()
                            + " (or add " + ref.library() + "'s metadata to the analysis)"));
                } else if (callee.metadata().api().stream().noneMatch(f -> f.name().equals(ref.function()))) {
                    errors.add(new MetadataException(caller.where(ref), "[Call] names " + ref + ", but "
                            + ref.library() + "'s [API] has no function '" + ref.function() + "'", "one of "
                            + callee.metadata().api().stream().map(ApiFunction::name).toList()));
                }
            }
        }
        return errors;
    }

    /** {@code [Requires]} permissions granted to a library that is not analysed: harmless, but likely a typo. */
    public static List<Finding> warnings(List<LocatedMetadata> libraries) {
        Map<String, LocatedMetadata> byName = byName(libraries);
        List<Finding> warnings = new ArrayList<>();
        for (LocatedMetadata library : libraries) {
            for (Permission p : library.metadata().requires().orElse(List.of())) {
                if (!p.subject().equals("*") && !byName.containsKey(p.subject())) {
                    warnings.add(new Finding(Finding.Severity.WARNING, library.metadata().library(), library.where(p),
                            "[Requires] grants " + p + " to '" + p.subject() + "', which is not among the analysed "
                                    + "libraries " + byName.keySet()));
                }
            }
        }
        return warnings;
    }

    private static Map<String, LocatedMetadata> byName(List<LocatedMetadata> libraries) {
        Map<String, LocatedMetadata> byName = new TreeMap<>();
        libraries.forEach(l -> byName.put(l.metadata().library(), l));
        return byName;
    }
}
