package flexos.core.image;

/**
 * An image cannot be built from a valid configuration: a library imports an API nobody exports, imports form a
 * cycle, or a library failed to start. The CLI prints the message and exits with status 1.
 */
public final class ImageBuildException extends Exception {

    public ImageBuildException(String message) {
        super(message);
    }

    public ImageBuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
