package flexos.core.config;

import flexos.core.metadata.SourceLocation;

/**
 * One entry of the configuration's {@code compartments} list.
 *
 * @param name          the compartment's name, unique in the image
 * @param mechanism     the isolation mechanism's name ({@code fcall}, {@code module}, ...)
 * @param isDefault     whether libraries the configuration does not place go here
 * @param heapBytes     the size of the compartment's private heap
 * @param where         where the entry starts in the configuration file
 */
public record CompartmentSpec(String name, String mechanism, boolean isDefault, long heapBytes, SourceLocation where) {
}
