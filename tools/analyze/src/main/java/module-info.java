/**
 * {@code flexos analyze}: the compatibility relation of the metadata language (SPEC §6), the fewest compartments by
 * exact graph colouring, the deployments that SFI hardening opens, and declared-against-inferred metadata.
 */
module flexos.analyze {
    requires flexos.core;
    requires org.jgrapht.core;
    requires com.fasterxml.jackson.databind;

    exports flexos.analyze;
    exports flexos.analyze.coloring;
    exports flexos.analyze.bytecode;
}
